import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { type BackoffSubject, ChangeFeed, Clock, CredentialBackoff, type CredentialEndpoint } from '@s2s/core';
import { AuthenticationFailureStore } from './authentication-failure.store.js';
import { AuthenticationMetrics } from './authentication.metrics.js';

/** Failures older than this are forgotten. */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** The longest wait imposed: time-boxed, never a permanent lockout (security catalogue G01). */
export const MAX_BACKOFF_SECONDS = 300;
/** Bounds memory under a spray of made-up client ids or addresses. */
const MAX_TRACKED_KEYS = 10_000;
/** How often records whose window and wait are over are deleted from the shared table. */
const PURGE_INTERVAL_MS = 10 * 60_000;
/** Change-feed topic: a subject started waiting; every instance reloads the waiting subjects. */
export const AUTHENTICATION_BACKOFF_TOPIC = 'authentication-backoff';

export type { BackoffSubject };

interface FailureRecord {
  failures: number;
  /** When the first failure counted in this window happened. */
  windowStart: number;
  blockedUntil: number;
}

/**
 * Per-subject back-off after failed authentication (SPEC 5.9, security catalogue G01), the one rule
 * for every place credentials are checked: the token endpoint, introspection and revocation (through
 * `ClientAuthenticationService`) and admin API keys (the admin guard). Once a client id or admin key
 * id has had AUTH_BACKOFF_CLIENT_FAILURES failures (default 5) within a 15-minute window (counted
 * from its first failure), or an address AUTH_BACKOFF_ADDRESS_FAILURES (default 20: one server may
 * host several clients), each further failure doubles the wait (1 s, 2 s, 4 s … at most 5 min),
 * answered with 429 and `Retry-After`. A success clears the subject's record.
 *
 * Shared between instances (issue 17): every failure is counted in the database
 * ({@link AuthenticationFailureStore}, one atomic upsert), so failures on one instance count on the
 * others; a subject that starts waiting is announced on the change feed and every instance loads
 * the waiting subjects into memory. The check itself ({@link retryAfterSeconds}) reads memory only.
 * While the database is unreachable, failures are counted in memory alone.
 */
