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
  /** The roll that staged `next`: how it activates; null when nothing is staged. */
  roll: StagedRoll | null;
  /** When the previous certificate stopped signing (the switch); null when there is no previous one or it is not known. */
  previousRetiredAt: Date | null;
  /** Operator opted out: the previous certificate stays until removed by hand. */
  keepPrevious: boolean;
  updatedAt: Date;
}

/** How a staged certificate becomes current (issue 16: rollover safety). */
export interface StagedRoll {
  /** When the next certificate was published (staged). Partner downloads count from here. */
  publishedAt: Date;
  /** Activation gate: at the effective date it becomes current only once every enabled partner fetched since publication. */
  activateWhenFetched: boolean;
  /** Gated rolls: when it becomes current anyway. Equal to the effective date when not gated. */
  deadline: Date;
  /** When the gate's alert was raised (once per roll), or null. */
  alertedAt: Date | null;
  /** Keep the certificate this roll retires until it is removed by hand (opt-out of automatic removal). */
  keepPrevious: boolean;
}

export type AssignmentSlot = 'current' | 'next' | 'previous';

export const EMPTY_ASSIGNMENT: TokenIssuerAssignment = {
  current: null,
  next: null,
  nextEffectiveAt: null,
  previous: null,
  roll: null,
  previousRetiredAt: null,
  keepPrevious: false,
  updatedAt: new Date(0),
};

/**
 * When the staged certificate becomes current by the clock alone: the effective date, or for a
 * gated roll its deadline (before it, only a recorded activation switches). Null when nothing is staged.
 */
export function automaticSwitchAt(assignment: TokenIssuerAssignment): Date | null {
  if (assignment.next === null || assignment.nextEffectiveAt === null) return null;
  return assignment.roll?.activateWhenFetched ? assignment.roll.deadline : assignment.nextEffectiveAt;
}

/**
 * The assignment as it stands at `now`: a staged certificate whose effective date (for a gated
 * roll: its deadline) has come is current, and the one it replaced is previous. Every instance
 * computes this from the stored row and its clock, so a roll takes effect everywhere at that
 * instant without a restart or a coordinating write (the stored row is brought up to date afterwards).
 */
export function settleAssignment(assignment: TokenIssuerAssignment, now: Date): TokenIssuerAssignment {
  const switchAt = automaticSwitchAt(assignment);
  if (switchAt === null || switchAt > now) return assignment;
  return switchTo(assignment, switchAt);
}

/** The staged certificate becomes current at `at`; the one it replaced becomes previous. */
export function switchTo(assignment: TokenIssuerAssignment, at: Date): TokenIssuerAssignment {
  const retired = assignment.current !== null;
  return {
    current: assignment.next,
    next: null,
    nextEffectiveAt: null,
    previous: assignment.current ?? assignment.previous,
    roll: null,
    previousRetiredAt: retired ? at : assignment.previousRetiredAt,
    keepPrevious: retired ? (assignment.roll?.keepPrevious ?? false) : assignment.keepPrevious,
    updatedAt: at,
  };
}

/** Is a gated roll waiting at `now` (its effective date passed, its deadline not yet)? */
export function awaitingActivation(assignment: TokenIssuerAssignment, now: Date): boolean {
  return assignment.next !== null && assignment.nextEffectiveAt !== null && assignment.nextEffectiveAt <= now && automaticSwitchAt(assignment)! > now;
}

/**
 * When the previous certificate may be removed automatically: `longestTokenSeconds` after the
 * switch (every token it signed has expired), or null (none, kept by the operator, switch unknown).
 */
export function previousRemovableAt(assignment: TokenIssuerAssignment, longestTokenSeconds: number): Date | null {
  if (assignment.previous === null || assignment.keepPrevious || assignment.previousRetiredAt === null) return null;
  return new Date(assignment.previousRetiredAt.getTime() + longestTokenSeconds * 1000);
}

/** The slot `thumbprint` occupies, or null. */
export function slotOf(assignment: TokenIssuerAssignment, thumbprint: string): AssignmentSlot | null {
  if (assignment.current === thumbprint) return 'current';
  if (assignment.next === thumbprint) return 'next';
  if (assignment.previous === thumbprint) return 'previous';
  return null;
}

/** Assigns `thumbprint` at once: it becomes current and the old current becomes previous. */
export function assignImmediately(assignment: TokenIssuerAssignment, thumbprint: string, now: Date, keepPrevious = false): TokenIssuerAssignment {
  const staged = assignment.next === thumbprint;
  const retired = assignment.current !== null && assignment.current !== thumbprint;
  const previous = assignment.current === thumbprint ? assignment.previous : (assignment.current ?? assignment.previous);
  return {
    current: thumbprint,
    next: staged ? null : assignment.next,
    nextEffectiveAt: staged ? null : assignment.nextEffectiveAt,
    previous: previous === thumbprint ? null : previous,
    roll: staged ? null : assignment.roll,
    previousRetiredAt: retired ? now : previous === thumbprint ? null : assignment.previousRetiredAt,
    keepPrevious: retired ? keepPrevious : assignment.keepPrevious,
    updatedAt: now,
  };
}

/**
 * Stages `thumbprint` as next, effective at `effectiveAt` (replacing any staged one). Rolling back
 * to the previous certificate moves it out of the previous slot: no key is published twice.
 */
export function stageRoll(
  assignment: TokenIssuerAssignment,
  thumbprint: string,
  effectiveAt: Date,
  now: Date,
  options: { activateWhenFetched?: boolean; deadline?: Date; keepPrevious?: boolean } = {},
): TokenIssuerAssignment {
  const rollsBack = assignment.previous === thumbprint;
  const gated = options.activateWhenFetched === true;
  return {
    ...assignment,
    next: thumbprint,
    nextEffectiveAt: effectiveAt,
    previous: rollsBack ? null : assignment.previous,
    previousRetiredAt: rollsBack ? null : assignment.previousRetiredAt,
    roll: {
      publishedAt: now,
      activateWhenFetched: gated,
      deadline: gated ? (options.deadline ?? effectiveAt) : effectiveAt,
      alertedAt: null,
      keepPrevious: options.keepPrevious ?? false,
    },
    updatedAt: now,
  };
}

/** Empties the previous slot (`Remove-CsCertificate -Type OAuthTokenIssuer -Previous`). */
export function clearPrevious(assignment: TokenIssuerAssignment, now: Date): TokenIssuerAssignment {
  return { ...assignment, previous: null, previousRetiredAt: null, updatedAt: now };
}

/** Thumbprints in publishing order: current first (what signs), then next, then previous (SPEC 5.3). */
export function publishedThumbprints(assignment: TokenIssuerAssignment): string[] {
  return [assignment.current, assignment.next, assignment.previous].filter((value): value is string => value !== null);
}
