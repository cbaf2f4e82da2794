import {
  assignImmediately,
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
  return { current: null, next: null, nextEffectiveAt: null, previous: null, updatedAt: EARLIER, ...overrides };
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
    expect(settled).toEqual({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: EFFECTIVE_AT });
    // The stored row is not mutated.
    expect(stored).toEqual(assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C }));
  });

  it('stamps updatedAt with the effective date, not with now, when settled late', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EARLIER });
    const settled = settleAssignment(stored, NOW);
    expect(settled).toEqual({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: EARLIER });
  });

  it('keeps the previous slot when there was no current certificate', () => {
    const stored = assignment({ current: null, next: B, nextEffectiveAt: EARLIER, previous: C });
    expect(settleAssignment(stored, NOW)).toEqual({ current: B, next: null, nextEffectiveAt: null, previous: C, updatedAt: EARLIER });
  });

  it('leaves previous empty when both current and previous were empty', () => {
    const stored = assignment({ next: B, nextEffectiveAt: EARLIER });
    expect(settleAssignment(stored, NOW)).toEqual({ current: B, next: null, nextEffectiveAt: null, previous: null, updatedAt: EARLIER });
  });
});

describe('assignImmediately', () => {
  it('makes the certificate current and the old current previous, keeping a staged roll of another certificate', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    const result = assignImmediately(stored, D, NOW);
    expect(result).toEqual({ current: D, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: A, updatedAt: NOW });
    expect(stored.current).toBe(A);
  });

  it('clears next (and its effective date) when the staged certificate is assigned at once', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    const result = assignImmediately(stored, B, NOW);
    expect(result).toEqual({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: NOW });
    expectDistinctSlots(result);
  });

  it('swaps current and previous when the previous certificate is assigned again', () => {
    const stored = assignment({ current: A, previous: C });
    const result = assignImmediately(stored, C, NOW);
    expect(result).toEqual({ current: C, next: null, nextEffectiveAt: null, previous: A, updatedAt: NOW });
    expectDistinctSlots(result);
  });

  it('keeps previous when nothing was current', () => {
    const stored = assignment({ current: null, previous: C });
    expect(assignImmediately(stored, D, NOW)).toEqual({ current: D, next: null, nextEffectiveAt: null, previous: C, updatedAt: NOW });
  });

  it('empties previous rather than duplicating it when the previous certificate is assigned with nothing current', () => {
    const stored = assignment({ current: null, previous: C });
    const result = assignImmediately(stored, C, NOW);
    expect(result).toEqual({ current: C, next: null, nextEffectiveAt: null, previous: null, updatedAt: NOW });
    expectDistinctSlots(result);
  });

  it('leaves previous alone when the current certificate is assigned again', () => {
    const stored = assignment({ current: A, previous: C });
    expect(assignImmediately(stored, A, NOW)).toEqual({ current: A, next: null, nextEffectiveAt: null, previous: C, updatedAt: NOW });
  });

  it('fills an empty assignment with current only', () => {
    expect(assignImmediately(EMPTY_ASSIGNMENT, A, NOW)).toEqual({ current: A, next: null, nextEffectiveAt: null, previous: null, updatedAt: NOW });
  });
});

describe('stageRoll', () => {
  it('stages next with its effective date and keeps current and previous', () => {
    const stored = assignment({ current: A, previous: C });
    const result = stageRoll(stored, B, EFFECTIVE_AT, NOW);
    expect(result).toEqual({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C, updatedAt: NOW });
    expect(stored.next).toBeNull();
  });

  it('replaces an already staged roll', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT });
    const later = new Date('2026-12-01T00:00:00Z');
    expect(stageRoll(stored, D, later, NOW)).toEqual({ current: A, next: D, nextEffectiveAt: later, previous: null, updatedAt: NOW });
  });

  it('rolling back to the previous certificate moves it out of the previous slot (never published twice)', () => {
    const staged = stageRoll(assignment({ current: A, previous: C }), C, EFFECTIVE_AT, NOW);
    expect(staged).toEqual({ current: A, next: C, nextEffectiveAt: EFFECTIVE_AT, previous: null, updatedAt: NOW });
    expect(publishedThumbprints(staged)).toEqual([A, C]);
  });

  it('is settled at its effective date like any staged roll', () => {
    const staged = stageRoll(assignment({ current: A, previous: C }), B, EFFECTIVE_AT, NOW);
    expect(settleAssignment(staged, NOW)).toBe(staged);
    expect(settleAssignment(staged, EFFECTIVE_AT)).toEqual({ current: B, next: null, nextEffectiveAt: null, previous: A, updatedAt: EFFECTIVE_AT });
  });
});

describe('clearPrevious', () => {
  it('empties previous only and stamps updatedAt', () => {
    const stored = assignment({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: C });
    expect(clearPrevious(stored, NOW)).toEqual({ current: A, next: B, nextEffectiveAt: EFFECTIVE_AT, previous: null, updatedAt: NOW });
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
    expect(EMPTY_ASSIGNMENT).toEqual({ current: null, next: null, nextEffectiveAt: null, previous: null, updatedAt: new Date(0) });
  });
});
