import {
  assignImmediately,
  automaticSwitchAt,
  awaitingActivation,
  previousRemovableAt,
  switchTo,
  clearPrevious,
  EMPTY_ASSIGNMENT,
  publishedThumbprints,
  settleAssignment,
  slotOf,
  stageRoll,
  type TokenIssuerAssignment,
} from './token-issuer-assignment.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const EARLIER = new Date('2026-11-01T08:00:00Z');
const EFFECTIVE_AT = new Date('2026-11-29T00:00:00Z');

const A = 'A'.repeat(40);
const B = 'B'.repeat(40);
const C = 'C'.repeat(40);
const D = 'D'.repeat(40);

function assignment(overrides: Partial<TokenIssuerAssignment> = {}): TokenIssuerAssignment {
  return { current: null, next: null, nextEffectiveAt: null, previous: null, roll: null, previousRetiredAt: null, keepPrevious: false, updatedAt: EARLIER, ...overrides };
}

/** Thumbprints never occupy two slots at once. */
function expectDistinctSlots(value: TokenIssuerAssignment): void {
  const filled = publishedThumbprints(value);
  expect(new Set(filled).size).toBe(filled.length);
}

describe('settleAssignment', () => {
  it('returns the very same object when nothing is staged', () => {
    const stored = assignment({ current: A, previous: C });
    expect(settleAssignment(stored, NOW)).toBe(stored);
    expect(settleAssignment(EMPTY_ASSIGNMENT, NOW)).toBe(EMPTY_ASSIGNMENT);
  });

  it('returns the very same object while the staged roll is not due yet', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    const justBefore = new Date(EFFECTIVE_AT.getTime() - 1);
    expect(settleAssignment(stored, NOW)).toBe(stored);
    expect(settleAssignment(stored, justBefore)).toBe(stored);
    expect(stored).toEqual(assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C }));
  });

  it('ignores a next without an effective date (inconsistent row) and an effective date without a next', () => {
    const noDate = assignment({ current: A, next: B });
    const noNext = assignment({ current: A, nextEffectiveAt: EARLIER });
    expect(settleAssignment(noDate, NOW)).toBe(noDate);
    expect(settleAssignment(noNext, NOW)).toBe(noNext);
  });

  it('makes next current at exactly nextEffectiveAt: old current becomes previous, next is cleared', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    const settled = settleAssignment(stored, new Date(EFFECTIVE_AT.getTime()));
    expect(settled).not.toBe(stored);
    expect(settled).toMatchObject({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: EFFECTIVE_AT });
    // The stored row is not mutated.
    expect(stored).toEqual(assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C }));
  });

  it('stamps updatedAt with the effective date, not with now, when settled late', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EARLIER });
    const settled = settleAssignment(stored, NOW);
    expect(settled).toMatchObject({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: EARLIER });
  });

  it('keeps the previous slot when there was no current certificate', () => {
    const stored = assignment({ current: null, next: B, nextEffectiveAt: EARLIER, previous: C });
    expect(settleAssignment(stored, NOW)).toMatchObject({ current: B, next: null, nextEffectiveAt: null, previous: C, updatedAt: EARLIER });
  });

  it('leaves previous empty when both current and previous were empty', () => {
    const stored = assignment({ next: B, nextEffectiveAt: EARLIER });
    expect(settleAssignment(stored, NOW)).toMatchObject({ current: B, next: null, nextEffectiveAt: null, previous: null, updatedAt: EARLIER });
  });
});

