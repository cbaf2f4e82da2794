import { InvalidOptionArgumentError } from './cli-errors.js';
import {
  booleanArgument,
  caseInsensitiveChoiceArgument,
  integerChoiceArgument,
  repeatableArgument,
  thumbprintArgument,
  zonedTimestampArgument,
} from './option-argument.parser.js';

describe('repeatableArgument', () => {
  it('collects every occurrence in order, starting from nothing', () => {
    const first = repeatableArgument('contoso.com', undefined);
    expect(first).toEqual(['contoso.com']);
    expect(repeatableArgument('fabrikam.com', first)).toEqual(['contoso.com', 'fabrikam.com']);
    // commander keeps the returned array; the previous one is not mutated.
    expect(first).toEqual(['contoso.com']);
  });

  it('rejects an empty occurrence', () => {
    expect(() => repeatableArgument(' ', ['a'])).toThrow(InvalidOptionArgumentError);
  });
});

describe('integerChoiceArgument', () => {
  it('returns the number for an allowed value and names the choices otherwise', () => {
    expect(integerChoiceArgument('3072', [2048, 3072, 4096])).toBe(3072);
    expect(() => integerChoiceArgument('1024', [2048, 3072, 4096])).toThrow(new InvalidOptionArgumentError('Allowed choices are 2048, 3072, 4096.'));
    expect(() => integerChoiceArgument('02048', [2048])).toThrow(InvalidOptionArgumentError);
  });
});

describe('caseInsensitiveChoiceArgument', () => {
  it.each(['OAuthTokenIssuer', 'oauthtokenissuer', 'OAUTHTOKENISSUER', ' OAuthTokenIssuer '])('returns the canonical spelling for %j', (value) => {
    expect(caseInsensitiveChoiceArgument(value, ['OAuthTokenIssuer'] as const)).toBe('OAuthTokenIssuer');
  });

  it('names the supported values', () => {
    expect(() => caseInsensitiveChoiceArgument('WebServer', ['OAuthTokenIssuer'])).toThrow(
      new InvalidOptionArgumentError('Supported values are OAuthTokenIssuer (in any case).'),
    );
  });
});

describe('thumbprintArgument', () => {
  it('normalises and rejects like normaliseThumbprint, as an option error', () => {
    expect(thumbprintArgument('9a:3f:5c:7e:1b:2d:4f:6a:8c:0e:9a:3f:5c:7e:1b:2d:4f:6a:8c:01')).toBe('9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01');
    expect(() => thumbprintArgument('9A3F')).toThrow(InvalidOptionArgumentError);
  });
});

describe('zonedTimestampArgument', () => {
  it.each([
    ['2025-03-01T09:00:00Z', '2025-03-01T09:00:00.000Z'],
    ['2025-03-01t09:00z', '2025-03-01T09:00:00.000Z'],
    ['2025-03-01T09:00:00+01:00', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T09:00:00-05:30', '2025-03-01T14:30:00.000Z'],
    ['2025-03-01T09:00:00+0100', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T09:00+01', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T00:30:00+01:00', '2025-02-28T23:30:00.000Z'],
    ['2025-03-01T09:00:00.5Z', '2025-03-01T09:00:00.500Z'],
    ['2025-03-01T09:00:00.123456789Z', '2025-03-01T09:00:00.123Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2025-03-01T09:00:00-00:00', '2025-03-01T09:00:00.000Z'],
    ['2025-03-01 09:00:00Z', '2025-03-01T09:00:00.000Z'],
  ])('%s -> %s (UTC)', (input, expected) => {
    expect(zonedTimestampArgument(input)).toBe(expected);
  });

  it.each(['2025-03-01T09:00:00', '2025-03-01T09:00', '2025-03-01 09:00:00'])('refuses the local time %j, explaining that it has no timezone', (input) => {
    expect(() => zonedTimestampArgument(input)).toThrow(
      new InvalidOptionArgumentError(
        'It has no timezone, so it would mean a different instant on each machine: add Z or an offset, e.g. 2025-03-01T09:00:00Z (UTC) or 2025-03-01T09:00:00+01:00.',
      ),
    );
  });

  it('refuses a date alone as ambiguous', () => {
    expect(() => zonedTimestampArgument('2025-03-01')).toThrow(/^A date alone is ambiguous: give a time and a timezone/);
  });

  it.each(['2025-02-29T09:00:00Z', '2025-13-01T09:00:00Z', '2025-03-01T24:00:00Z', '2025-03-01T09:60:00Z', '2025-03-01T09:00:60Z', '2025-03-01T09:00:00+24:00', '2025-03-01T09:00:00+01:60'])(
    'refuses the impossible %j',
    (input) => {
      expect(() => zonedTimestampArgument(input)).toThrow(/^Not a valid date and time/);
    },
  );

  it.each(['tomorrow', '1740819600', '2025-3-1T09:00:00Z', '2025-03-01T09:00:00 Z', '2025-03-01T09:00:00ZZ', 'Sat, 01 Mar 2025 09:00:00 GMT', ''])(
    'refuses the non-ISO %j',
    (input) => {
      expect(() => zonedTimestampArgument(input)).toThrow(/^Expected an ISO 8601 date and time with a timezone/);
    },
  );
});

describe('booleanArgument', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
    [' True ', true],
  ])('%j -> %j', (value, expected) => {
    expect(booleanArgument(value)).toBe(expected);
  });

  it.each(['yes', '1', '', 'off'])('refuses %j', (value) => {
    expect(() => booleanArgument(value)).toThrow(new InvalidOptionArgumentError('Expected true or false.'));
  });
});
