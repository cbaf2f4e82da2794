/**
 * One claims policy for every JWT this service accepts (in the manner of jose's `jwtVerify`
 * options and `src/lib/jwt_claims_set.ts`): the validator's three issuer kinds, client assertions
 * (RFC 7523) and on-behalf-of assertions differ only in the options they pass here.
 *
 * Runs after the signature has verified, on the payload the strict pre-parser produced. Allocates
 * nothing when the token passes (the hot path, SPEC 7): no result object, no closure, no string.
 */

/**
 * How a NumericDate claim (`exp`, `nbf`, `iat`) may be written.
 * - `rfc7519`: a JSON number ≥ 0, fractions allowed (RFC 7519 2).
 * - `ms-s2s`: an integer ≥ 0, or a string of 1 to 12 decimal digits: Microsoft S2S partners send
 *   `"nbf":"1323380605"` (SPEC 5.9: on that path only).
 */
export type NumericDateForm = 'rfc7519' | 'ms-s2s';

/** Which claim a token's lifetime (`exp` minus it) is measured from. */
export type LifetimeStart = 'iat' | 'nbf' | 'iat-or-nbf';

/** Why a token's claims were refused: a stable code; each caller maps it to its own reason code. */
export type JwtClaimErrorCode =
  | 'token_type_invalid'
  | 'issuer_invalid'
  | 'audience_invalid'
  | 'claim_malformed'
  | 'exp_missing'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'iat_missing'
  | 'issued_in_future'
  | 'nbf_missing'
  | 'claim_missing'
  | 'lifetime_too_long';

/**
 * What a token's header and claims must satisfy. Built once per caller (and per configuration)
 * and reused: the instant is passed to {@link checkJwtClaims} separately, so one policy object
 * serves every token.
 */
export interface JwtClaimsPolicy {
  /**
   * The `typ` header (RFC 8725 3.11), compared as a media type (RFC 7515 4.1.9, as jose does): ASCII
   * case-insensitively, with the `application/` prefix optional, so `at+jwt` also accepts
   * `application/at+jwt` (RFC 9068 4) and `AT+JWT`. See {@link typMatches}. Unset: not checked.
   */
  readonly typ?: string;
  /** With `typ`: a token without a `typ` header passes too (MS S2S actor tokens, SPEC 4.1). Default false. */
  readonly typOptional?: boolean;
  /** The `iss` claim, exactly one of these. Unset: not checked (the caller chose the issuer already). */
  readonly issuer?: string | readonly string[];
  /**
   * The `aud` claim: equal to this string, one of these strings, or accepted by this predicate.
   * Unset: not checked.
   */
  readonly audience?: string | readonly string[] | ((aud: string) => boolean);
  /**
   * Accept `aud` as a JSON array of strings, one of which must match (RFC 7519 4.1.3). Default false:
   * `aud` must be one string, so a token cannot be aimed at us and at someone else at once
   * (security catalogue C06).
   */
  readonly audienceArrays?: boolean;
  /** Default `rfc7519`. */
  readonly numericDate?: NumericDateForm;
  /**
   * Seconds of clock difference tolerated (jose's `clockTolerance`): a token is expired once
   * `exp + clockTolerance <= now`. Also the future tolerance unless {@link futureTolerance} is set.
   * Default 0.
   */
  readonly clockTolerance?: number;
  /** Seconds `nbf` and `iat` may lie in the future: refused once `nbf - futureTolerance > now`. Default {@link clockTolerance}. */
  readonly futureTolerance?: number;
  /**
   * Claims that must be present besides `exp` (always required): `nbf` (code `nbf_missing`),
   * `iat` (`iat_missing`), any other name (`claim_missing`).
   */
  readonly requiredClaims?: readonly string[];
  /** Longest lifetime accepted, in seconds: `exp` minus the {@link lifetimeFrom} claim. Unset: no cap. */
  readonly maxLifetime?: number;
  /**
   * Which claim the lifetime is measured from; when that claim is absent, the lifetime is not
   * capped (make it required to cap every token). Default `iat-or-nbf`.
   */
  readonly lifetimeFrom?: LifetimeStart;
}