describe('assignImmediately', () => {
  it('makes the certificate current and the old current previous, keeping a staged roll of another certificate', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    const result = assignImmediately(stored, D, NOW);
    expect(result).toMatchObject({ current: D, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: A, updatedAt: NOW });
    expect(stored.current).toBe(A);
  });

  it('clears next (and its effective date) when the staged certificate is assigned at once', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    const result = assignImmediately(stored, B, NOW);
    expect(result).toMatchObject({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: NOW });
    expectDistinctSlots(result);
  });

  it('swaps current and previous when the previous certificate is assigned again', () => {
    const stored = assignment({ current: A, previous: C });
    const result = assignImmediately(stored, C, NOW);
    expect(result).toMatchObject({ current: C, next: null, nextEffectiveAt: null, previous: A, updatedAt: NOW });
    expectDistinctSlots(result);
  });

  it('keeps previous when nothing was current', () => {
    const stored = assignment({ current: null, previous: C });
    expect(assignImmediately(stored, D, NOW)).toMatchObject({ current: D, next: null, nextEffectiveAt: null, previous: C, updatedAt: NOW });
  });

  it('empties previous rather than duplicating it when the previous certificate is assigned with nothing current', () => {
    const stored = assignment({ current: null, previous: C });
    const result = assignImmediately(stored, C, NOW);
    expect(result).toMatchObject({ current: C, next: null, nextEffectiveAt: null, previous: null, updatedAt: NOW });
    expectDistinctSlots(result);
  });

  it('leaves previous alone when the current certificate is assigned again', () => {
    const stored = assignment({ current: A, previous: C });
    expect(assignImmediately(stored, A, NOW)).toMatchObject({ current: A, next: null, nextEffectiveAt: null, previous: C, updatedAt: NOW });
  });

  it('fills an empty assignment with current only', () => {
    expect(assignImmediately(EMPTY_ASSIGNMENT, A, NOW)).toMatchObject({ current: A, next: null, nextEffectiveAt: null, previous: null, updatedAt: NOW });
  });
});

describe('stageRoll', () => {
  it('stages next with its effective date and keeps current and previous', () => {
    const stored = assignment({ current: A, previous: C });
    const result = stageRoll(stored, B, EFFECTIVE_AT, NOW);
    expect(result).toMatchObject({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C, updatedAt: NOW });
    expect(stored.next).toBeNull();
  });

  it('replaces an already staged roll', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT });
    const later = new Date('2026-12-01T00:00:00Z');
    expect(stageRoll(stored, D, later, NOW)).toMatchObject({ current: A, next: D, nextEffectiveAt: later, previous: null, updatedAt: NOW });
  });

  it('rolling back to the previous certificate moves it out of the previous slot (never published twice)', () => {
    const staged = stageRoll(assignment({ current: A, previous: C }), C, EFFECTIVE_AT, NOW);
    expect(staged).toMatchObject({ current: A, next: C, nextEffectiveAt: EFFECTIVE_AT, previous: null, updatedAt: NOW });
    expect(publishedThumbprints(staged)).toEqual([A, C]);
  });

  it('is settled at its effective date like any staged roll', () => {
    const staged = stageRoll(assignment({ current: A, previous: C }), B, EFFECTIVE_AT, NOW);
    expect(settleAssignment(staged, NOW)).toBe(staged);
    expect(settleAssignment(staged, EFFECTIVE_AT)).toMatchObject({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: EFFECTIVE_AT });
  });
});

describe('clearPrevious', () => {
  it('empties previous only and stamps updatedAt', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    expect(clearPrevious(stored, NOW)).toMatchObject({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: null, updatedAt: NOW });
    expect(stored.previous).toBe(C);
  });
});

describe('slotOf', () => {
  const full = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });

  it.each([
    [A, 'current'],
    [B, 'next'],
    [C, 'previous'],
    [D, null],
  ] as const)('finds %s in slot %s', (thumbprint, slot) => {
    expect(slotOf(full, thumbprint)).toBe(slot);
  });

  it('finds nothing in an empty assignment', () => {
    expect(slotOf(EMPTY_ASSIGNMENT, A)).toBeNull();
  });
});

describe('publishedThumbprints', () => {
  it('lists current, next, previous in that order', () => {
    expect(publishedThumbprints(assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C }))).toEqual([A, B, C]);
  });

  it('skips empty slots and keeps the order', () => {
    expect(publishedThumbprints(assignment({ current: A, previous: C }))).toEqual([A, C]);
    expect(publishedThumbprints(assignment({ next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C }))).toEqual([B, C]);
    expect(publishedThumbprints(EMPTY_ASSIGNMENT)).toEqual([]);
  });
});

