import { formatDuration, parseDurationSeconds } from './duration.parser.js';
import { InvalidOptionArgumentError } from './cli-errors.js';
import { choiceArgument, durationArgument, positiveIntegerArgument, timestampArgument } from './option-argument.parser.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['0', 0],
    ['5m', 300],
    ['12h', 43200],
    ['1d', 86400],
    ['36h', 129600],
  ])('parses %s as %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', 'm', '5x', '1.5h', '-5m', '5 m', ' 5m', '5M', '1h30m', 'PT5M', '5ms', '99999999999999999999d'])('rejects %j', (text) => {
    expect(parseDurationSeconds(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [43200, '12h'],
    [300, '5m'],
    [90, '90s'],
    [86400, '1d'],
    [3600, '1h'],
    [0, '0s'],
  ])('renders %d as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('option argument parsers', () => {
  it('durationArgument converts to seconds and throws a commander invalid-argument error otherwise', () => {
    expect(durationArgument('12h')).toBe(43200);
    const error = (() => {
      try {
        durationArgument('soon');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionArgumentError);
    // commander only decorates errors with this code with the option name.
    expect((error as InvalidOptionArgumentError).code).toBe('commander.invalidArgument');
    expect((error as InvalidOptionArgumentError).message).toMatch(/90s, 5m, 12h, 1d/);
  });

  it('positiveIntegerArgument accepts only whole numbers from 1', () => {
    expect(positiveIntegerArgument('25')).toBe(25);
    for (const bad of ['0', '-1', '1.5', 'ten', '', '1e3']) expect(() => positiveIntegerArgument(bad)).toThrow(InvalidOptionArgumentError);
  });

  it('choiceArgument lists the allowed values', () => {
    expect(choiceArgument('json', ['table', 'json'])).toBe('json');
    expect(() => choiceArgument('yaml', ['table', 'json'])).toThrow('Allowed choices are table, json.');
  });

  it('timestampArgument accepts ISO 8601 dates and times only', () => {
    for (const ok of ['2025-01-31', '2025-01-31T12:00:00Z', '2025-01-31T12:00:00.123+02:00']) expect(timestampArgument(ok)).toBe(ok);
    for (const bad of ['yesterday', 'March 7', '2025-13-45', '31/01/2025']) expect(() => timestampArgument(bad)).toThrow(InvalidOptionArgumentError);
  });
});
