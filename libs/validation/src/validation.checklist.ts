import { TokenRejectedError, type ValidationCheck } from './token-validation.js';

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

  /** Records the failure and throws it. */
  fail(check: string, reason: string, message: string): never {
    this.checks.push({ check, passed: false, detail: message });
    throw new TokenRejectedError(reason, message);
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
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^[0-9]{1,12}$/.test(value)) return Number(value);
  return null;
}

/** Standard JWT NumericDate (numbers only). */
export function numericDate(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