describe('EMPTY_ASSIGNMENT', () => {
  it('has every slot empty and the epoch as updatedAt', () => {
    expect(EMPTY_ASSIGNMENT).toMatchObject({ current: null, next: null, nextEffectiveAt: null, previous: null, updatedAt: new Date(0) });
  });
});

describe('rollover safety (issue 16)', () => {
  const DEADLINE = new Date('2026-12-06T00:00:00Z');

  it('records when the retired certificate stopped signing, and applies the roll\'s keep-previous choice then', () => {
    const staged = stageRoll(assignment({ current: A, previous: C, keepPrevious: true }), B, EFFECTIVE_AT, NOW, { keepPrevious: false });
    expect(staged.roll).toEqual({ publishedAt: NOW, activateWhenFetched: false, deadline: EFFECTIVE_AT, alertedAt: null, keepPrevious: false });
    // The choice about the certificate in the previous slot now (C) holds until the switch.
    expect(staged.keepPrevious).toBe(true);
    const settled = settleAssignment(staged, EFFECTIVE_AT);
    expect(settled).toEqual({ current: B, next: null, nextEffectiveAt: null, previous: A, roll: null, previousRetiredAt: EFFECTIVE_AT, keepPrevious: false, updatedAt: EFFECTIVE_AT });
  });

  it('a gated roll does not switch by the clock at its effective date, only at its deadline', () => {
    const staged = stageRoll(assignment({ current: A }), B, EFFECTIVE_AT, NOW, { activateWhenFetched: true, deadline: DEADLINE });
    expect(automaticSwitchAt(staged)).toEqual(DEADLINE);
    const afterEffective = new Date(EFFECTIVE_AT.getTime() + 60_000);
    expect(settleAssignment(staged, afterEffective)).toBe(staged);
    expect(awaitingActivation(staged, afterEffective)).toBe(true);
    expect(awaitingActivation(staged, NOW)).toBe(false);
    expect(settleAssignment(staged, DEADLINE)).toMatchObject({ current: B, previous: A, previousRetiredAt: DEADLINE });
    expect(awaitingActivation(staged, DEADLINE)).toBe(false);
  });

  it('switchTo activates a gated roll at the instant the gate opened', () => {
    const staged = stageRoll(assignment({ current: A }), B, EFFECTIVE_AT, NOW, { activateWhenFetched: true, deadline: DEADLINE });
    const opened = new Date(EFFECTIVE_AT.getTime() + 120_000);
    expect(switchTo(staged, opened)).toMatchObject({ current: B, next: null, roll: null, previous: A, previousRetiredAt: opened, updatedAt: opened });
  });

  it('the previous certificate is removable only the longest token lifetime after the switch, and never when kept or unknown', () => {
    const switched = assignment({ current: B, previous: A, previousRetiredAt: EFFECTIVE_AT });
    expect(previousRemovableAt(switched, 43_500)).toEqual(new Date(EFFECTIVE_AT.getTime() + 43_500_000));
    expect(previousRemovableAt({ ...switched, keepPrevious: true }, 43_500)).toBeNull();
    expect(previousRemovableAt({ ...switched, previousRetiredAt: null }, 43_500)).toBeNull();
    expect(previousRemovableAt({ ...switched, previous: null }, 43_500)).toBeNull();
    expect(clearPrevious(switched, NOW)).toMatchObject({ previous: null, previousRetiredAt: null });
  });

  it('assigning at once retires the old current now, and rolling back to the previous one forgets its retirement', () => {
    const assigned = assignImmediately(assignment({ current: A }), B, NOW, true);
    expect(assigned).toMatchObject({ current: B, previous: A, previousRetiredAt: NOW, keepPrevious: true });
    expect(stageRoll(assigned, A, EFFECTIVE_AT, NOW)).toMatchObject({ next: A, previous: null, previousRetiredAt: null });
  });
});
