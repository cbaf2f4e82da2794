import { type JwtClaimError, type JwtClaimErrorCode, readNumericDate } from '@s2s/jwt';
import { TokenRejectedError, type ValidationCheck } from './token-validation.js';

/**
 * The checklist entries one call of the claims policy (`checkJwtClaims`, libs/jwt) stands for:
 * explain mode lists them exactly as the validator listed them before the policy existed.
 */
export interface ClaimChecks {
  /** The checks, in checklist order; all recorded as passed when the policy accepts the token. */
  readonly checks: readonly string[];
  /** For each policy code this path can meet: the index in `checks` it fails, and the validator's reason code. */
  readonly failures: { readonly [code in JwtClaimErrorCode]?: readonly [at: number, reason: string] };
}

/** The check each policy code fails (without a section's prefix such as `outer-`), and the validator's reason for it. */
const CHECK_OF_CLAIM_ERROR: { readonly [code in JwtClaimErrorCode]?: readonly [check: string, reason: string] } = {
  audience_invalid: ['audience', 'audience_invalid'],
  claim_malformed: ['claim-types', 'claim_malformed'],
  exp_missing: ['expiry', 'exp_missing'],
  token_expired: ['expiry', 'token_expired'],
  token_not_yet_valid: ['not-before', 'token_not_yet_valid'],
  issued_in_future: ['not-before', 'token_not_yet_valid'],
  nbf_missing: ['not-before', 'nbf_missing'],
  lifetime_too_long: ['lifetime', 'lifetime_too_long'],
};

/**
 * The section for `checks` (in checklist order, all with the same `prefix`): every policy code
 * fails the check it names (`nbf_missing` the last `not-before`, which follows the time check),
 * with the validator's reason; a code whose check is not listed stays unmapped.
 */
export function claimChecks(checks: readonly string[], prefix = ''): ClaimChecks {
  const failures: { [code in JwtClaimErrorCode]?: readonly [number, string] } = {};
  for (const [code, [check, reason]] of Object.entries(CHECK_OF_CLAIM_ERROR) as [JwtClaimErrorCode, readonly [string, string]][]) {
    const name = prefix + check;
    const at = code === 'nbf_missing' ? checks.lastIndexOf(name) : checks.indexOf(name);
    if (at >= 0) failures[code] = [at, reason];
  }
  return Object.freeze({ checks: Object.freeze([...checks]), failures: Object.freeze(failures) });
}

/** Our own access tokens and OAuth servers' tokens: the claims policy stands for these checks. */
export const ACCESS_TOKEN_CLAIMS = claimChecks(['audience', 'claim-types', 'expiry', 'not-before', 'lifetime']);

/**
 * An ordered checklist (STYLE habit 7): every rule is recorded as passed or failed, in order, for
 * explain mode; the first failure stops validation with its own reason code.
 */
export class ValidationChecklist {
  readonly checks: ValidationCheck[] = [];

  /** `recording` false (the hot path) keeps only the failure, not every passed check. */
  constructor(private readonly recording = true) {}

  pass(check: string, detail: string | (() => string) | null = null): void {
    if (this.recording) this.checks.push({ check, passed: true, detail: typeof detail === 'function' ? detail() : detail });
  }

  /**
   * Passes `check` with a detail worded by `describe(subject)` in explain mode only. `describe` is
   * a module-level function, so a passing check builds neither the string nor a closure (one that
   * captured a local would also make V8 allocate the caller's context on every token).
   */
  passDescribed<S>(check: string, describe: (subject: S) => string, subject: S): void {
    if (this.recording) this.checks.push({ check, passed: true, detail: describe(subject) });
  }

  /** Passes every check of a policy section at once (nothing at all on the hot path). */
  passAll(section: ClaimChecks): void {
    if (!this.recording) return;
    for (const check of section.checks) this.checks.push({ check, passed: true, detail: null });
  }

  /** Records the failure and throws it. */
  fail(check: string, reason: string, message: string): never {
    this.checks.push({ check, passed: false, detail: message });
    throw new TokenRejectedError(reason, message);
  }

  /**
   * Fails the check of `section` that the policy's `error` stands for with this path's reason,
   * after recording the checks before it as passed. A code the section does not map is a
   * programming error: it is thrown as it is, never taken for a pass.
   */
  failClaims(section: ClaimChecks, error: JwtClaimError, message: string): never {
    const failure = section.failures[error.code];
    if (failure === undefined) throw error;
    const [at, reason] = failure;
    for (let i = 0; i < at; i++) this.pass(section.checks[i]!);
    return this.fail(section.checks[at]!, reason, message);
  }

  /**
   * Passes `check` when `condition` holds, otherwise fails with `reason`. For a message that needs
   * building, write `if (!condition) checklist.fail(...)` then `pass`, so that a passing check (the
   * hot path) builds no string and allocates no closure.
   */
  require(condition: boolean, check: string, reason: string, message: string): void {
    if (condition) this.pass(check);
    else this.fail(check, reason, message);
  }
}

/** MS S2S tokens may carry NumericDates as decimal strings (SPEC 5.9): `^[0-9]{1,12}$` on that path only. */
export function msNumericDate(value: unknown): number | undefined | null {
  return readNumericDate(value, 'ms-s2s');
}

/** Standard JWT NumericDate (numbers only). */
export function numericDate(value: unknown): number | undefined | null {
  return readNumericDate(value, 'rfc7519');
}