/**
 * `options` as a policy with every option present, in one fixed order, frozen. Every policy built
 * here has the same hidden class, so the property loads in {@link checkJwtClaims} stay monomorphic
 * however many callers (validator paths, client assertions, on-behalf-of) share it on one process.
 * Build policies with this (once, not per token); a plain object literal works too, only slower.
 */
export function jwtClaimsPolicy(options: JwtClaimsPolicy): JwtClaimsPolicy {
  const clockTolerance = options.clockTolerance ?? 0;
  return Object.freeze({
    typ: options.typ,
    typOptional: options.typOptional ?? false,
    issuer: options.issuer,
    audience: options.audience,
    audienceArrays: options.audienceArrays ?? false,
    numericDate: options.numericDate ?? 'rfc7519',
    clockTolerance,
    futureTolerance: options.futureTolerance ?? clockTolerance,
    requiredClaims: options.requiredClaims === undefined ? undefined : Object.freeze([...options.requiredClaims]),
    maxLifetime: options.maxLifetime,
    lifetimeFrom: options.lifetimeFrom ?? 'iat-or-nbf',
  });
}

/** A claim (or the `typ` header) the policy refused; `code` is stable, `claim` names what failed. */
export class JwtClaimError extends Error {
  constructor(
    readonly code: JwtClaimErrorCode,
    /** The claim (or `typ`) that failed: `exp`, `nbf`, `iat`, `aud`, `iss`, `typ`, or a required claim's name. */
    readonly claim: string,
    message: string,
  ) {
    super(message);
    this.name = 'JwtClaimError';
  }
}

const DIGITS = /^[0-9]{1,12}$/;

/**
 * Longest lifetime accepted for a token of this service or a partner, in seconds: 24 h. SPEC 4.1
 * (S2S actor tokens: never above 24 h), SPEC 5.6 ("maximum lifetime"), security catalogue C05.
 * The service's own access-token lifetime is configurable up to the same 24 h.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/**
 * A NumericDate claim's value in seconds: `undefined` when the claim is absent, `null` when it is
 * present but not a NumericDate of `form`.
 */
export function readNumericDate(value: unknown, form: NumericDateForm = 'rfc7519'): number | undefined | null {
  if (value === undefined) return undefined;
  if (form === 'rfc7519') return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  return typeof value === 'string' && DIGITS.test(value) ? Number(value) : null;
}

/** Whether the `typ` header satisfies `policy` (always, when the policy names no `typ`). */
export function jwtTypeAccepted(header: Readonly<Record<string, unknown>>, policy: JwtClaimsPolicy): boolean {
  const expected = policy.typ;
  if (expected === undefined) return true;
  const typ = header.typ;
  if (typ === undefined) return policy.typOptional === true;
  return typeof typ === 'string' && typMatches(typ, expected);
}

const APPLICATION = 'application/';

/**
 * Whether two `typ` values name the same media type (RFC 7515 4.1.9; jose's `normalizeTyp`): a value
 * without a `/` is read with `application/` prepended, and media types compare case-insensitively
 * (RFC 6838 4.2: their names are ASCII, so the comparison is ASCII). The exact spelling (every
 * token this service and Microsoft partners send) is decided by the first comparison and
 * allocates nothing; the others allocate nothing either.
 */
export function typMatches(typ: string, expected: string): boolean {
  if (typ === expected) return true;
  const typAt = mediaSubtypeAt(typ);
  const expectedAt = mediaSubtypeAt(expected);
  // -1: another top-level type, compared whole; otherwise both must be application/ types.
  if ((typAt === -1) !== (expectedAt === -1)) return false;
  const from = typAt === -1 ? 0 : typAt;
  const expectedFrom = expectedAt === -1 ? 0 : expectedAt;
  return typ.length - from === expected.length - expectedFrom && asciiEqualIgnoringCase(typ, from, expected, expectedFrom, typ.length - from);
}

