import { OutputFormatter } from '../common/output.formatter.js';
import type { TokenValidationResult } from './token-validation.dto.js';
import { formatUser, invalidReason, keyLine, renderExplanation, renderTokenValidation, validityLine } from './token-validation.render.js';

const formatter = new OutputFormatter();
const APP_ID = '00000002-0000-0ff1-ce00-000000000000';

const VALID: TokenValidationResult = {
  valid: true,
  reason: null,
  message: null,
  trust: { kind: 'partner', id: 'microsoft.exchange' },
  appId: APP_ID,
  roles: [],
  scopes: [],
  user: { upn: 'alice@contoso.com', sid: null },
  checks: [
    { check: 'signature', passed: true, detail: 'RS256' },
    { check: 'issuer', passed: true, detail: null },
  ],
  key: { id: 'x5t-current', found: true, source: 'partner metadata' },
  issuerMetadataFetchedAt: '2025-06-01T00:00:00.000Z',
  clockDifferenceSeconds: 3,
  header: { alg: 'RS256' },
  claims: { aud: 'x' },
};

const INVALID: TokenValidationResult = {
  ...VALID,
  valid: false,
  reason: 'signature_invalid',
  message: 'the signature does not verify with key x5t-current',
  trust: null,
  appId: null,
  user: null,
  checks: [
    { check: 'signature', passed: false, detail: 'does not verify\nwith x5t-current' },
    { check: 'lifetime', passed: true, detail: null },
  ],
  key: { id: 'x5t-unknown', found: false, source: 'partner metadata' },
  issuerMetadataFetchedAt: null,
  clockDifferenceSeconds: null,
};

describe('token validate rendering', () => {
  it('first line', () => {
    expect(validityLine(VALID)).toBe('valid (trusted as partner microsoft.exchange)');
    expect(validityLine({ ...VALID, trust: { kind: 'self', id: 's2s.contoso.com' } })).toBe('valid (trusted as self s2s.contoso.com)');
    expect(validityLine({ ...VALID, trust: null })).toBe('valid');
    expect(validityLine(INVALID)).toBe('invalid: signature_invalid: the signature does not verify with key x5t-current');
    expect(validityLine({ ...INVALID, message: null })).toBe('invalid: signature_invalid');
    expect(validityLine({ ...INVALID, reason: null, message: null })).toBe('invalid');
  });

  it('stderr reason', () => {
    expect(invalidReason(INVALID)).toBe('token is not valid: signature_invalid');
    expect(invalidReason({ reason: null, message: 'expired' })).toBe('token is not valid: expired');
    expect(invalidReason({ reason: null, message: null })).toBe('token is not valid');
  });

  it('user and key', () => {
    expect(formatUser(VALID.user)).toBe('upn=alice@contoso.com');
    expect(formatUser({ nameid: 'a', roles: ['x'] })).toBe('nameid=a, roles=["x"]');
    expect(formatUser(null)).toBeNull();
    expect(keyLine(VALID.key)).toBe('key: x5t-current (found, partner metadata)');
    expect(keyLine(INVALID.key)).toBe('key: x5t-unknown (not found, partner metadata)');
    expect(keyLine(null)).toBe('key: none');
  });

  it('valid: the verdict and whom the token is for', () => {
    expect(renderTokenValidation(formatter, VALID, { explain: false })).toBe(
      ['valid (trusted as partner microsoft.exchange)', `app-id  ${APP_ID}`, 'roles   -', 'scopes  -', 'user    upn=alice@contoso.com', ''].join('\n'),
    );
  });

  it('invalid: only the verdict; --explain adds every check, the key, the metadata age and the clock difference', () => {
    expect(renderTokenValidation(formatter, INVALID, { explain: false })).toBe('invalid: signature_invalid: the signature does not verify with key x5t-current\n');
    expect(renderTokenValidation(formatter, INVALID, { explain: true }).split('\n')).toEqual([
      'invalid: signature_invalid: the signature does not verify with key x5t-current',
      '',
      'CHECK      RESULT  DETAIL',
      'signature  FAIL    does not verify with x5t-current',
      'lifetime   pass    -',
      'key: x5t-unknown (not found, partner metadata)',
      'metadata fetched: never',
      'clock difference: unknown',
      '',
    ]);
  });

  it('explanation of a valid token', () => {
    expect(renderExplanation(formatter, VALID).split('\n').slice(-4)).toEqual([
      'key: x5t-current (found, partner metadata)',
      'metadata fetched: 2025-06-01T00:00:00.000Z',
      'clock difference: 3 s',
      '',
    ]);
    expect(renderExplanation(formatter, { ...VALID, checks: [] })).toMatch(/^checks: \(none\)\n/);
  });
});
