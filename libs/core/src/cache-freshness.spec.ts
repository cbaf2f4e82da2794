import { CacheFreshness, cachesTooStale } from './cache-freshness.js';

class FixedFreshness extends CacheFreshness {
  constructor(private readonly since: Date | null) {
    super();
  }
  unreachableSince(): Date | null {
    return this.since;
  }
}

describe('cachesTooStale', () => {
  const NOW = new Date('2026-11-22T12:00:00Z');

  it('is false while the database answers', () => {
    expect(cachesTooStale(new FixedFreshness(null), NOW, 0)).toBe(false);
  });

  it('is false within the tolerance and true beyond it', () => {
    const since = new Date(NOW.getTime() - 3_600_000);
    expect(cachesTooStale(new FixedFreshness(since), NOW, 3600)).toBe(false);
    expect(cachesTooStale(new FixedFreshness(new Date(since.getTime() - 1)), NOW, 3600)).toBe(true);
  });
});
