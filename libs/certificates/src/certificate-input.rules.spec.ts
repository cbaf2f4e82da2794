import { InvalidInputError } from '@s2s/core';
import {
  checkRealmsIncludeConfigured,
  DEFAULT_VALIDITY_DAYS,
  MAX_VALIDITY_DAYS,
  requestSubject,
  selfSignedSubject,
  validateRealmsAndNames,
  validityDays,
} from './certificate-input.rules.js';

function caught(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

function expectFieldError(fn: () => unknown, field: string, message: string): void {
  const error = caught(fn);
  expect(error.code).toBe('validation_failed');
  expect(error.message).toBe(`${field}: ${message}`);
  expect(error.details).toEqual([{ field, message }]);
}

const DNS_NAME_RULE = 'must be a lowercase DNS name (a leading *. wildcard is allowed)';
const SELF_SIGNED_SUBJECT_RULE = 'a self-signed subject is "CN=<name>" with an optional ", O=<organization>"';

describe('validateRealmsAndNames', () => {
  it('lists the realms first, then the extra names, without duplicates', () => {
    expect(
      validateRealmsAndNames(['contoso.com', '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f', 'contoso.com'], ['s2s.contoso.com', 'contoso.com', 's2s.contoso.com']),
    ).toEqual(['contoso.com', '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f', 's2s.contoso.com']);
  });

  it('accepts a wildcard in the extra DNS names', () => {
    expect(validateRealmsAndNames(['contoso.com'], ['*.contoso.com'])).toEqual(['contoso.com', '*.contoso.com']);
  });

  it('refuses an empty realm list', () => {
    expectFieldError(() => validateRealmsAndNames([], ['contoso.com']), 'realms', 'give at least one realm');
  });

  it('refuses an uppercase realm, naming its index', () => {
    const error = caught(() => validateRealmsAndNames(['Contoso.com'], []));
    expect(error.details).toEqual([{ field: 'realms[0]', message: '"Contoso.com" must be lowercase' }]);
    expect(error.details![0]!.message).toContain('must be lowercase');
    expect(error.message).toBe('realms[0]: "Contoso.com" must be lowercase');
  });

  it('names the index of the first bad realm', () => {
    expectFieldError(
      () => validateRealmsAndNames(['contoso.com', 'contoso..com'], []),
      'realms[1]',
      '"contoso..com" must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID',
    );
  });

  it('refuses a wildcard realm', () => {
    expectFieldError(
      () => validateRealmsAndNames(['*.contoso.com'], []),
      'realms[0]',
      '"*.contoso.com" must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID',
    );
  });

  it.each([
    ['S2S.contoso.com', 1],
    ['*.*.contoso.com', 1],
    ['s2s.*.contoso.com', 1],
    ['*', 1],
    ['contoso.com/x', 1],
  ])('refuses the extra DNS name %s', (name, index) => {
    expectFieldError(() => validateRealmsAndNames(['contoso.com'], ['s2s.contoso.com', name]), `dnsNames[${index}]`, `${JSON.stringify(name)} ${DNS_NAME_RULE}`);
  });
});

describe('checkRealmsIncludeConfigured', () => {
  it('accepts realms that include the configured realm', () => {
    expect(() => checkRealmsIncludeConfigured(['fabrikam.com', 'contoso.com'], 'contoso.com')).not.toThrow();
  });

  it('accepts anything when no realm is configured', () => {
    expect(() => checkRealmsIncludeConfigured(['fabrikam.com'], null)).not.toThrow();
  });

  it('refuses realms without the configured realm', () => {
    expectFieldError(
      () => checkRealmsIncludeConfigured(['fabrikam.com'], 'contoso.com'),
      'realms',
      'must include the configured realm contoso.com; a certificate that does not name it cannot be used',
    );
  });
});

describe('selfSignedSubject', () => {
  it('defaults to CN=<first realm>', () => {
    expect(selfSignedSubject(undefined, 'contoso.com')).toEqual({ commonName: 'contoso.com' });
  });

  it('takes CN alone', () => {
    expect(selfSignedSubject('CN=s2s.contoso.com', 'contoso.com')).toEqual({ commonName: 's2s.contoso.com' });
  });

  it('takes CN and O in either order, with escapes', () => {
    expect(selfSignedSubject('CN=s2s.contoso.com, O=Contoso\\, Ltd', 'contoso.com')).toEqual({ commonName: 's2s.contoso.com', organization: 'Contoso, Ltd' });
    expect(selfSignedSubject('o=Contoso,cn=s2s.contoso.com', 'contoso.com')).toEqual({ commonName: 's2s.contoso.com', organization: 'Contoso' });
  });

  it('refuses OU', () => {
    expectFieldError(() => selfSignedSubject('CN=s2s.contoso.com, OU=IT', 'contoso.com'), 'subject', SELF_SIGNED_SUBJECT_RULE);
  });

  it('refuses a subject without CN', () => {
    expectFieldError(() => selfSignedSubject('O=Contoso', 'contoso.com'), 'subject', SELF_SIGNED_SUBJECT_RULE);
  });

  it('reports a syntax error of the DN on the subject field', () => {
    expectFieldError(() => selfSignedSubject('CN', 'contoso.com'), 'subject', 'Subject attribute must be TYPE=value: "CN"');
    expectFieldError(
      () => selfSignedSubject('CN=x, DC=contoso', 'contoso.com'),
      'subject',
      'Unsupported subject attribute type "DC"; allowed: CN, O, OU, L, ST, C',
    );
  });
});

describe('requestSubject', () => {
  it('defaults to CN=<first realm>', () => {
    expect(requestSubject(undefined, 'contoso.com')).toBe('CN=contoso.com');
  });

  it('returns a valid DN unchanged, OU and friends included', () => {
    const subject = 'CN=s2s.contoso.com, OU=IT, O=Contoso, L=Redmond, ST=WA, C=US';
    expect(requestSubject(subject, 'contoso.com')).toBe(subject);
  });

  it('refuses an invalid DN on the subject field', () => {
    expectFieldError(() => requestSubject('CN=x, C=USA', 'contoso.com'), 'subject', 'Subject C must be 1 to 2 characters (RFC 5280 Appendix A)');
    expectFieldError(
      () => requestSubject('  ', 'contoso.com'),
      'subject',
      'subject must be a non-empty distinguished name such as "CN=host.example.com, O=Example"',
    );
  });
});

describe('validityDays', () => {
  const RULE = 'must be a whole number of days from 1 to 3650';

  it('defaults to 365', () => {
    expect(DEFAULT_VALIDITY_DAYS).toBe(365);
    expect(validityDays(undefined)).toBe(365);
  });

  it.each([1, 90, 3650])('accepts %s', (days) => {
    expect(validityDays(days)).toBe(days);
  });

  it.each([0, -1, 3651, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (days) => {
    expect(MAX_VALIDITY_DAYS).toBe(3650);
    expectFieldError(() => validityDays(days), 'days', RULE);
  });
});
