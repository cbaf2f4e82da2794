import { InvalidOptionArgumentError } from './cli-errors.js';
import { DURATION_SYNTAX, parseDurationSeconds } from './duration.parser.js';
import { THUMBPRINT_SYNTAX, normaliseThumbprint } from './thumbprint.parser.js';

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

/**
 * Parser of a repeatable option: commander passes the value so far as `previous`, so
 * `--realm a --realm b` gives `['a', 'b']`.
 */
export function repeatableArgument(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), nonEmptyArgument(value)];
}

/** One of a fixed set of numbers, e.g. RSA key sizes. */
export function integerChoiceArgument<T extends number>(value: string, choices: readonly T[]): T {
  const choice = choices.find((candidate) => String(candidate) === value);
  if (choice === undefined) throw new InvalidOptionArgumentError(`Allowed choices are ${choices.join(', ')}.`);
  return choice;
}

/**
 * One of `choices` in any case, returned in its canonical spelling. For names that mirror
 * PowerShell parameters (`-Type OAuthTokenIssuer`), where admins are used to case not mattering.
 */
export function caseInsensitiveChoiceArgument<T extends string>(value: string, choices: readonly T[]): T {
  const choice = choices.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase());
  if (choice === undefined) throw new InvalidOptionArgumentError(`Supported values are ${choices.join(', ')} (in any case).`);
  return choice;
}

/** A certificate thumbprint in the API's canonical form (see `normaliseThumbprint`). */
export function thumbprintArgument(value: string): string {
  const thumbprint = normaliseThumbprint(value);
  if (thumbprint === undefined) throw new InvalidOptionArgumentError(`Expected ${THUMBPRINT_SYNTAX}.`);
  return thumbprint;
}

const ZONED_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i;
const ZONED_EXAMPLES = 'e.g. 2025-03-01T09:00:00Z (UTC) or 2025-03-01T09:00:00+01:00';

/**
 * An ISO 8601 date-time that names its timezone (`Z` or `±hh:mm`), returned as UTC
 * `toISOString()`. For instants that several machines must agree on, such as a certificate roll's
 * effective date: a local time without an offset would mean a different instant on each server and
 * on the admin's laptop, so it is refused with that reason rather than guessed.
 */
export function zonedTimestampArgument(value: string): string {
  const match = ZONED_DATE_TIME.exec(value);
  if (!match) {
    if (DATE_ONLY.test(value)) {
      throw new InvalidOptionArgumentError(`A date alone is ambiguous: give a time and a timezone, ${ZONED_EXAMPLES}.`);
    }
    if (DATE_TIME_WITHOUT_ZONE.test(value)) {
      throw new InvalidOptionArgumentError(
        `It has no timezone, so it would mean a different instant on each machine: add Z or an offset, ${ZONED_EXAMPLES}.`,
      );
    }
    throw new InvalidOptionArgumentError(`Expected an ISO 8601 date and time with a timezone, ${ZONED_EXAMPLES}.`);
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone] = match;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const local = new Date(Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], Number(fraction.padEnd(3, '0').slice(0, 3))));
  // Date.UTC rolls 2025-02-30 over into March; a changed field means the input was not a real time.
  const actual = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()];
  const offset = /^z$/i.test(zone) ? { hours: 0, minutes: 0, sign: 1 } : parseOffset(zone);
  if (actual.some((field, i) => field !== fields[i]) || offset.hours > 23 || offset.minutes > 59) {
    throw new InvalidOptionArgumentError(`Not a valid date and time, ${ZONED_EXAMPLES}.`);
  }
  const offsetMs = offset.sign * (offset.hours * 60 + offset.minutes) * 60_000;
  return new Date(local.getTime() - offsetMs).toISOString();
}

function parseOffset(zone: string): { hours: number; minutes: number; sign: number } {
  const digits = zone.slice(1).replace(':', '');
  return { sign: zone.startsWith('-') ? -1 : 1, hours: Number(digits.slice(0, 2)), minutes: Number(digits.slice(2) || '0') };
}

/**
 * `true` or `false` (any case) for options that switch a stored flag either way, such as
 * `client set --enabled false`. Other spellings (`yes`, `1`) are refused rather than guessed.
 */
export function booleanArgument(value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw new InvalidOptionArgumentError('Expected true or false.');
}
