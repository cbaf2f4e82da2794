import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@s2s/core';
import { hourOf, type MetadataDownloadBucket, MetadataDownloadRepository, normaliseAddress, normaliseUserAgent, OTHER_SOURCES, type PublishedDocument } from './metadata-download.js';

/** How often the aggregated downloads are written to the database. */
export const DOWNLOAD_FLUSH_INTERVAL_MS = 5_000;
/** Distinct (hour, address, user agent, document) entries kept in memory between flushes; more go to {@link OTHER_SOURCES}. */
export const MAX_PENDING_BUCKETS = 1_000;
/** Rows one hour may hold in the database; further sources are counted in its {@link OTHER_SOURCES} row. */
export const MAX_SOURCES_PER_HOUR = 1_000;
/** How long the evidence is kept. */
export const DOWNLOAD_RETENTION_DAYS = 30;
const PRUNE_INTERVAL_MS = 3_600_000;

/**
 * Records every download of the metadata document, the discovery documents and the JWKS, for the
 * rollover evidence (issue 16). {@link record} only updates a map in memory (the publishing path
 * never waits on the database); every {@link DOWNLOAD_FLUSH_INTERVAL_MS} the map is added to the
 * hourly rows per source address, user agent and document. Bounded: at most
 * {@link MAX_PENDING_BUCKETS} entries in memory and {@link MAX_SOURCES_PER_HOUR} rows per hour,
 * user agents cut to 200 characters, rows older than {@link DOWNLOAD_RETENTION_DAYS} days deleted.
 */
@Injectable()
export class MetadataDownloadLog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MetadataDownloadLog');
  private pending = new Map<string, MetadataDownloadBucket>();
  private flushTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly repository: MetadataDownloadRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.flushTimer = setInterval(() => void this.flush(), DOWNLOAD_FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    void this.prune();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.pruneTimer);
    await this.flush();
  }

  /** Counts one download; memory only. */
  record(document: PublishedDocument, sourceAddress: string | undefined, userAgent: string | string[] | undefined): void {
    const now = this.clock.now();
    const hour = hourOf(now);
    let address = normaliseAddress(sourceAddress);
    let agent = normaliseUserAgent(userAgent);
    let key = `${hour.getTime()}\n${document}\n${address}\n${agent}`;
    let bucket = this.pending.get(key);
    if (!bucket && this.pending.size >= MAX_PENDING_BUCKETS) {
      address = OTHER_SOURCES;
      agent = OTHER_SOURCES;
      key = `${hour.getTime()}\n${document}\n${address}\n${agent}`;
      bucket = this.pending.get(key);
    }
    if (bucket) {
      bucket.count++;
      bucket.lastAt = now;
      return;
    }
    this.pending.set(key, { hour, sourceAddress: address, userAgent: agent, document, count: 1, firstAt: now, lastAt: now });
  }

  /** Writes what was recorded since the last flush. On failure the entries are kept for the next one (within the cap). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.repository
      .add([...batch.values()], MAX_SOURCES_PER_HOUR)
      .catch((error: unknown) => {
        this.logger.warn({ err: (error as Error).message, buckets: batch.size }, 'could not store metadata download evidence yet; retrying');
        for (const [key, bucket] of batch) {
          const newer = this.pending.get(key);
          if (newer) {
            newer.count += bucket.count;
            newer.firstAt = bucket.firstAt;
          } else if (this.pending.size < MAX_PENDING_BUCKETS) {
            this.pending.set(key, bucket);
          }
        }
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  private async prune(): Promise<void> {
    try {
      const before = new Date(hourOf(this.clock.now()).getTime() - DOWNLOAD_RETENTION_DAYS * 86_400_000);
      const removed = await this.repository.deleteBefore(before);
      if (removed > 0) this.logger.log({ removed, before: before.toISOString() }, 'old metadata download evidence deleted');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not delete old metadata download evidence');
    }
  }
}
