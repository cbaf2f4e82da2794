import { AppConfig } from '@s2s/config';
import { FrozenClock } from '@s2s/core';
import { AuthenticationBackoff, type BackoffSubject, FAILURE_WINDOW_MS, MAX_BACKOFF_SECONDS } from './authentication.backoff.js';

/** 2026-11-22T12:00:00Z: every wait is measured from this frozen instant. */
const NOW = new Date('2026-11-22T12:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;

const CLIENT_ID = '0b0f1e2d-3c4b-4a59-8877-665544332211';
const CLIENT: BackoffSubject = { kind: 'client', clientId: CLIENT_ID };
const OTHER_CLIENT: BackoffSubject = { kind: 'client', clientId: '11111111-1111-4111-8111-111111111111' };
const ADDRESS: BackoffSubject = { kind: 'address', address: '192.0.2.10' };

describe('AuthenticationBackoff (security catalogue G01)', () => {
  let clock: FrozenClock;
  let backoff: AuthenticationBackoff;

  beforeEach(() => {
    clock = new FrozenClock(NOW);
    const config = Object.assign(new AppConfig(), { authBackoff: { clientFailures: 5, addressFailures: 20 } });
    backoff = new AuthenticationBackoff(clock, config);
  });

  /** Records `count` failures at the current instant; returns the wait after each. */
  function fail(subject: BackoffSubject, count: number): number[] {
    return Array.from({ length: count }, () => {
      backoff.recordFailure(subject);
      return backoff.retryAfterSeconds(subject);
    });
  }

  it('exports a 15-minute window and a 300 s cap', () => {
    expect(FAILURE_WINDOW_MS).toBe(15 * MINUTE);
    expect(MAX_BACKOFF_SECONDS).toBe(300);
  });

  it('imposes no wait on a subject that never failed', () => {
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
    expect(backoff.retryAfterSeconds(ADDRESS)).toBe(0);
  });

  it('lets a client fail 5 times freely, then waits 1, 2, 4 … s, capped at 300 s (time-boxed, never a lockout)', () => {
    expect(fail(CLIENT, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(fail(CLIENT, 12)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
  });

  it('doubles the wait for each failure made after the previous wait ran out', () => {
    fail(CLIENT, 5);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      backoff.recordFailure(CLIENT);
      const wait = backoff.retryAfterSeconds(CLIENT);
      waits.push(wait);
      clock.advance(wait * SECOND);
      expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
  });

  it('lets a wait run out with the clock, rounding the remainder up to whole seconds', () => {
    fail(CLIENT, 8); // waits 4 s
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(4);
    clock.advance(2500);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(2);
    clock.advance(1499);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(1);
    clock.advance(1);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
    clock.advance(MINUTE);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
  });

  it('lets the longest wait run out after exactly 300 s', () => {
    fail(CLIENT, 30);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(300);
    clock.advance(300 * SECOND - 1);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(1);
    clock.advance(1);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
  });

  it('gives an address 20 free failures (one host may run several clients) before 1, 2, 4 … s', () => {
    expect(fail(ADDRESS, 20)).toEqual(Array(20).fill(0));
    expect(fail(ADDRESS, 3)).toEqual([1, 2, 4]);
  });

  it('keeps subjects apart: a client, another client and an address with the same failures', () => {
    fail(CLIENT, 6);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(1);
    expect(backoff.retryAfterSeconds(OTHER_CLIENT)).toBe(0);
    expect(backoff.retryAfterSeconds(ADDRESS)).toBe(0);
    // An address whose text equals a client id is still another subject.
    expect(backoff.retryAfterSeconds({ kind: 'address', address: CLIENT_ID })).toBe(0);
  });

  it('forgets failures after 15 quiet minutes', () => {
    fail(CLIENT, 5);
    clock.advance(FAILURE_WINDOW_MS);
    expect(fail(CLIENT, 1)).toEqual([0]);
    // Counting restarted: four more are free, the sixth since the pause waits 1 s.
    expect(fail(CLIENT, 5)).toEqual([0, 0, 0, 0, 1]);
  });

  it('still counts a failure made just inside the 15 minutes', () => {
    fail(CLIENT, 5);
    clock.advance(FAILURE_WINDOW_MS - 1);
    expect(fail(CLIENT, 1)).toEqual([1]);
  });

  it('does not count failures older than 15 minutes, even when newer ones keep arriving', () => {
    // One misconfigured client behind an address fails every 10 minutes: never more than two
    // failures lie within any 15-minute window, far below the 20 an address may have.
    for (let i = 0; i < 30; i++) {
      backoff.recordFailure(ADDRESS);
      clock.advance(10 * MINUTE);
    }
    backoff.recordFailure(ADDRESS);
    // Every client sharing that address would be answered 429 while this is non-zero.
    expect(backoff.retryAfterSeconds(ADDRESS)).toBe(0);
  });

  it('clears the client record on success', () => {
    fail(CLIENT, 7);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(2);
    backoff.recordSuccess(CLIENT);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
    // Counting starts from zero again.
    expect(fail(CLIENT, 6)).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('clears only the subject that succeeded', () => {
    fail(CLIENT, 6);
    fail(OTHER_CLIENT, 6);
    fail(ADDRESS, 21);
    backoff.recordSuccess(CLIENT);
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
    expect(backoff.retryAfterSeconds(OTHER_CLIENT)).toBe(1);
    expect(backoff.retryAfterSeconds(ADDRESS)).toBe(1);
  });

  it('uses the configured thresholds', () => {
    const strict = new AuthenticationBackoff(clock, Object.assign(new AppConfig(), { authBackoff: { clientFailures: 1, addressFailures: 2 } }));
    strict.recordFailure(CLIENT);
    expect(strict.retryAfterSeconds(CLIENT)).toBe(0);
    strict.recordFailure(CLIENT);
    expect(strict.retryAfterSeconds(CLIENT)).toBe(1);
    strict.recordFailure(ADDRESS);
    strict.recordFailure(ADDRESS);
    expect(strict.retryAfterSeconds(ADDRESS)).toBe(0);
    strict.recordFailure(ADDRESS);
    expect(strict.retryAfterSeconds(ADDRESS)).toBe(1);
  });

  it('bounds memory under a spray of made-up client ids (the oldest record is dropped)', () => {
    fail(CLIENT, 6);
    for (let i = 0; i < 10_000; i++) backoff.recordFailure({ kind: 'client', clientId: `sprayed-${i}` });
    expect(backoff.retryAfterSeconds(CLIENT)).toBe(0);
    expect(backoff.retryAfterSeconds({ kind: 'client', clientId: 'sprayed-9999' })).toBe(0);
    expect((backoff as unknown as { records: Map<string, unknown> }).records.size).toBe(10_000);
  });
});
