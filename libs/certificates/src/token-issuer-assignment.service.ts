import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, InvalidInputError, NotFoundError, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { describeCertificate } from '@s2s/crypto';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { checkCertificateUsable, checkRealmCovered } from './certificate-acceptance.rules.js';
import { CertificateRejectedError } from './certificate-rejected.error.js';
import { CertificateRepository, TokenIssuerAssignmentRepository } from './certificate.repository.js';
import { CertificateStoreService } from './certificate-store.service.js';
import { PrivateKeyVault } from './private-key.vault.js';
import type { StoredCertificate } from './stored-certificate.js';
import {
  assignImmediately,
  clearPrevious,
  publishedThumbprints,
  settleAssignment,
  stageRoll,
  type TokenIssuerAssignment,
} from './token-issuer-assignment.js';

/** Change-feed topic (and advisory lock) of the token-issuer slots. */
export const TOKEN_ISSUER_ASSIGNMENT_TOPIC = 'token-issuer-assignment';

/** The slots with their certificates. */
export interface TokenIssuerAssignmentView {
  current: StoredCertificate | null;
  next: StoredCertificate | null;
  nextEffectiveAt: Date | null;
  previous: StoredCertificate | null;
}

/** A request to fill a slot: at once, or as a roll at an effective date. */
export interface AssignmentRequest {
  thumbprint: string;
  roll?: boolean;
  effectiveDate?: Date;
}

/**
 * `Set-CsCertificate -Type OAuthTokenIssuer [-Roll -EffectiveDate]` and
 * `Remove-CsCertificate -Type OAuthTokenIssuer -Previous` (SPEC 5.2). Changes are serialised by an
 * advisory lock across instances; each starts from the slots as they stand now (a roll whose
 * effective date has passed is made permanent first) and is announced on the change feed.
 */
@Injectable()
export class TokenIssuerAssignmentService {
  constructor(
    private readonly assignments: TokenIssuerAssignmentRepository,
    private readonly certificates: CertificateRepository,
    private readonly store: CertificateStoreService,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly changeFeed: ChangeFeed,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly vault: PrivateKeyVault,
    private readonly clock: Clock,
  ) {}

  async view(): Promise<TokenIssuerAssignmentView> {
    return this.toView(settleAssignment(await this.assignments.find(), this.clock.now()));
  }

  async assign(request: AssignmentRequest, actor: AdminActor): Promise<TokenIssuerAssignmentView> {
    if (request.roll && !request.effectiveDate) throw InvalidInputError.forField('effectiveDate', 'a roll needs an effective date');
    if (!request.roll && request.effectiveDate) throw InvalidInputError.forField('effectiveDate', 'an effective date is only used with roll: true');
    return this.change(async (assignment, now) => {
      const certificate = await this.store.require(request.thumbprint);
      const realm = this.oauthConfiguration.cached().realm;
      if (!realm) {
        throw new CertificateRejectedError(
          'realm_not_configured',
          'set the realm first (s2sctl oauth-configuration set --realm <realm>): the token-issuer certificate must name it',
          'thumbprint',
        );
      }
      checkCertificateUsable(describeCertificate(certificate.certificatePem), now, 'thumbprint');
      checkRealmCovered(certificate.dnsNames, realm, 'thumbprint');
      this.checkKeyOpens(certificate);
      if (!request.roll) {
        if (assignment.current === certificate.thumbprint) return { next: assignment, action: null };
        return { next: assignImmediately(assignment, certificate.thumbprint, now), action: 'certificate-assignment.assign' };
      }
      return { next: await this.rollTo(assignment, certificate, request.effectiveDate!, now), action: 'certificate-assignment.roll' };
    }, actor);
  }

  /** Empties the previous slot. */
  async removePrevious(actor: AdminActor): Promise<TokenIssuerAssignmentView> {
    return this.change(async (assignment, now) => {
      if (!assignment.previous) throw new NotFoundError('no previous OAuth token-issuer certificate is assigned');
      return { next: clearPrevious(assignment, now), action: 'certificate-assignment.remove-previous' };
    }, actor);
  }

  /**
   * Makes a roll whose effective date has passed permanent in the database (the key ring already
   * signs with it from that instant). Idempotent; safe to call from every instance.
   */
  async activateDueRoll(): Promise<boolean> {
    let activated = false;
    await this.unitOfWork.run(
      async () => {
        activated = await this.persistSettled(await this.assignments.find(), this.clock.now());
      },
      { exclusiveLock: TOKEN_ISSUER_ASSIGNMENT_TOPIC },
    );
    return activated;
  }