/** Where the subtype of an `application/` media type starts (0 when the prefix is implied), or -1 for another type. */
function mediaSubtypeAt(value: string): number {
  if (value.indexOf('/') === -1) return 0;
  return value.length > APPLICATION.length && asciiEqualIgnoringCase(value, 0, APPLICATION, 0, APPLICATION.length) ? APPLICATION.length : -1;
}

function asciiEqualIgnoringCase(a: string, aFrom: number, b: string, bFrom: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (lowerAscii(a.charCodeAt(aFrom + i)) !== lowerAscii(b.charCodeAt(bFrom + i))) return false;
  return true;
}

/** A-Z as a-z; any other code unit as it is (so no non-ASCII character ever equals an ASCII letter). */
const lowerAscii = (code: number): number => (code >= 0x41 && code <= 0x5a ? code | 0x20 : code);

/**
 * The `typ` rule alone, for callers whose checklist decides the token type before the key is
 * looked up (the validator uses {@link jwtTypeAccepted} there); {@link checkJwtClaims} applies it too.
 *
 * @throws JwtClaimError `token_type_invalid`.
 */
export function checkJwtType(header: Readonly<Record<string, unknown>>, policy: JwtClaimsPolicy): void {
  if (!jwtTypeAccepted(header, policy)) throw new JwtClaimError('token_type_invalid', 'typ', `the token type is not ${policy.typ}`);
}

/**
 * Decides a token's header type and claims under `policy` at the instant `nowSeconds`, in a fixed order
 * (the first failure wins): `typ`; `iss`; `aud`; the NumericDate form of `exp`, `nbf` and `iat`;
 * `exp` present; not expired; `nbf` not in the future; `iat` present when required, not in the
 * future; `nbf` present when required; other required claims; the maximum lifetime.
 *
 * @param nowSeconds Seconds since the epoch, from the caller's (injected, in tests frozen) clock. Judged in
 *   whole seconds (floored), as jose does and as NumericDates are issued: a sub-second part of the
 *   clock never decides a token, whichever caller passes it.
 * @returns `exp`, in seconds.
 * @throws JwtClaimError with a stable code.
 */
export function checkJwtClaims(header: Readonly<Record<string, unknown>>, payload: Readonly<Record<string, unknown>>, policy: JwtClaimsPolicy, nowSeconds: number): number {
  const now = Math.floor(nowSeconds);
  if (policy.typ !== undefined) checkJwtType(header, policy);
  if (policy.issuer !== undefined && !issuerAccepted(payload.iss, policy.issuer)) throw new JwtClaimError('issuer_invalid', 'iss', 'the issuer is not accepted');
  if (policy.audience !== undefined && !audienceAccepted(payload.aud, policy.audience, policy.audienceArrays === true)) {
    throw new JwtClaimError('audience_invalid', 'aud', 'the audience is not accepted');
  }

  const form = policy.numericDate ?? 'rfc7519';
  const exp = readNumericDate(payload.exp, form);
  const nbf = readNumericDate(payload.nbf, form);
  const iat = readNumericDate(payload.iat, form);
  if (exp === null) throw malformed('exp');
  if (nbf === null) throw malformed('nbf');
  if (iat === null) throw malformed('iat');
  if (exp === undefined) throw new JwtClaimError('exp_missing', 'exp', 'the token has no exp');

  const tolerance = policy.clockTolerance ?? 0;
  const future = policy.futureTolerance ?? tolerance;
  if (exp + tolerance <= now) throw new JwtClaimError('token_expired', 'exp', 'the token has expired');
  if (nbf !== undefined && nbf - future > now) throw new JwtClaimError('token_not_yet_valid', 'nbf', 'the token is not valid yet');
  const required = policy.requiredClaims;
  if (iat === undefined && required !== undefined && required.includes('iat')) throw new JwtClaimError('iat_missing', 'iat', 'the token has no iat');
  if (iat !== undefined && iat - future > now) throw new JwtClaimError('issued_in_future', 'iat', 'the token was issued in the future');
  if (required !== undefined) checkRequired(payload, required);

  const max = policy.maxLifetime;
  if (max !== undefined) {
    const lifetimeFrom = policy.lifetimeFrom ?? 'iat-or-nbf';
    const fromNbf = lifetimeFrom === 'nbf' || (lifetimeFrom === 'iat-or-nbf' && iat === undefined);
    const start = fromNbf ? nbf : iat;
    if (start !== undefined && exp - start > max) throw new JwtClaimError('lifetime_too_long', fromNbf ? 'nbf' : 'iat', `the token is valid for more than ${max} s`);
  }
  return exp;
}

