import type { KeyObject } from 'node:crypto';
import { type JwsAlgorithm, verifyJws, verifyJwsOffLoop } from '@s2s/crypto';
import { checkJwtClaims, JwtClaimError, type JwtClaimsPolicy, JwtFormatError, parseCompactJwt, type ParsedJwt, readNumericDate } from '@s2s/jwt';
import type { TokenUser, ValidationTrace } from './token-validation.js';
import type { ClaimChecks, ValidationChecklist } from './validation.checklist.js';

/** One pass over a token: what it records, the instant it is judged at, whether a refresh may follow. */
export interface Attempt {
  readonly checklist: ValidationChecklist;
  readonly trace: ValidationTrace;
  /** The one instant the whole token is judged at. */
  readonly now: Date;
  /** Whether an unknown key may still trigger an on-demand metadata refresh (the first attempt only). */
  readonly mayRefresh: boolean;
  /** What earlier passes of the same validation found out off the event loop (see {@link signatureVerifies}). */
  readonly carry: AttemptCarry;
  /**
   * Until when (epoch ms) a verdict reached now stays true by the clock alone, besides the token's
   * own `exp`: each verifier lowers it to what it read that time ends (a partner key's validity,
   * our next scheduled key switch). The verified-token cache holds a verdict no longer.
   */
  holdUntilMs: number;
}

/** Lowers the time until which this attempt's verdict holds (see {@link Attempt.holdUntilMs}). */
export function holdUntil(attempt: Attempt, epochMs: number): void {
  if (epochMs < attempt.holdUntilMs) attempt.holdUntilMs = epochMs;
}

/**
 * Thrown out of a synchronous attempt when the token's key is unknown and its issuer may publish
 * it by now: validate() runs `refresh` (rate-limited per issuer) and validates once more without it.
 */
export class KeyRefreshNeeded {
  constructor(readonly refresh: () => Promise<boolean>) {}
}

/**
 * Thrown out of a synchronous attempt when a signature has to be verified and no earlier pass of
 * this validation has verified it: validate() runs `verify` (OpenSSL on the libuv thread pool) and
 * validates again from the start, synchronously, with the verdict in the {@link AttemptCarry}. So
 * the RSA operation does not hold the event loop, and every verdict is still reached in one
 * synchronous pass over the in-memory trust state (which cannot change in the middle of it).
 */
export class SignatureCheckNeeded {
  constructor(readonly verify: () => Promise<void>) {}
}

/** At most this many off-loop signature checks per validation; a further one is verified in the pass. */
const MAX_OFF_LOOP_CHECKS = 4;

interface SignatureVerdict {
  readonly algorithm: JwsAlgorithm;
  readonly signingInput: string;
  readonly signature: Buffer;
  readonly key: KeyObject;
  readonly valid: boolean;
}

/**
 * What the passes of one validate() call hand on to the next: the token's parse (a pure function of
 * the token string) and the signatures verified off the event loop, each for its exact signing
 * input, signature bytes and key object (a pass that picks another key verifies again).
 */
export class AttemptCarry {
  parsed: ParsedJwt | null = null;
  private readonly verdicts: SignatureVerdict[] = [];

  verdictOf(algorithm: JwsAlgorithm, jwt: ParsedJwt, key: KeyObject): boolean | undefined {
    for (const v of this.verdicts) {
      if (v.key === key && v.algorithm === algorithm && v.signingInput === jwt.signingInput && v.signature.equals(jwt.signature)) return v.valid;
    }
    return undefined;
  }

  /** The off-loop check of a signature no pass has verified yet, or null when it is to be verified in the pass. */
  offLoopCheck(algorithm: JwsAlgorithm, jwt: ParsedJwt, key: KeyObject): SignatureCheckNeeded | null {
    if (this.verdicts.length >= MAX_OFF_LOOP_CHECKS) return null;
    const { signingInput, signature } = jwt;
    return new SignatureCheckNeeded(() =>
      verifyJwsOffLoop(algorithm, signingInput, signature, key).then((valid) => {
        this.verdicts.push({ algorithm, signingInput, signature, key, valid });
      }),
    );
  }
}

/**
 * Whether `jwt`'s signature verifies with `key` under `algorithm`: the one signature check of every
 * issuer kind (self, partner, ACS, OAuth server). OpenSSL decides either way ({@link verifyJws});
 * the first time in a validation it is asked off the event loop ({@link SignatureCheckNeeded}).
 */
