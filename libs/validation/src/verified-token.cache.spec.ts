import type { AppConfig } from '@s2s/config';
import type { ChangeFeed } from '@s2s/core';
import type { ValidOutcome } from './verified-token.cache.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

/** A change feed whose "after any change" listeners the test fires by hand. */
function feed(): { changeFeed: ChangeFeed; changed: () => void } {
  const listeners: ((topic: string) => void)[] = [];
  return { changeFeed: { afterAnyChange: (listener: (topic: string) => void) => listeners.push(listener) } as unknown as ChangeFeed, changed: () => listeners.forEach((listener) => listener('partner-applications')) };
}
const cacheOf = (maxEntries: number, maxBytes: number, changeFeed: ChangeFeed = feed().changeFeed): VerifiedTokenCache =>
  new VerifiedTokenCache({ tokenCache: { maxEntries, maxBytes } } as AppConfig, changeFeed);
const outcome = (id: string): ValidOutcome => ({ valid: true, token: { trust: { kind: 'self', id } } } as unknown as ValidOutcome);
/** A verdict offered twice (a token validated a second time): held from then on. */
const hold = (cache: VerifiedTokenCache, key: string, verdict: ValidOutcome, fromMs: number, untilMs: number, tokenLength: number): void => {
  cache.set(key, verdict, fromMs, untilMs, tokenLength);
  cache.set(key, verdict, fromMs, untilMs, tokenLength);
};

describe('VerifiedTokenCache', () => {
  it('keys by the SHA-256 of the exact token (43 base64url characters; one changed character is another key)', () => {
    const cache = cacheOf(10, 1e6);
    expect(cache.keyOf('a.b.c')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cache.keyOf('a.b.c')).not.toBe(cache.keyOf('a.b.d'));
  });

  it('holds a verdict from the instant it was reached until its end, not before nor after', () => {
    const cache = cacheOf(10, 1e6);
    hold(cache, 'k', outcome('x'), 1000, 2000, 100);
    expect(cache.get('k', 999)).toBeUndefined();
    hold(cache, 'k', outcome('x'), 1000, 2000, 100);
    expect(cache.get('k', 1000)).toEqual(outcome('x'));
    expect(cache.get('k', 1999)).toEqual(outcome('x'));
    expect(cache.get('k', 2000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.stats).toMatchObject({ hits: 2, misses: 2 });
  });

  it('is bounded by count: the least recently used goes first', () => {
    const cache = cacheOf(2, 1e6);
    hold(cache, 'a', outcome('a'), 0, 10, 10);
    hold(cache, 'b', outcome('b'), 0, 10, 10);
    expect(cache.get('a', 1)).toBeDefined();
    hold(cache, 'c', outcome('c'), 0, 10, 10);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBeDefined();
    expect(cache.get('c', 1)).toBeDefined();
    expect(cache.stats.evictions).toBe(1);
  });

  it('is bounded by reckoned bytes (320 per entry + twice the token length); a token too large for it is not held', () => {
    const cache = cacheOf(1000, 3 * (320 + 2 * 1000));
    for (let i = 0; i < 10; i++) hold(cache, `k${i}`, outcome(`${i}`), 0, 10, 1000);
    expect(cache.size).toBe(3);
    expect(cache.reckonedBytes).toBe(3 * 2320);
    hold(cache, 'huge', outcome('huge'), 0, 10, 16_384);
    expect(cache.get('huge', 1)).toBeUndefined();
  });

  it('drops everything after any change of the change feed', () => {
    const { changeFeed, changed } = feed();
    const cache = cacheOf(10, 1e6, changeFeed);
    hold(cache, 'a', outcome('a'), 0, 10, 10);
    changed();
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.reckonedBytes).toBe(0);
    expect(cache.stats.invalidations).toBe(1);
  });

  it('holds a verdict from its token\'s second validation on: a first sighting is only noted', () => {
    const cache = cacheOf(10, 1e6);
    const [first, second] = [cache.keyOf('token-1'), cache.keyOf('token-2')];
    cache.set(first, outcome('1'), 0, 10, 10);
    cache.set(second, outcome('2'), 0, 10, 10);
    expect(cache.size).toBe(0);
    expect(cache.stats.firstSightings).toBe(2);
    cache.set(first, outcome('1'), 0, 10, 10);
    expect(cache.get(first, 1)).toEqual(outcome('1'));
    expect(cache.get(second, 1)).toBeUndefined();
    // A change forgets the sightings too: after it, a token is again held from its second validation.
    cache.invalidate();
    cache.set(second, outcome('2'), 0, 10, 10);
    expect(cache.size).toBe(0);
    cache.set(second, outcome('2'), 0, 10, 10);
    expect(cache.get(second, 1)).toEqual(outcome('2'));
  });

  it('is off with 0 entries or 0 bytes', () => {
    for (const cache of [cacheOf(0, 1e6), cacheOf(10, 0)]) {
      expect(cache.enabled).toBe(false);
      hold(cache, 'a', outcome('a'), 0, 10, 10);
      expect(cache.size).toBe(0);
    }
  });
});