@Injectable()
export class AuthenticationBackoff extends CredentialBackoff implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuthenticationBackoff');
  private readonly records = new Map<string, FailureRecord>();
  private readonly freeFailures: Record<BackoffSubject['kind'], number>;
  private storeFailing = false;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Clock,
    config: AppConfig,
    @Optional() private readonly store?: AuthenticationFailureStore,
    @Optional() private readonly changeFeed?: ChangeFeed,
    @Optional() private readonly metrics?: AuthenticationMetrics,
  ) {
    super();
    this.freeFailures = { client: config.authBackoff.clientFailures, 'admin-key': config.authBackoff.clientFailures, address: config.authBackoff.addressFailures };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.store || !this.changeFeed) return;
    this.changeFeed.subscribe(AUTHENTICATION_BACKOFF_TOPIC, () => this.loadWaiting());
    await this.loadWaiting();
    // The table stays bounded: a record is kept no longer than its window and its wait.
    this.purgeTimer = setInterval(() => void this.purgeStale(), PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  /** Deletes shared records whose window and wait are over (every instance; the DELETE is idempotent). */
  async purgeStale(): Promise<number> {
    const now = this.clock.now();
    try {
      return (await this.store?.purgeStale(now, new Date(now.getTime() - FAILURE_WINDOW_MS))) ?? 0;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'purging stale failure records failed; retried later');
      return 0;
    }
  }

  /** Seconds the subject must wait before trying again, or 0. */
  retryAfterSeconds(subject: BackoffSubject): number {
    const record = this.records.get(keyOf(subject));
    if (!record) return 0;
    const now = this.clock.now().getTime();
    return record.blockedUntil > now ? Math.ceil((record.blockedUntil - now) / 1000) : 0;
  }

  /**
   * Counts a failure: at once in memory, then in the shared record, whose count (every instance's
   * failures) decides the wait when it is higher.
   */
  async recordFailure(subject: BackoffSubject, endpoint: CredentialEndpoint = 'token'): Promise<void> {
    this.metrics?.failures.inc({ endpoint, subject: subject.kind });
    const key = keyOf(subject);
    const now = this.clock.now().getTime();
    const previous = this.records.get(key);
    // A fixed window from the first counted failure: a slow trickle of failures (one misconfigured
    // client behind a shared address) never accumulates beyond what one window holds.
    const inWindow = previous !== undefined && now - previous.windowStart < FAILURE_WINDOW_MS;
    const local = this.remember(key, subject.kind, inWindow ? previous.failures + 1 : 1, inWindow ? previous.windowStart : now, now);
    if (!this.store) return;
    try {
      const shared = await this.store.increment(key, new Date(now), new Date(now - FAILURE_WINDOW_MS));
      this.storeRecovered();
      const record = shared.failures > local.failures ? this.remember(key, subject.kind, shared.failures, shared.windowStart.getTime(), now) : local;
      if (record.blockedUntil > now) {
        await this.store.block(key, new Date(record.blockedUntil));
        await this.changeFeed?.publish(AUTHENTICATION_BACKOFF_TOPIC);
      }
    } catch (error) {
      if (!this.storeFailing) this.logger.warn({ err: (error as Error).message }, 'the shared failure count is unreachable; counting in memory on this instance');
      this.storeFailing = true;
    }
  }

  recordRefusal(subject: BackoffSubject, endpoint: CredentialEndpoint): void {
    this.metrics?.refusals.inc({ endpoint, subject: subject.kind });
  }

  /** Clears the subject's record where one is known (no database work on a clean success). */
  recordSuccess(subject: BackoffSubject): void {
    const key = keyOf(subject);
    if (!this.records.delete(key)) return;
    this.store?.clear(key).catch((error: Error) => this.logger.warn({ err: error.message }, 'clearing a shared failure record failed'));
  }

  /** The rule: free failures, then 1 s doubling per failure, at most {@link MAX_BACKOFF_SECONDS}. */
  private remember(key: string, kind: BackoffSubject['kind'], failures: number, windowStart: number, now: number): FailureRecord {
    const free = this.freeFailures[kind];
    const waitSeconds = failures > free ? Math.min(2 ** (failures - free - 1), MAX_BACKOFF_SECONDS) : 0;
    const record = { failures, windowStart, blockedUntil: now + waitSeconds * 1000 };
    this.records.delete(key);
    this.records.set(key, record);
    if (this.records.size > MAX_TRACKED_KEYS) this.records.delete(this.records.keys().next().value!);
    return record;
  }

  /** Loads every subject waiting now, as counted by all instances. */
  private async loadWaiting(): Promise<void> {
    const waiting = await this.store!.listBlocked(this.clock.now(), MAX_TRACKED_KEYS);
    for (const row of waiting) {
      const known = this.records.get(row.key);
      if (known && known.blockedUntil >= row.blockedUntil.getTime() && known.failures >= row.failures) continue;
      this.records.delete(row.key);
      this.records.set(row.key, { failures: Math.max(row.failures, known?.failures ?? 0), windowStart: row.windowStart.getTime(), blockedUntil: Math.max(row.blockedUntil.getTime(), known?.blockedUntil ?? 0) });
    }
    while (this.records.size > MAX_TRACKED_KEYS) this.records.delete(this.records.keys().next().value!);
  }

  private storeRecovered(): void {
    if (this.storeFailing) this.logger.log('the shared failure count is reachable again');
    this.storeFailing = false;
  }
}

function keyOf(subject: BackoffSubject): string {
  switch (subject.kind) {
    case 'client':
      return `client:${subject.clientId}`;
    case 'admin-key':
      return `admin-key:${subject.keyId}`;
    case 'address':
      return `address:${subject.address}`;
  }
}
