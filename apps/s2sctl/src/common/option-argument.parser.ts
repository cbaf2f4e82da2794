import { InvalidOptionArgumentError } from './cli-errors.js';
import { DURATION_SYNTAX, parseDurationSeconds } from './duration.parser.js';

/**
 * Value parsers for `@Option` methods. They throw {@link InvalidOptionArgumentError}, which
 * commander turns into a usage error naming the option ("option '--limit <n>' argument 'x' is
 * invalid. ...").
 */

export function durationArgument(value: string): number {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) throw new InvalidOptionArgumentError(`Expected ${DURATION_SYNTAX}.`);
  return seconds;
}

export function positiveIntegerArgument(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    throw new InvalidOptionArgumentError('Expected a positive whole number.');
  }
  return Number(value);
}

export function choiceArgument<T extends string>(value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new InvalidOptionArgumentError(`Allowed choices are ${choices.join(', ')}.`);
  }
  return value as T;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 date or date-time; passed to the server as written. */
export function timestampArgument(value: string): string {
  if (!ISO_TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidOptionArgumentError('Expected an ISO 8601 date or time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z.');
  }
  return value;
}

export function nonEmptyArgument(value: string): string {
  if (value.trim() === '') throw new InvalidOptionArgumentError('Must not be empty.');
  return value;
}
