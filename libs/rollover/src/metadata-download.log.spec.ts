import { FrozenClock } from '@s2s/core';
import { MAX_PENDING_BUCKETS, MetadataDownloadLog } from './metadata-download.log.js';
import { type MetadataDownloadBucket, MetadataDownloadRepository, normaliseAddress, normaliseUserAgent, OTHER_SOURCES } from './metadata-download.js';

const NOW = new Date('2026-12-01T10:20:00.000Z');

/** Records what it is given; fails while `failing` is set. */
class RecordingRepository extends MetadataDownloadRepository {
  added: MetadataDownloadBucket[][] = [];
  failing = false;
  async add(buckets: MetadataDownloadBucket[]): Promise<void> {
    if (this.failing) throw new Error('database down');
    this.added.push(buckets.map((bucket) => ({ ...bucket })));
  }
  async since(): Promise<never[]> {
    return [];
  }
  async deleteBefore(): Promise<number> {
    return 0;
  }
}

describe('MetadataDownloadLog', () => {
  let clock: FrozenClock;
  let repository: RecordingRepository;
  let log: MetadataDownloadLog;

  beforeEach(() => {
    clock = new FrozenClock(NOW);
    repository = new RecordingRepository();
    log = new MetadataDownloadLog(repository, clock);
  });

  it('aggregates per hour, document, address and user agent in memory, and writes one bucket each on flush', async () => {
    log.record('metadata', '::ffff:10.0.0.5', 'Exchange');
    clock.advance(60_000);
    log.record('metadata', '10.0.0.5', 'Exchange');
    log.record('jwks', '10.0.0.5', 'Exchange');
    log.record('metadata', '10.0.0.6', undefined);
    expect(repository.added).toEqual([]);
    await log.flush();
    expect(repository.added).toHaveLength(1);
    expect(repository.added[0]).toEqual([
      { hour: new Date('2026-12-01T10:00:00.000Z'), sourceAddress: '10.0.0.5', userAgent: 'Exchange', document: 'metadata', count: 2, firstAt: NOW, lastAt: new Date(NOW.getTime() + 60_000) },
      expect.objectContaining({ document: 'jwks', count: 1 }),
      expect.objectContaining({ sourceAddress: '10.0.0.6', userAgent: '', count: 1 }),
    ]);
    await log.flush();
    expect(repository.added).toHaveLength(1);
  });

  it('keeps what it could not write for the next flush', async () => {
    log.record('metadata', '10.0.0.5', 'Exchange');
    repository.failing = true;
    await log.flush();
    log.record('metadata', '10.0.0.5', 'Exchange');
    repository.failing = false;
    await log.flush();
    expect(repository.added).toEqual([[expect.objectContaining({ sourceAddress: '10.0.0.5', count: 2, firstAt: NOW })]]);
  });

  it('is bounded: beyond the cap new sources are counted as (other), and user agents are cut', async () => {
    for (let i = 0; i < MAX_PENDING_BUCKETS + 50; i++) log.record('jwks', `10.2.${Math.floor(i / 256)}.${i % 256}`, 'flood');
    await log.flush();
    const written = repository.added[0]!;
    expect(written).toHaveLength(MAX_PENDING_BUCKETS + 1);
    expect(written.find((bucket) => bucket.sourceAddress === OTHER_SOURCES)).toMatchObject({ userAgent: OTHER_SOURCES, count: 50 });
    expect(normaliseUserAgent('a'.repeat(500))).toHaveLength(200);
    expect(normaliseUserAgent('evil\r\nX-Injected: 1')).toBe('evil??X-Injected: 1');
    expect(normaliseAddress('FE80::1%eth0')).toBe('fe80::1');
  });
});
