import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, UnitOfWork } from '@s2s/core';
import { MAX_TOKEN_LIFETIME_SECONDS } from '@s2s/jwt';
import { type NotBeforeMark, type NotBeforeSubjectType, RevocationRepository } from './revocation.repository.js';
import { REVOCATION_TOPIC } from './revocation.topic.js';

/** The outcome of revoking one token id. */
export interface TokenRevocation {
  jti: string;
  expiresAt: Date;
  /** False when it was already revoked (nothing changed). */
  revoked: boolean;
}

/**
 * Writes revocations (issue 17): one token id (RFC 7009 by its client, or an admin), and not-before
 * marks for a client, partner or OAuth server. Each change, its audit event and the change-feed
 * announcement commit together; this instance reloads before the call returns, the others on the
 * change feed (LISTEN/NOTIFY on PostgreSQL, else the poll).
 */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly repository: RevocationRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly changeFeed: ChangeFeed,
    private readonly auditLog: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** Revokes `jti` until `expiresAt` (default: the claims policy's cap on any token's lifetime, 24 h). */
  async revokeToken(jti: string, expiresAt: Date | null, actor: AdminActor, context: Record<string, unknown> = {}): Promise<TokenRevocation> {
    const now = this.clock.now();
    const until = expiresAt ?? new Date(now.getTime() + MAX_TOKEN_LIFETIME_SECONDS * 1000);
    return this.unitOfWork.run(async () => {
      const revoked = await this.repository.revoke(jti, until, now);
      if (revoked) {
        await this.changeFeed.publish(REVOCATION_TOPIC);
        await this.auditLog.record({ actor, action: 'token.revoke', targetType: 'token', targetId: jti, before: null, after: { expiresAt: until.toISOString(), ...context } });
      }
      return { jti, expiresAt: until, revoked };
    });
  }

  /** Refuses every token of the subject issued before now (`revoked_by_not_before`). */
  async revokeTokensBefore(subjectType: NotBeforeSubjectType, subjectId: string, actor: AdminActor): Promise<NotBeforeMark> {
    const mark: NotBeforeMark = { subjectType, subjectId, notBefore: this.clock.now() };
    return this.unitOfWork.run(async () => {
      await this.repository.setNotBefore(mark);
      await this.changeFeed.publish(REVOCATION_TOPIC);
      await this.auditLog.record({ actor, action: `${subjectType}.revoke-tokens`, targetType: subjectType, targetId: subjectId, before: null, after: { notBefore: mark.notBefore.toISOString() } });
      return mark;
    });
  }
}