export function signatureVerifies(attempt: Attempt, algorithm: JwsAlgorithm, jwt: ParsedJwt, key: KeyObject): boolean {
  const known = attempt.carry.verdictOf(algorithm, jwt, key);
  if (known !== undefined) return known;
  const check = attempt.carry.offLoopCheck(algorithm, jwt, key);
  if (check !== null) throw check;
  return verifyJws(algorithm, jwt.signingInput, jwt.signature, key);
}

const UNSIGNED_ALLOWED = Object.freeze({ allowUnsigned: true });

/**
 * The strict pre-parser as the `format` check. Every token may be unsigned here: only as the outer
 * token of a signed actor token, checked by the caller. `parsed`: this token's parse from an
 * earlier pass of the same validation (recorded as passed again, not parsed again).
 */
export function preParse(token: unknown, checklist: ValidationChecklist, parsed: ParsedJwt | null = null): ParsedJwt {
  if (parsed !== null) {
    checklist.pass('format', 'compact JWS, canonical base64url, strict JSON');
    return parsed;
  }
  try {
    const jwt = parseCompactJwt(token, UNSIGNED_ALLOWED);
    checklist.pass('format', 'compact JWS, canonical base64url, strict JSON');
    return jwt;
  } catch (error) {
    if (error instanceof JwtFormatError) return checklist.fail('format', error.reason, error.message);
    throw error;
  }
}

/** The public message of a refused claim, for the codes whose text is the same on every path. */
export function commonClaimMessage(error: JwtClaimError, claims: Record<string, unknown>, policy: JwtClaimsPolicy): string {
  switch (error.code) {
    case 'claim_malformed':
      return 'exp, nbf and iat must be NumericDates';
    case 'exp_missing':
      return 'the token has no exp';
    case 'token_expired':
      return `the token expired at ${new Date(readNumericDate(claims.exp, policy.numericDate)! * 1000).toISOString()}`;
    case 'token_not_yet_valid':
    case 'issued_in_future':
      // One check and one reason for both (security catalogue C02, C03).
      return 'the token is not valid yet';
    default:
      return error.message;
  }
}

/** Codes decided before `exp` is known to be a NumericDate: the clock difference is not reported for them. */
const BEFORE_TIMES: ReadonlySet<string> = new Set(['token_type_invalid', 'issuer_invalid', 'audience_invalid', 'claim_malformed', 'exp_missing']);

/**
 * Runs the claims policy as the checklist entries of `section` (one call, no allocation when the
 * token passes) and returns `exp`. On a refusal, `message(error, claims, context)` words it for this
 * path (`context`: whatever that path's wording needs, so no closure is built per token).
 * `reportsClock`: this is the token whose clock difference explain mode reports (not an outer token).
 */
export function applyClaimsPolicy<C>(
  attempt: Attempt,
  jwt: ParsedJwt,
  policy: JwtClaimsPolicy,
  section: ClaimChecks,
  message: (error: JwtClaimError, claims: Record<string, unknown>, context: C) => string,
  context: C,
  reportsClock: boolean,
): number {
  const now = attempt.now.getTime() / 1000;
  const claims = jwt.payload;
  let exp: number;
  try {
    exp = checkJwtClaims(jwt.header, claims, policy, now);
  } catch (error) {
    if (!(error instanceof JwtClaimError)) throw error;
    if (reportsClock && !BEFORE_TIMES.has(error.code)) reportClockDifference(attempt, claims, policy, now);
    return attempt.checklist.failClaims(section, error, message(error, claims, context));
  }
  if (reportsClock) reportClockDifference(attempt, claims, policy, now);
  attempt.checklist.passAll(section);
  return exp;
}

/** How far the issuer's clock is from ours, by `iat` (else `nbf`), for explain mode. */
function reportClockDifference(attempt: Attempt, claims: Record<string, unknown>, policy: JwtClaimsPolicy, now: number): void {
  const issued = readNumericDate(claims.iat, policy.numericDate) ?? readNumericDate(claims.nbf, policy.numericDate) ?? now;
  attempt.trace.clockDifferenceSeconds = Math.round(now - issued);
}

/** The user a token's claims name. */
export function pickUser(claims: Record<string, unknown>): TokenUser {
  const user: TokenUser = {};
  for (const name of ['nameid', 'nii', 'sub', 'upn', 'smtp', 'sip', 'sid'] as const) if (typeof claims[name] === 'string') user[name] = claims[name] as string;
  return user;
}
