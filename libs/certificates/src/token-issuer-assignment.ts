/**
 * The OAuth token-issuer slots (SPEC 5.2), like Exchange AuthConfig's Current/Next/Previous
 * certificate thumbprints and Skype's `Set-CsCertificate -Type OAuthTokenIssuer -Roll`.
 */
export interface TokenIssuerAssignment {
  current: string | null;
  next: string | null;
  /** When `next` becomes current; set exactly when `next` is. */
  nextEffectiveAt: Date | null;
  previous: string | null;
  updatedAt: Date;
}

export type AssignmentSlot = 'current' | 'next' | 'previous';

export const EMPTY_ASSIGNMENT: TokenIssuerAssignment = { current: null, next: null, nextEffectiveAt: null, previous: null, updatedAt: new Date(0) };

/**
 * The assignment as it stands at `now`: a staged certificate whose effective date has come is
 * current, and the one it replaced is previous. Every instance computes this from the stored row
 * and its clock, so a roll takes effect everywhere at the effective date without a restart or a
 * coordinating write (the stored row is brought up to date afterwards).
 */
export function settleAssignment(assignment: TokenIssuerAssignment, now: Date): TokenIssuerAssignment {
  if (assignment.next === null || assignment.nextEffectiveAt === null || assignment.nextEffectiveAt > now) return assignment;
  return {
    current: assignment.next,
    next: null,
    nextEffectiveAt: null,
    previous: assignment.current ?? assignment.previous,
    updatedAt: assignment.nextEffectiveAt,
  };
}

/** The slot `thumbprint` occupies, or null. */
export function slotOf(assignment: TokenIssuerAssignment, thumbprint: string): AssignmentSlot | null {
  if (assignment.current === thumbprint) return 'current';
  if (assignment.next === thumbprint) return 'next';
  if (assignment.previous === thumbprint) return 'previous';
  return null;
}

/** Assigns `thumbprint` at once: it becomes current and the old current becomes previous. */
export function assignImmediately(assignment: TokenIssuerAssignment, thumbprint: string, now: Date): TokenIssuerAssignment {
  const staged = assignment.next === thumbprint;
  const previous = assignment.current === thumbprint ? assignment.previous : (assignment.current ?? assignment.previous);
  return {
    current: thumbprint,
    next: staged ? null : assignment.next,
    nextEffectiveAt: staged ? null : assignment.nextEffectiveAt,
    previous: previous === thumbprint ? null : previous,
    updatedAt: now,
  };
}

/**
 * Stages `thumbprint` as next, effective at `effectiveAt` (replacing any staged one). Rolling back
 * to the previous certificate moves it out of the previous slot: no key is published twice.
 */
export function stageRoll(assignment: TokenIssuerAssignment, thumbprint: string, effectiveAt: Date, now: Date): TokenIssuerAssignment {
  const previous = assignment.previous === thumbprint ? null : assignment.previous;
  return { ...assignment, next: thumbprint, nextEffectiveAt: effectiveAt, previous, updatedAt: now };
}

/** Empties the previous slot (`Remove-CsCertificate -Type OAuthTokenIssuer -Previous`). */
export function clearPrevious(assignment: TokenIssuerAssignment, now: Date): TokenIssuerAssignment {
  return { ...assignment, previous: null, updatedAt: now };
}

/** Thumbprints in publishing order: current first (what signs), then next, then previous (SPEC 5.3). */
export function publishedThumbprints(assignment: TokenIssuerAssignment): string[] {
  return [assignment.current, assignment.next, assignment.previous].filter((value): value is string => value !== null);
}
