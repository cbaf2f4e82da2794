import { Injectable, Logger } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import {
  CertificateRepository,
  CertificateRequestService,
  CertificateStoreService,
  type StoredCertificate,
  TOKEN_ISSUER_ASSIGNMENT_TOPIC,
  TokenIssuerAssignmentService,
} from '@s2s/certificates';
import { Clock, isRealm, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { type TokenIssuerRenewal, TokenIssuerRenewalRepository } from './token-issuer-renewal.js';

/** What one renewal check found or did. */
export type RenewalOutcome =
  | { state: 'off' | 'not-due' | 'roll-in-progress' | 'staged' }
  | { state: 'started'; renewal: TokenIssuerRenewal }
  | { state: 'waiting-for-certificate'; renewal: TokenIssuerRenewal }
  | { state: 'request-missing'; renewal: TokenIssuerRenewal };

const RSA_KEY_SIZES = [2048, 3072, 4096];
const MAX_SELF_SIGNED_DAYS = 3650;

/**
 * Automatic renewal of the token-issuer certificate (issue 16, oauth-configuration `autoRenew`).
 * From `renewBefore` ahead of the current certificate's expiry, once per certificate: in
 * `self-signed` mode the service makes its successor (same realms/names and key size, same
 * validity length) and stages it as a gated roll with the minimum lead; in `csr` mode it creates
 * a certificate request and waits for an operator to complete it, then stages the same roll. Every
 * step is audited with the actor `system` and runs under the slots' advisory lock after reading
 * the renewal row again, so on several instances each step happens once.
 */
@Injectable()
export class TokenIssuerRenewalService {
  private readonly logger = new Logger('TokenIssuerRenewal');

  constructor(
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly assignments: TokenIssuerAssignmentService,
    private readonly certificates: CertificateRepository,
    private readonly store: CertificateStoreService,
    private readonly requests: CertificateRequestService,
    private readonly renewals: TokenIssuerRenewalRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly clock: Clock,
  ) {}

  /** The renewal of the current certificate as it stands (read only), for status and metrics. */
  async current(): Promise<TokenIssuerRenewal | null> {
    const slots = await this.assignments.slots();
    return slots.current ? this.renewals.find(slots.current) : null;
  }

  /** Does what is due now; called by the rollover scheduler on the instance holding the lease. */
  async renewIfDue(): Promise<RenewalOutcome> {
    const configuration = this.oauthConfiguration.cached();
    if (configuration.autoRenew === 'off') return { state: 'off' };
    return this.unitOfWork.run(
      async () => {
        const now = this.clock.now();
        const slots = await this.assignments.slots();
        if (!slots.current) return { state: 'not-due' };
        const existing = await this.renewals.find(slots.current);
        if (existing?.stagedAt) return { state: 'staged' };
        if (!existing) {
          const current = await this.certificates.find(slots.current);
          if (!current || current.notAfter.getTime() - configuration.renewBeforeSeconds * 1000 > now.getTime()) return { state: 'not-due' };
          if (slots.next) return { state: 'roll-in-progress' };
          return { state: 'started', renewal: await this.start(current, configuration.autoRenew === 'csr' ? 'csr' : 'self-signed', now) };
        }
        if (existing.mode === 'csr' && existing.requestId) {
          const request = await this.requests.get(existing.requestId).catch(() => null);
          if (!request) return { state: 'request-missing', renewal: existing };
          if (request.status !== 'completed' || !request.certificateThumbprint) return { state: 'waiting-for-certificate', renewal: existing };
          if (slots.next) return { state: 'roll-in-progress' };
          return { state: 'staged', ...(await this.stage(existing, request.certificateThumbprint, now)) };
        }
        return { state: 'not-due' };
      },
      { exclusiveLock: TOKEN_ISSUER_ASSIGNMENT_TOPIC },
    );
  }

  private async start(current: StoredCertificate, mode: 'self-signed' | 'csr', now: Date): Promise<TokenIssuerRenewal> {
    const realm = this.oauthConfiguration.cached().realm;
    const names = current.dnsNames.filter((name) => name !== realm);
    const realms = [...(realm ? [realm] : []), ...names.filter((name) => isRealm(name))];
    const dnsNames = names.filter((name) => !isRealm(name));
    const keySize = RSA_KEY_SIZES.includes(current.keySizeBits) ? current.keySizeBits : 2048;
    const renewal: TokenIssuerRenewal = { renewsThumbprint: current.thumbprint, mode, requestId: null, successorThumbprint: null, startedAt: now, stagedAt: null };
    if (mode === 'csr') {
      const request = await this.requests.create({ realms, dnsNames, keySize }, SYSTEM_ACTOR);
      const started = { ...renewal, requestId: request.id };
      await this.renewals.save(started);
      await this.auditLog.record({
        actor: SYSTEM_ACTOR,
        action: 'certificate-renewal.request-created',
        targetType: 'certificate-renewal',
        targetId: current.thumbprint,
        after: { mode, requestId: request.id, renews: current.thumbprint, notAfter: current.notAfter.toISOString() },
      });
      this.logger.warn(
        { renews: current.thumbprint, requestId: request.id, notAfter: current.notAfter.toISOString() },
        'automatic renewal: a certificate request was created for the CA; complete it with s2sctl certificate complete --request-id <id> --cert <issued certificate>',
      );
      return started;
    }
    const days = Math.min(MAX_SELF_SIGNED_DAYS, Math.max(1, Math.round((current.notAfter.getTime() - current.notBefore.getTime()) / 86_400_000)));
    const { certificate } = await this.store.createSelfSigned({ realms, dnsNames, keySize, days }, SYSTEM_ACTOR);
    return (await this.stage(renewal, certificate.thumbprint, now)).renewal;
  }

  /** Stages the successor as a gated roll with the minimum lead, and records the renewal. */
  private async stage(renewal: TokenIssuerRenewal, successor: string, now: Date): Promise<{ renewal: TokenIssuerRenewal }> {
    // A minute beyond the minimum lead, so the lead check (which reads the clock again) passes.
    const effectiveDate = new Date(now.getTime() + (this.oauthConfiguration.cached().minimumRollLeadSeconds + 60) * 1000);
    await this.assignments.assign({ thumbprint: successor, roll: true, effectiveDate, activateWhenFetched: true }, SYSTEM_ACTOR);
    const staged: TokenIssuerRenewal = { ...renewal, successorThumbprint: successor, stagedAt: now };
    await this.renewals.save(staged);
    await this.auditLog.record({
      actor: SYSTEM_ACTOR,
      action: 'certificate-renewal.staged',
      targetType: 'certificate-renewal',
      targetId: renewal.renewsThumbprint,
      after: { mode: renewal.mode, renews: renewal.renewsThumbprint, successor, effectiveDate: effectiveDate.toISOString(), requestId: renewal.requestId },
    });
    this.logger.log({ renews: renewal.renewsThumbprint, successor, effectiveDate: effectiveDate.toISOString() }, 'automatic renewal: successor staged as next (activates once every partner fetched it)');
    return { renewal: staged };
  }
}
