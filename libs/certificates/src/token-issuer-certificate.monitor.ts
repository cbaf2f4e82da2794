import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@s2s/core';
import { IdentityChangeGuard, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { MetricsRegistry, type ReadinessReport, ReadinessRegistry } from '@s2s/operations';
import { Gauge } from 'prom-client';
import { coversRealm } from './certificate-acceptance.rules.js';
import { daysToExpiry, EXPIRY_WARNING_DAYS } from './stored-certificate.js';
import { TokenIssuerAssignmentService } from './token-issuer-assignment.service.js';
import { type IssuerKey, TokenIssuerKeyRing } from './token-issuer.key-ring.js';

/** How often the expiry warning is repeated in the log. */
const EXPIRY_CHECK_INTERVAL_MS = 12 * 3_600_000;
/** Retry delay when making a due roll permanent fails (database down). */
const ROLL_RETRY_MS = 30_000;
/** setTimeout's longest delay (about 24.8 days); longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Watches the token-issuer certificate (SPEC 5.2, 5.8): readiness says why tokens cannot be
 * issued, `/metrics` reports days to expiry per slot, the log warns from 60 days before expiry, a
 * timer makes a staged roll permanent at its effective date, and changing the realm or service
 * name needs `force` while a certificate is assigned.
 */
@Injectable()
export class TokenIssuerCertificateMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TokenIssuerCertificate');
  private rollTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly assignments: TokenIssuerAssignmentService,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
    readiness: ReadinessRegistry,
    metrics: MetricsRegistry,
    identityChangeGuard: IdentityChangeGuard,
  ) {
    readiness.register('oauthTokenIssuerCertificate', async () => this.readiness());
    identityChangeGuard.register(() => this.assignments.identityDependency());
    const daysGauge: Gauge<'slot' | 'thumbprint'> = new Gauge({
      name: 's2s_token_issuer_certificate_days_to_expiry',
      help: 'Whole days until the OAuth token-issuer certificate in each slot expires (negative once expired)',
      labelNames: ['slot', 'thumbprint'] as const,
      registers: [metrics.registry],
      collect: () => {
        daysGauge.reset();
        const now = this.clock.now();
        const slots = this.keyRing.slots(now);
        for (const slot of ['current', 'next', 'previous'] as const) {
          const key = slots[slot];
          if (key) daysGauge.set({ slot, thumbprint: key.thumbprint }, daysToExpiry(key.notAfter, now));
        }
      },
    });
    const assignedGauge: Gauge = new Gauge({
      name: 's2s_token_issuer_certificate_assigned',
      help: '1 when a usable OAuth token-issuer certificate signs tokens, else 0',
      registers: [metrics.registry],
      collect: () => {
        assignedGauge.set(this.keyRing.signingKey(this.clock.now()) ? 1 : 0);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.keyRing.onReload(() => this.armRollTimer());
    this.armRollTimer();
    this.warnAboutExpiry();
    this.expiryTimer = setInterval(() => this.warnAboutExpiry(), EXPIRY_CHECK_INTERVAL_MS);
    this.expiryTimer.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.rollTimer);
    clearInterval(this.expiryTimer);
  }

  /** Ready when a current certificate with a usable key, inside its validity, names the configured realm. */
  readiness(): ReadinessReport {
    const now = this.clock.now();
    const slots = this.keyRing.slots(now);
    const realm = this.oauthConfiguration.cached().realm;
    const reasons: string[] = [...this.keyRing.problems()];
    const current = slots.current;
    if (!current) {
      reasons.push('no OAuth token-issuer certificate is assigned: tokens cannot be issued and the metadata document has no keys');
    } else {
      if (current.notAfter <= now) reasons.push(`the current certificate ${current.thumbprint} expired on ${current.notAfter.toISOString()}`);
      if (!realm) reasons.push('no realm is configured');
      else if (!coversRealm(current.dnsNames, realm)) reasons.push(`the current certificate ${current.thumbprint} does not name the configured realm ${realm}`);
    }
    return {
      ready: reasons.length === 0,
      ...(reasons.length ? { reason: reasons.join('; ') } : {}),
      current: current ? describeKey(current, now) : null,
      next: slots.next ? { ...describeKey(slots.next, now), effectiveDate: slots.nextEffectiveAt?.toISOString() } : null,
    };
  }

  /** Logs a warning for the current and next certificates when fewer than 60 days are left. */
  warnAboutExpiry(): void {
    const now = this.clock.now();
    const slots = this.keyRing.slots(now);
    for (const slot of ['current', 'next'] as const) {
      const key = slots[slot];
      if (!key) continue;
      const days = daysToExpiry(key.notAfter, now);
      if (days < EXPIRY_WARNING_DAYS) {
        this.logger.warn(
          { slot, thumbprint: key.thumbprint, notAfter: key.notAfter.toISOString(), daysToExpiry: days },
          days < 0 ? `the ${slot} OAuth token-issuer certificate has expired` : `the ${slot} OAuth token-issuer certificate expires in ${days} days: stage its successor with a roll`,
        );
      }
    }
  }

  /** Arms a timer for the staged roll's effective date (the key ring already flips at that instant by itself). */
  private armRollTimer(): void {
    clearTimeout(this.rollTimer);
    const due = this.keyRing.nextScheduledChange();
    if (!due) return;
    const wait = Math.max(0, due.getTime() - this.clock.now().getTime());
    this.rollTimer = setTimeout(() => (wait > MAX_TIMER_MS ? this.armRollTimer() : void this.activateRoll()), Math.min(wait, MAX_TIMER_MS));
    this.rollTimer.unref();
  }

  private async activateRoll(): Promise<void> {
    try {
      if (await this.assignments.activateDueRoll()) {
        this.logger.log({ current: this.keyRing.signingKey(this.clock.now())?.thumbprint }, 'staged OAuth token-issuer certificate is now current');
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not record the certificate roll yet; signing already uses the new certificate; retrying');
      this.rollTimer = setTimeout(() => void this.activateRoll(), ROLL_RETRY_MS);
      this.rollTimer.unref();
    }
  }
}

function describeKey(key: IssuerKey, now: Date): Record<string, unknown> {
  return { thumbprint: key.thumbprint, subject: key.subject, notAfter: key.notAfter.toISOString(), daysToExpiry: daysToExpiry(key.notAfter, now) };
}
