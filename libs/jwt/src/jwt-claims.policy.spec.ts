import {
  accessTokenPolicy,
  checkJwtClaims,
  checkJwtType,
  JwtClaimError,
  jwtClaimsPolicy,
  jwtTypeAccepted,
  type JwtClaimErrorCode,
  type JwtClaimsPolicy,
  MAX_TOKEN_LIFETIME_SECONDS,
  readNumericDate,
  typMatches,
} from './jwt-claims.policy.js';

/** 2026-12-06T08:00:00Z: every time below is relative to this frozen instant. */
const NOW = Date.UTC(2026, 11, 6, 8, 0, 0) / 1000;
const HEADER = Object.freeze({ alg: 'RS256', typ: 'JWT' });

type Claims = Record<string, unknown>;
const claims = (extra: Claims = {}): Claims => ({ iss: 'https://issuer.example', aud: 'api://one', iat: NOW, nbf: NOW, exp: NOW + 300, ...extra });

function refusal(payload: Claims, policy: JwtClaimsPolicy, header: Claims = HEADER, now = NOW): { code: JwtClaimErrorCode; claim: string } | 'accepted' {
  try {
    checkJwtClaims(header, payload, policy, now);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(JwtClaimError);
    expect((error as JwtClaimError).name).toBe('JwtClaimError');
    return { code: (error as JwtClaimError).code, claim: (error as JwtClaimError).claim };
  }
}