  /** Who depends on the current identity: used to require `force` for a realm/service-name change. */
  async identityDependency(): Promise<string | null> {
    const assignment = settleAssignment(await this.assignments.find(), this.clock.now());
    return assignment.current ? `OAuth token-issuer certificate ${assignment.current} is assigned and published in the metadata document` : null;
  }

  /** A certificate whose key this master key cannot open must never reach a signing slot. */
  private checkKeyOpens(certificate: StoredCertificate): void {
    try {
      this.vault.open(certificate.sealedPrivateKey, PrivateKeyVault.certificateContext(certificate.thumbprintSha256));
    } catch {
      throw new CertificateRejectedError(
        'invalid_private_key',
        `the private key of certificate ${certificate.thumbprint} cannot be decrypted with this master key`,
        'thumbprint',
      );
    }
  }

  private async rollTo(assignment: TokenIssuerAssignment, certificate: StoredCertificate, effectiveAt: Date, now: Date): Promise<TokenIssuerAssignment> {
    if (!assignment.current) {
      throw new ConflictError('no current OAuth token-issuer certificate to roll from: assign it without roll', 'no_current_certificate');
    }
    if (assignment.current === certificate.thumbprint) {
      throw new ConflictError(`certificate ${certificate.thumbprint} is already the current OAuth token-issuer certificate`, 'already_current');
    }
    if (effectiveAt <= now) {
      throw new CertificateRejectedError('invalid_effective_date', `the effective date ${effectiveAt.toISOString()} is not in the future`, 'effectiveDate');
    }
    const current = await this.certificates.find(assignment.current);
    // Tokens must never be signed with an expired certificate: the new one takes over before the old one ends.
    if (current && effectiveAt >= current.notAfter) {
      throw new CertificateRejectedError(
        'invalid_effective_date',
        `the effective date ${effectiveAt.toISOString()} is not before the current certificate expires (${current.notAfter.toISOString()})`,
        'effectiveDate',
      );
    }
    if (effectiveAt >= certificate.notAfter) {
      throw new CertificateRejectedError(
        'invalid_effective_date',
        `the effective date ${effectiveAt.toISOString()} is not before the new certificate expires (${certificate.notAfter.toISOString()})`,
        'effectiveDate',
      );
    }
    return stageRoll(assignment, certificate.thumbprint, effectiveAt, now);
  }

  private async change(
    decide: (assignment: TokenIssuerAssignment, now: Date) => Promise<{ next: TokenIssuerAssignment; action: string | null }>,
    actor: AdminActor = SYSTEM_ACTOR,
  ): Promise<TokenIssuerAssignmentView> {
    return this.unitOfWork.run(
      async () => {
        const now = this.clock.now();
        const stored = await this.assignments.find();
        await this.persistSettled(stored, now);
        const before = settleAssignment(stored, now);
        const { next, action } = await decide(before, now);
        if (action) {
          await this.assignments.save(next);
          await this.changeFeed.publish(TOKEN_ISSUER_ASSIGNMENT_TOPIC);
          await this.auditLog.record({ actor, action, targetType: 'certificate-assignment', targetId: 'OAuthTokenIssuer', before: auditSlots(before), after: auditSlots(next) });
        }
        return this.toView(next);
      },
      { exclusiveLock: TOKEN_ISSUER_ASSIGNMENT_TOPIC },
    );
  }

  /** Writes the settled slots when a roll has come due; audited as done by the system. */
  private async persistSettled(stored: TokenIssuerAssignment, now: Date): Promise<boolean> {
    const settled = settleAssignment(stored, now);
    if (settled === stored) return false;
    await this.assignments.save(settled);
    await this.changeFeed.publish(TOKEN_ISSUER_ASSIGNMENT_TOPIC);
    await this.auditLog.record({
      actor: SYSTEM_ACTOR,
      action: 'certificate-assignment.roll-activated',
      targetType: 'certificate-assignment',
      targetId: 'OAuthTokenIssuer',
      before: auditSlots(stored),
      after: auditSlots(settled),
    });
    return true;
  }

  private async toView(assignment: TokenIssuerAssignment): Promise<TokenIssuerAssignmentView> {
    const certificates = new Map((await this.certificates.findMany(publishedThumbprints(assignment))).map((c) => [c.thumbprint, c]));
    const pick = (thumbprint: string | null): StoredCertificate | null => (thumbprint ? (certificates.get(thumbprint) ?? null) : null);
    return { current: pick(assignment.current), next: pick(assignment.next), nextEffectiveAt: assignment.nextEffectiveAt, previous: pick(assignment.previous) };
  }
}

function auditSlots(assignment: TokenIssuerAssignment): Record<string, unknown> {
  return {
    current: assignment.current,
    next: assignment.next,
    nextEffectiveAt: assignment.nextEffectiveAt?.toISOString() ?? null,
    previous: assignment.previous,
  };
}
