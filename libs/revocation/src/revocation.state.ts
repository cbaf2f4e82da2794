import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChangeFeed, Clock, ReloadSequencer } from '@s2s/core';
import { type NotBeforeSubjectType, RevocationRepository } from './revocation.repository.js';
import { REVOCATION_TOPIC } from './revocation.topic.js';

/** How often expired revocations are dropped from memory and from the table. */
export const REVOCATION_PURGE_INTERVAL_MS = 60_000;

/**
 * Revoked token ids and not-before marks in memory (SPEC 8: validation never reads the database):
 * loaded at start, reloaded on every change of {@link REVOCATION_TOPIC} on any instance. A revoked
 * id is kept only until its token's `exp` (then dropped here and purged from the table), so memory
 * and table are bounded by the tokens alive.
 */
@Injectable()
export class RevocationState implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RevocationState');
  /** jti -> expiry (ms since the epoch). */
  private revoked = new Map<string, number>();
  /** `<type>:<id>` -> not-before (Unix seconds; tokens with iat below it are refused). */
  private marks = new Map<string, number>();
  private readonly reloads = new ReloadSequencer();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: RevocationRepository,
    private readonly changeFeed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.changeFeed.subscribe(REVOCATION_TOPIC, () => this.reload());
    await this.reload();
    this.timer = setInterval(() => void this.purge(), REVOCATION_PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    await this.reloads.run(
      () => Promise.all([this.repository.listRevoked(this.clock.now()), this.repository.listNotBefore()]),
      ([revoked, marks]) => {
        this.revoked = new Map(revoked.map((entry) => [entry.jti, entry.expiresAt.getTime()]));
        this.marks = new Map(marks.map((mark) => [markKey(mark.subjectType, mark.subjectId), notBeforeSeconds(mark.notBefore)]));
      },
    );
  }

  /** Whether `jti` is revoked (a Map lookup). */
  isRevoked(jti: string): boolean {
    return this.revoked.has(jti);
  }

  /** The subject's not-before in Unix seconds, or undefined. */
  notBefore(subjectType: NotBeforeSubjectType, subjectId: string): number | undefined {
    return this.marks.size === 0 ? undefined : this.marks.get(markKey(subjectType, subjectId));
  }

  /** How many revoked ids are held (a gauge: bounded by the tokens alive). */
  revokedCount(): number {
    return this.revoked.size;
  }

  /** Drops expired ids from memory, then from the table (every instance; the DELETE is idempotent). */
  async purge(): Promise<number> {
    const now = this.clock.now();
    for (const [jti, expiresAt] of this.revoked) if (expiresAt < now.getTime()) this.revoked.delete(jti);
    try {
      return await this.repository.purgeExpired(now);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'purging expired revoked token ids failed; retried later');
      return 0;
    }
  }
}

function markKey(subjectType: NotBeforeSubjectType, subjectId: string): string {
  return `${subjectType}:${subjectId.toLowerCase()}`;
}

/**
 * The mark in whole seconds, rounded up: tokens carry whole-second `iat`s, so a token issued in the
 * same second as the mark (before or after it) is refused too; new tokens are accepted from the next second.
 */
export function notBeforeSeconds(notBefore: Date): number {
  return Math.ceil(notBefore.getTime() / 1000);
}