describe('checkJwtClaims', () => {
  it('returns exp in seconds, as written or read from a digit string', () => {
    expect(checkJwtClaims(HEADER, claims(), {}, NOW)).toBe(NOW + 300);
    expect(checkJwtClaims(HEADER, claims({ exp: String(NOW + 60), nbf: String(NOW), iat: undefined }), { numericDate: 'ms-s2s' }, NOW)).toBe(NOW + 60);
  });

  it('always requires exp', () => {
    expect(refusal(claims({ exp: undefined }), {})).toEqual({ code: 'exp_missing', claim: 'exp' });
  });

  describe('numericDate', () => {
    it.each<[string, unknown, 'rfc7519' | 'ms-s2s', number | undefined | null]>([
      ['an integer', 1_700_000_000, 'rfc7519', 1_700_000_000],
      ['a fraction', 1_700_000_000.5, 'rfc7519', 1_700_000_000.5],
      ['a fraction (MS S2S)', 1_700_000_000.5, 'ms-s2s', null],
      ['a digit string', '1700000000', 'rfc7519', null],
      ['a digit string (MS S2S)', '1700000000', 'ms-s2s', 1_700_000_000],
      ['13 digits (MS S2S)', '1'.repeat(13), 'ms-s2s', null],
      ['"1e10" (MS S2S)', '1e10', 'ms-s2s', null],
      ['" 123" (MS S2S)', ' 123', 'ms-s2s', null],
      ['full-width digits (MS S2S)', '\uFF11\uFF12', 'ms-s2s', null],
      ['negative', -1, 'rfc7519', null],
      ['negative (MS S2S)', -1, 'ms-s2s', null],
      ['Infinity', Infinity, 'rfc7519', null],
      ['null', null, 'rfc7519', null],
      ['true', true, 'ms-s2s', null],
      ['an array', [1], 'rfc7519', null],
      ['absent', undefined, 'ms-s2s', undefined],
    ])('reads %s', (_name, value, form, expected) => {
      expect(readNumericDate(value, form)).toBe(expected);
    });

    it('refuses a digit-string exp unless ms-s2s is chosen, and a fractional one when it is', () => {
      const stringDates = claims({ exp: String(NOW + 300), nbf: String(NOW), iat: undefined });
      expect(refusal(stringDates, {})).toEqual({ code: 'claim_malformed', claim: 'exp' });
      expect(refusal(stringDates, { numericDate: 'ms-s2s' })).toBe('accepted');
      expect(refusal(claims({ exp: NOW + 300.5 }), { numericDate: 'ms-s2s' })).toEqual({ code: 'claim_malformed', claim: 'exp' });
      expect(refusal(claims({ exp: NOW + 300.5 }), {})).toBe('accepted');
    });

    it('checks the form of all three before any time (and names the claim)', () => {
      expect(refusal(claims({ exp: NOW - 10_000, nbf: 'soon' }), {})).toEqual({ code: 'claim_malformed', claim: 'nbf' });
      expect(refusal(claims({ exp: undefined, iat: {} }), {})).toEqual({ code: 'claim_malformed', claim: 'iat' });
    });
  });

  describe('clockTolerance', () => {
    it('accepts exp up to the tolerance in the past, refuses at it (exp + tolerance <= now)', () => {
      expect(refusal(claims({ exp: NOW - 299, nbf: NOW - 600, iat: NOW - 600 }), { clockTolerance: 300 })).toBe('accepted');
      expect(refusal(claims({ exp: NOW - 300, nbf: NOW - 600, iat: NOW - 600 }), { clockTolerance: 300 })).toEqual({ code: 'token_expired', claim: 'exp' });
      expect(refusal(claims({ exp: NOW - 1, nbf: NOW - 600, iat: NOW - 600 }), {})).toEqual({ code: 'token_expired', claim: 'exp' });
      expect(refusal(claims({ exp: NOW }), {})).toEqual({ code: 'token_expired', claim: 'exp' });
    });

    it('is also the future tolerance of nbf and iat unless futureTolerance is set', () => {
      expect(refusal(claims({ nbf: NOW + 300, exp: NOW + 900 }), { clockTolerance: 300 })).toBe('accepted');
      expect(refusal(claims({ nbf: NOW + 301, exp: NOW + 900 }), { clockTolerance: 300 })).toEqual({ code: 'token_not_yet_valid', claim: 'nbf' });
      expect(refusal(claims({ iat: NOW + 300, exp: NOW + 900 }), { clockTolerance: 300 })).toBe('accepted');
      expect(refusal(claims({ iat: NOW + 301, exp: NOW + 900 }), { clockTolerance: 300 })).toEqual({ code: 'issued_in_future', claim: 'iat' });
      expect(refusal(claims({ nbf: NOW + 1 }), {})).toEqual({ code: 'token_not_yet_valid', claim: 'nbf' });
    });
  });

  describe('futureTolerance', () => {
    const policy: JwtClaimsPolicy = { clockTolerance: 10, futureTolerance: 60 };

    it('bounds nbf and iat in the future separately from the expiry tolerance', () => {
      expect(refusal(claims({ nbf: NOW + 60, iat: NOW + 60, exp: NOW + 360 }), policy)).toBe('accepted');
      expect(refusal(claims({ nbf: NOW + 61, exp: NOW + 360 }), policy)).toEqual({ code: 'token_not_yet_valid', claim: 'nbf' });
      expect(refusal(claims({ iat: NOW + 61, exp: NOW + 360 }), policy)).toEqual({ code: 'issued_in_future', claim: 'iat' });
      // The expiry keeps its own 10 s.
      expect(refusal(claims({ iat: NOW - 100, nbf: undefined, exp: NOW - 9 }), policy)).toBe('accepted');
      expect(refusal(claims({ iat: NOW - 100, nbf: undefined, exp: NOW - 10 }), policy)).toEqual({ code: 'token_expired', claim: 'exp' });
    });

    it('may be smaller than the clock tolerance', () => {
      expect(refusal(claims({ nbf: NOW + 5 }), { clockTolerance: 300, futureTolerance: 0 })).toEqual({ code: 'token_not_yet_valid', claim: 'nbf' });
    });
  });

  describe('requiredClaims', () => {
    it('nbf: nbf_missing, after the future checks', () => {
      expect(refusal(claims({ nbf: undefined }), {})).toBe('accepted');
      expect(refusal(claims({ nbf: undefined }), { requiredClaims: ['nbf'] })).toEqual({ code: 'nbf_missing', claim: 'nbf' });
      expect(refusal(claims({ nbf: undefined, iat: NOW + 100 }), { requiredClaims: ['nbf'] })).toEqual({ code: 'issued_in_future', claim: 'iat' });
    });

    it('iat: iat_missing, before the iat future check and after the nbf one', () => {
      expect(refusal(claims({ iat: undefined }), {})).toBe('accepted');
      expect(refusal(claims({ iat: undefined }), { requiredClaims: ['iat'] })).toEqual({ code: 'iat_missing', claim: 'iat' });
      expect(refusal(claims({ iat: undefined, nbf: NOW + 100 }), { requiredClaims: ['iat'] })).toEqual({ code: 'token_not_yet_valid', claim: 'nbf' });
    });

    it('any other claim: claim_missing naming it', () => {
      expect(refusal(claims(), { requiredClaims: ['jti'] })).toEqual({ code: 'claim_missing', claim: 'jti' });
      expect(refusal(claims({ jti: 'j1' }), { requiredClaims: ['jti', 'nbf', 'iat'] })).toBe('accepted');
    });
  });

  describe('maxLifetime and lifetimeFrom', () => {
    const DAY = 86_400;

    it('caps exp - iat, else exp - nbf by default (iat-or-nbf)', () => {
      expect(refusal(claims({ iat: NOW, nbf: NOW, exp: NOW + DAY }), { maxLifetime: DAY })).toBe('accepted');
      expect(refusal(claims({ iat: NOW, nbf: NOW, exp: NOW + DAY + 1 }), { maxLifetime: DAY })).toEqual({ code: 'lifetime_too_long', claim: 'iat' });
      expect(refusal(claims({ iat: undefined, nbf: NOW, exp: NOW + DAY + 1 }), { maxLifetime: DAY })).toEqual({ code: 'lifetime_too_long', claim: 'nbf' });
      expect(refusal(claims({ iat: undefined, nbf: undefined, exp: NOW + 10 * DAY }), { maxLifetime: DAY })).toBe('accepted');
      expect(refusal(claims({ exp: NOW + 10 * DAY }), {})).toBe('accepted');
    });

    it("'iat' measures from iat only", () => {
      const policy: JwtClaimsPolicy = { maxLifetime: 600, lifetimeFrom: 'iat' };
      expect(refusal(claims({ iat: NOW - 300, nbf: NOW, exp: NOW + 400 }), policy)).toEqual({ code: 'lifetime_too_long', claim: 'iat' });
      expect(refusal(claims({ iat: undefined, nbf: NOW - 1000, exp: NOW + 400 }), policy)).toBe('accepted');
      expect(refusal(claims({ iat: NOW, nbf: NOW - 1000, exp: NOW + 600 }), policy)).toBe('accepted');
    });

    it("'nbf' measures from nbf only", () => {
      const policy: JwtClaimsPolicy = { maxLifetime: 600, lifetimeFrom: 'nbf' };
      expect(refusal(claims({ iat: NOW, nbf: NOW - 300, exp: NOW + 400 }), policy)).toEqual({ code: 'lifetime_too_long', claim: 'nbf' });
      expect(refusal(claims({ iat: NOW - 1000, nbf: NOW, exp: NOW + 600 }), policy)).toBe('accepted');
      expect(refusal(claims({ iat: NOW - 1000, nbf: undefined, exp: NOW + 600 }), policy)).toBe('accepted');
    });
  });

  describe('audience', () => {
    it('a string: exactly that one string', () => {
      expect(refusal(claims(), { audience: 'api://one' })).toBe('accepted');
      expect(refusal(claims({ aud: 'api://ONE' }), { audience: 'api://one' })).toEqual({ code: 'audience_invalid', claim: 'aud' });
      expect(refusal(claims({ aud: undefined }), { audience: 'api://one' })).toEqual({ code: 'audience_invalid', claim: 'aud' });
    });

    it('a list: one of them', () => {
      expect(refusal(claims({ aud: 'api://two' }), { audience: ['api://one', 'api://two'] })).toBe('accepted');
      expect(refusal(claims({ aud: 'api://three' }), { audience: ['api://one', 'api://two'] })).toEqual({ code: 'audience_invalid', claim: 'aud' });
    });

    it('a predicate: whatever it accepts', () => {
      const seen: string[] = [];
      const policy: JwtClaimsPolicy = { audience: (aud) => (seen.push(aud), aud.startsWith('api://')) };
      expect(refusal(claims(), policy)).toBe('accepted');
      expect(refusal(claims({ aud: 'urn:other' }), policy)).toEqual({ code: 'audience_invalid', claim: 'aud' });
      expect(seen).toEqual(['api://one', 'urn:other']);
    });

    it('refuses an array unless audienceArrays is set; then every entry must be a string and one must match', () => {
      expect(refusal(claims({ aud: ['api://one'] }), { audience: 'api://one' })).toEqual({ code: 'audience_invalid', claim: 'aud' });
      const arrays: JwtClaimsPolicy = { audience: ['api://one'], audienceArrays: true };
      expect(refusal(claims({ aud: ['urn:x', 'api://one'] }), arrays)).toBe('accepted');
      expect(refusal(claims({ aud: ['urn:x'] }), arrays)).toEqual({ code: 'audience_invalid', claim: 'aud' });
      expect(refusal(claims({ aud: ['api://one', null] }), arrays)).toEqual({ code: 'audience_invalid', claim: 'aud' });
      expect(refusal(claims({ aud: [] }), arrays)).toEqual({ code: 'audience_invalid', claim: 'aud' });
      expect(refusal(claims({ aud: 7 }), arrays)).toEqual({ code: 'audience_invalid', claim: 'aud' });
    });

    it('is decided before the times', () => {
      expect(refusal(claims({ aud: 'urn:x', exp: 'x' }), { audience: 'api://one' })).toEqual({ code: 'audience_invalid', claim: 'aud' });
    });
  });

  describe('issuer', () => {
    it('one string or one of a list, exactly; decided before the audience', () => {
      expect(refusal(claims(), { issuer: 'https://issuer.example' })).toBe('accepted');
      expect(refusal(claims(), { issuer: ['https://other.example', 'https://issuer.example'] })).toBe('accepted');
      expect(refusal(claims(), { issuer: 'https://issuer.example/' })).toEqual({ code: 'issuer_invalid', claim: 'iss' });
      expect(refusal(claims({ iss: 7 }), { issuer: ['7'] })).toEqual({ code: 'issuer_invalid', claim: 'iss' });
      expect(refusal(claims({ aud: 'urn:x' }), { issuer: 'urn:other', audience: 'api://one' })).toEqual({ code: 'issuer_invalid', claim: 'iss' });
    });
  });

  describe('typ', () => {
    it('compares the header as a media type (RFC 7515 4.1.9); decided first', () => {
      expect(refusal(claims(), { typ: 'JWT' })).toBe('accepted');
      expect(refusal(claims(), { typ: 'at+jwt' })).toEqual({ code: 'token_type_invalid', claim: 'typ' });
      // Media types compare case-insensitively: the header JWT is the policy's jwt (was: refused, exact comparison).
      expect(refusal(claims(), { typ: 'jwt' })).toBe('accepted');
      expect(refusal(claims(), { typ: 'JWS' })).toEqual({ code: 'token_type_invalid', claim: 'typ' });
      expect(refusal(claims({ iss: 'x' }), { typ: 'at+jwt', issuer: 'y' })).toEqual({ code: 'token_type_invalid', claim: 'typ' });
    });

    it.each<[string, unknown, boolean]>([
      // RFC 9068 4: a resource server MUST accept application/at+jwt too.
      ['at+jwt', 'at+jwt', true],
      ['application/at+jwt', 'application/at+jwt', true],
      ['AT+JWT (case-insensitive)', 'AT+JWT', true],
      ['At+Jwt', 'At+Jwt', true],
      ['Application/AT+JWT', 'Application/AT+JWT', true],
      ['at+jwt with a trailing space', 'at+jwt ', false],
      ['text/at+jwt (another top-level type)', 'text/at+jwt', false],
      ['application/ alone', 'application/', false],
      ['application/application/at+jwt', 'application/application/at+jwt', false],
      ['jwt', 'jwt', false],
      ['application/jwt', 'application/jwt', false],
      ['a non-ASCII letter (at+jw\u0165)', 'at+jw\u0165', false],
      ['empty', '', false],
      ['a number', 1, false],
      ['null', null, false],
      ['an object', { typ: 'at+jwt' }, false],
      ['absent', undefined, false],
    ])('accessTokenPolicy typ %s (header %p): accepted %s', (_name, typ, accepted) => {
      const policy = accessTokenPolicy({ audience: 'api://one', clockTolerance: 0 });
      const header: Claims = typ === undefined ? { alg: 'RS256' } : { alg: 'RS256', typ };
      expect(jwtTypeAccepted(header, policy)).toBe(accepted);
      expect(refusal(claims(), policy, header)).toEqual(accepted ? 'accepted' : { code: 'token_type_invalid', claim: 'typ' });
    });

    it('the partner actor type JWT (typOptional): jwt, application/jwt in any case, or no typ', () => {
      const actor = jwtClaimsPolicy({ typ: 'JWT', typOptional: true });
      for (const typ of ['JWT', 'jwt', 'Jwt', 'application/jwt', 'APPLICATION/JWT', undefined]) expect([typ, jwtTypeAccepted(typ === undefined ? {} : { typ }, actor)]).toEqual([typ, true]);
      for (const typ of ['at+jwt', 'JWS', 'text/jwt', 'application/jwt ', '', null, 1]) expect([typ, jwtTypeAccepted({ typ }, actor)]).toEqual([typ, false]);
    });

    it('typMatches is symmetric and reads a value without "/" as application/<value> (as jose normalizes)', () => {
      expect(typMatches('application/at+jwt', 'at+jwt')).toBe(true);
      expect(typMatches('at+jwt', 'application/at+jwt')).toBe(true);
      expect(typMatches('X/Y', 'x/y')).toBe(true);
      expect(typMatches('x/y', 'application/x/y')).toBe(false);
      expect(typMatches('application/x/y', 'APPLICATION/X/Y')).toBe(true);
      expect(typMatches('at+jwt', 'at+jwu')).toBe(false);
    });

    it('typOptional lets a token without typ pass, never one with another typ', () => {
      const noTyp = { alg: 'RS256' };
      expect(refusal(claims(), { typ: 'JWT' }, noTyp)).toEqual({ code: 'token_type_invalid', claim: 'typ' });
      expect(refusal(claims(), { typ: 'JWT', typOptional: true }, noTyp)).toBe('accepted');
      expect(refusal(claims(), { typ: 'JWT', typOptional: true }, { alg: 'RS256', typ: 'at+jwt' })).toEqual({ code: 'token_type_invalid', claim: 'typ' });
      expect(refusal(claims(), { typ: 'JWT', typOptional: true }, { alg: 'RS256', typ: { JWT: true } })).toEqual({ code: 'token_type_invalid', claim: 'typ' });
    });

    it('checkJwtType applies the typ rule alone', () => {
      expect(() => checkJwtType({ typ: 'JWT' }, { typ: 'at+jwt' })).toThrow(new JwtClaimError('token_type_invalid', 'typ', 'the token type is not at+jwt'));
      expect(() => checkJwtType({ typ: 'JWT' }, {})).not.toThrow();
      expect(jwtTypeAccepted({}, { typ: 'JWT', typOptional: true })).toBe(true);
      expect(jwtTypeAccepted({ typ: 'at+jwt' }, { typ: 'JWT', typOptional: true })).toBe(false);
    });
  });

  describe('jwtClaimsPolicy', () => {
    const variants: JwtClaimsPolicy[] = [
      {},
      { typ: 'JWT', typOptional: true, audience: () => true, numericDate: 'ms-s2s', clockTolerance: 300, requiredClaims: ['nbf'], maxLifetime: 86_400, lifetimeFrom: 'nbf' },
      { audience: ['api://one'], audienceArrays: true, clockTolerance: 10, futureTolerance: 60, requiredClaims: ['iat'], maxLifetime: 600, lifetimeFrom: 'iat' },
      { issuer: 'https://issuer.example', audience: 'api://one' },
    ];

    it('gives every policy the same properties in the same order (one hidden class), frozen', () => {
      const built = variants.map(jwtClaimsPolicy);
      for (const policy of built) {
        expect(Object.keys(policy)).toEqual(Object.keys(built[0]!));
        expect(Object.isFrozen(policy)).toBe(true);
      }
    });

    it('decides exactly as the options it was built from', () => {
      const payloads = [claims(), claims({ exp: String(NOW + 60), nbf: String(NOW), iat: undefined }), claims({ nbf: undefined, iat: NOW + 30 }), claims({ aud: ['api://one'], exp: NOW + 700 }), claims({ exp: NOW - 5 })];
      for (const options of variants) for (const payload of payloads) expect(refusal(payload, jwtClaimsPolicy(options))).toEqual(refusal(payload, options));
    });

    it('fills the defaults: futureTolerance follows clockTolerance', () => {
      expect(jwtClaimsPolicy({ clockTolerance: 30 })).toMatchObject({ clockTolerance: 30, futureTolerance: 30, numericDate: 'rfc7519', lifetimeFrom: 'iat-or-nbf', typOptional: false, audienceArrays: false });
    });
  });

  describe('whole seconds (as jose: now is floored)', () => {
    it('a clock inside a second is judged at that second, for exp, nbf and iat', () => {
      // exp + tolerance <= now: at NOW + 0.7 the token expiring at NOW + 0.3 is still current (now reads NOW).
      expect(refusal(claims({ exp: NOW + 0.3 }), {}, HEADER, NOW + 0.7)).toBe('accepted');
      expect(refusal(claims({ exp: NOW }), {}, HEADER, NOW + 0.999)).toEqual({ code: 'token_expired', claim: 'exp' });
      // nbf - tolerance > now: nbf NOW + 0.5 is in the future at NOW + 0.5 (now reads NOW).
      expect(refusal(claims({ nbf: NOW + 0.5 }), {}, HEADER, NOW + 0.5)).toEqual({ code: 'token_not_yet_valid', claim: 'nbf' });
      expect(refusal(claims({ nbf: NOW + 1 }), {}, HEADER, NOW + 1)).toBe('accepted');
      expect(refusal(claims({ iat: NOW + 300.5 }), { clockTolerance: 300 }, HEADER, NOW + 0.9)).toEqual({ code: 'issued_in_future', claim: 'iat' });
      expect(refusal(claims({ iat: NOW + 300 }), { clockTolerance: 300 }, HEADER, NOW + 0.9)).toBe('accepted');
    });

    it('accessTokenPolicy at a millisecond clock decides as at its whole second', () => {
      const policy = accessTokenPolicy({ audience: 'api://one', clockTolerance: 300 });
      const at = { alg: 'RS256', typ: 'at+jwt' };
      for (const payload of [claims({ exp: NOW - 300 + 0.5 }), claims({ nbf: NOW + 300.25 }), claims({ exp: NOW - 299.5, nbf: NOW - 900, iat: NOW - 900 })]) {
        expect(refusal(payload, policy, at, NOW + 0.75)).toEqual(refusal(payload, policy, at, NOW));
      }
    });
  });

  it('decides at the instant given (a frozen clock), not the wall clock', () => {
    const old = claims({ iat: 1_000, nbf: 1_000, exp: 1_300 });
    expect(refusal(old, {}, HEADER, 1_100)).toBe('accepted');
    expect(refusal(old, {})).toEqual({ code: 'token_expired', claim: 'exp' });
  });

  it('accessTokenPolicy: RFC 9068 at+jwt, JSON-number dates, the skew both ways', () => {
    const policy = accessTokenPolicy({ issuer: 'https://issuer.example', audience: 'api://one', clockTolerance: 300 });
    const at = { alg: 'RS256', typ: 'at+jwt' };
    expect(refusal(claims(), policy, at)).toBe('accepted');
    expect(refusal(claims(), policy, HEADER)).toEqual({ code: 'token_type_invalid', claim: 'typ' });
    expect(refusal(claims({ exp: String(NOW + 60) }), policy, at)).toEqual({ code: 'claim_malformed', claim: 'exp' });
    expect(refusal(claims({ iat: NOW + 301 }), policy, at)).toEqual({ code: 'issued_in_future', claim: 'iat' });
    expect(refusal(claims({ exp: NOW - 299, nbf: NOW - 900, iat: NOW - 900 }), policy, at)).toBe('accepted');
    expect(refusal(claims({ iss: 'https://other.example' }), policy, at)).toEqual({ code: 'issuer_invalid', claim: 'iss' });
  });

  it('accessTokenPolicy: at most 24 h (MAX_TOKEN_LIFETIME_SECONDS) from iat, else nbf (SPEC 5.6, catalogue C05)', () => {
    const DAY = 86_400;
    expect(MAX_TOKEN_LIFETIME_SECONDS).toBe(DAY);
    const policy = accessTokenPolicy({ audience: 'api://one', clockTolerance: 300 });
    const at = { alg: 'RS256', typ: 'at+jwt' };
    expect(policy).toMatchObject({ maxLifetime: DAY, lifetimeFrom: 'iat-or-nbf' });
    expect(refusal(claims({ exp: NOW + DAY }), policy, at)).toBe('accepted');
    expect(refusal(claims({ exp: NOW + DAY + 1 }), policy, at)).toEqual({ code: 'lifetime_too_long', claim: 'iat' });
    expect(refusal(claims({ exp: NOW + 10 * 365 * DAY }), policy, at)).toEqual({ code: 'lifetime_too_long', claim: 'iat' });
    // iat decides when present: an old nbf does not lengthen the lifetime.
    expect(refusal(claims({ iat: NOW, nbf: NOW - DAY, exp: NOW + DAY }), policy, at)).toBe('accepted');
    // Without iat, from nbf.
    expect(refusal(claims({ iat: undefined, nbf: NOW - 1, exp: NOW + DAY }), policy, at)).toEqual({ code: 'lifetime_too_long', claim: 'nbf' });
    expect(refusal(claims({ iat: undefined, nbf: NOW, exp: NOW + DAY }), policy, at)).toBe('accepted');
    // Without either, nothing to measure from (this service always writes both).
    expect(refusal(claims({ iat: undefined, nbf: undefined, exp: NOW + 2 * DAY }), policy, at)).toBe('accepted');
    // Decided last: an expired token is expired, not too long.
    expect(refusal(claims({ iat: NOW - 3 * DAY, nbf: NOW - 3 * DAY, exp: NOW - DAY }), policy, at)).toEqual({ code: 'token_expired', claim: 'exp' });
  });
});
