import { Injectable } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { Clock } from '@s2s/core';

/** Failures older than this are forgotten. */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** The longest wait imposed: time-boxed, never a permanent lockout (security catalogue G01). */
export const MAX_BACKOFF_SECONDS = 300;
/** Bounds memory under a spray of made-up client ids or addresses. */
const MAX_TRACKED_KEYS = 10_000;

/** What a failure is counted against. */
export type BackoffSubject = { kind: 'client'; clientId: string } | { kind: 'address'; address: string };

interface FailureRecord {
  failures: number;
  /** When the first failure counted in this window happened. */
  windowStart: number;
  blockedUntil: number;
}

/**
 * Per-client and per-address back-off after failed client authentication (SPEC 5.9, security
 * catalogue G01). Once a client id has had AUTH_BACKOFF_CLIENT_FAILURES failures (default 5)
 * within a 15-minute window (counted from its first failure), or an address AUTH_BACKOFF_ADDRESS_FAILURES (default 20: one server may
 * host several clients), each further failure doubles the wait (1 s, 2 s, 4 s … at most 5 min),
 * answered with 429 and `Retry-After`. A success clears the client's record. Kept in memory per
 * instance: guesses spread over N instances get at most N times the rate. Checked and fed by
 * `ClientAuthenticationService` alone, for the token endpoint and introspection alike.
 */
@Injectable()
export class AuthenticationBackoff {
  private readonly records = new Map<string, FailureRecord>();
  private readonly freeFailures: Record<BackoffSubject['kind'], number>;

  constructor(
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.freeFailures = { client: config.authBackoff.clientFailures, address: config.authBackoff.addressFailures };
  }

  /** Seconds the subject must wait before trying again, or 0. */
  retryAfterSeconds(subject: BackoffSubject): number {
    const record = this.records.get(keyOf(subject));
    if (!record) return 0;
    const now = this.clock.now().getTime();
    return record.blockedUntil > now ? Math.ceil((record.blockedUntil - now) / 1000) : 0;
  }

  recordFailure(subject: BackoffSubject): void {
    const key = keyOf(subject);
    const now = this.clock.now().getTime();
    const previous = this.records.get(key);
    // A fixed window from the first counted failure: a slow trickle of failures (one misconfigured
    // client behind a shared address) never accumulates beyond what one window holds.
    const inWindow = previous !== undefined && now - previous.windowStart < FAILURE_WINDOW_MS;
    const failures = inWindow ? previous.failures + 1 : 1;
    const free = this.freeFailures[subject.kind];
    const waitSeconds = failures > free ? Math.min(2 ** (failures - free - 1), MAX_BACKOFF_SECONDS) : 0;
    this.records.delete(key);
    this.records.set(key, { failures, windowStart: inWindow ? previous.windowStart : now, blockedUntil: now + waitSeconds * 1000 });
    if (this.records.size > MAX_TRACKED_KEYS) this.records.delete(this.records.keys().next().value!);
  }

  recordSuccess(subject: BackoffSubject): void {
    this.records.delete(keyOf(subject));
  }
}

function keyOf(subject: BackoffSubject): string {
  return subject.kind === 'client' ? `client:${subject.clientId}` : `address:${subject.address}`;
}