function malformed(claim: 'exp' | 'nbf' | 'iat'): JwtClaimError {
  return new JwtClaimError('claim_malformed', claim, `the ${claim} claim is not a NumericDate`);
}

/** Required claims other than `exp` and `iat` (decided above): `nbf` and any other name. */
function checkRequired(payload: Readonly<Record<string, unknown>>, required: readonly string[]): void {
  for (let i = 0; i < required.length; i++) {
    const claim = required[i]!;
    if (claim === 'iat' || payload[claim] !== undefined) continue;
    if (claim === 'nbf') throw new JwtClaimError('nbf_missing', 'nbf', 'the token has no nbf');
    throw new JwtClaimError('claim_missing', claim, `the token has no ${claim}`);
  }
}

function issuerAccepted(iss: unknown, expected: string | readonly string[]): boolean {
  return typeof iss === 'string' && (typeof expected === 'string' ? iss === expected : expected.includes(iss));
}

function audienceAccepted(aud: unknown, expected: NonNullable<JwtClaimsPolicy['audience']>, arrays: boolean): boolean {
  if (typeof aud === 'string') return accepts(aud, expected);
  if (!arrays || !Array.isArray(aud)) return false;
  // Every entry must be a string (a null or a number is malformed, not ignored); one must match.
  let accepted = false;
  for (let i = 0; i < aud.length; i++) {
    const entry: unknown = aud[i];
    if (typeof entry !== 'string') return false;
    if (!accepted && accepts(entry, expected)) accepted = true;
  }
  return accepted;
}

function accepts(aud: string, expected: NonNullable<JwtClaimsPolicy['audience']>): boolean {
  if (typeof expected === 'string') return aud === expected;
  if (typeof expected === 'function') return expected(aud);
  return expected.includes(aud);
}

/**
 * The policy of this service's own RFC 9068 access tokens (SPEC 4.2; RFC 9068 4): `typ: at+jwt`
 * (as a media type, so `application/at+jwt` too), JSON-number NumericDates, `exp` required,
 * `nbf`/`iat` not beyond the clock skew, and at most {@link MAX_TOKEN_LIFETIME_SECONDS} from `iat`
 * (else `nbf`; SPEC 5.6 "maximum lifetime", catalogue C05: the service never issues longer ones).
 * Shared by the validator's self-token path and the on-behalf-of grant, so both decide "our
 * token, current" alike.
 */
export function accessTokenPolicy(options: { issuer?: string; audience: NonNullable<JwtClaimsPolicy['audience']>; clockTolerance: number }): JwtClaimsPolicy {
  return jwtClaimsPolicy({
    typ: 'at+jwt',
    issuer: options.issuer,
    audience: options.audience,
    numericDate: 'rfc7519',
    clockTolerance: options.clockTolerance,
    maxLifetime: MAX_TOKEN_LIFETIME_SECONDS,
    lifetimeFrom: 'iat-or-nbf',
  });
}
