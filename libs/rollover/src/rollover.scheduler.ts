import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { awaitingActivation, TokenIssuerAssignmentService } from '@s2s/certificates';
import { Clock } from '@s2s/core';
import { MetricsRegistry } from '@s2s/operations';
import { Gauge } from 'prom-client';
import { RolloverEvidenceService } from './rollover-evidence.service.js';
import { SchedulerLease } from './scheduler-lease.js';
import { TokenIssuerRenewalService } from './token-issuer-renewal.service.js';

/** How often the rollover work is checked (issue 16: the activation gate is checked every minute). */
export const ROLLOVER_CHECK_INTERVAL_MS = 60_000;
/** The lease outlives two missed checks; then another instance takes over. */
const LEASE_TTL_MS = 150_000;
const LEASE_NAME = 'rollover';
/** A waiting gate or a pending certificate request is logged again at most this often. */
const WARNING_REPEAT_MS = 3_600_000;

/**
 * The scheduled rollover work (issue 16), done by the one instance holding the `rollover` lease
 * (a row in the database), once a minute:
 * - the activation gate: a gated roll whose effective date has passed becomes current as soon as
 *   every enabled partner has fetched our metadata since publication; until then the alert is
 *   raised (gauge `s2s_token_issuer_activation_waiting`, audit event once per roll, a warning
 *   log); at its deadline it activates by the clock on every instance;
 * - the previous certificate is removed once every token it signed has expired;
 * - automatic renewal (oauth-configuration `autoRenew`).
 * Every action re-reads the slots under their advisory lock, so even two lease holders (a clock
 * jump, a paused process) could not do one twice. The result reaches every instance through the
 * change feed (within 2 s).
 */
@Injectable()
export class RolloverScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Rollover');
  /** This process, as the lease names its holder. */
  readonly instanceId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private waiting = 0;
  private renewalWaiting = 0;
  private lastGateWarning = new Map<string, number>();
  private lastRenewalWarning = 0;

  constructor(
    private readonly assignments: TokenIssuerAssignmentService,
    private readonly evidence: RolloverEvidenceService,
    private readonly renewal: TokenIssuerRenewalService,
    private readonly lease: SchedulerLease,
    private readonly clock: Clock,
    metrics: MetricsRegistry,
  ) {
    const waitingGauge: Gauge = new Gauge({
      name: 's2s_token_issuer_activation_waiting',
      help: '1 while a gated roll is past its effective date and waits for partners to fetch the metadata (alert), else 0',
      registers: [metrics.registry],
      collect: () => waitingGauge.set(this.waiting),
    });
    const renewalGauge: Gauge = new Gauge({
      name: 's2s_token_issuer_renewal_waiting_for_certificate',
      help: '1 while automatic renewal (csr mode) waits for an operator to complete its certificate request (alert), else 0',
      registers: [metrics.registry],
      collect: () => renewalGauge.set(this.renewalWaiting),
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), ROLLOVER_CHECK_INTERVAL_MS);
    this.timer.unref();
    setTimeout(() => void this.check(), 1_000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One check; concurrent calls share it. Never throws (each step logs its own failure). */
  check(): Promise<void> {
    this.running ??= this.checkOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async checkOnce(): Promise<void> {
    const now = this.clock.now();
    let holder: boolean;
    try {
      holder = await this.lease.tryAcquire(LEASE_NAME, this.instanceId, now, new Date(now.getTime() + LEASE_TTL_MS));
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'rollover check skipped: the database is unreachable');
      return;
    }
    await this.step('activation gate', () => this.activationGate(holder));
    if (!holder) {
      // Only the alert gauge here; the lease holder acts.
      await this.step('automatic renewal', async () => {
        const renewal = await this.renewal.current();
        this.renewalWaiting = renewal?.mode === 'csr' && !renewal.stagedAt ? 1 : 0;
      });
      return;
    }
    await this.step('previous certificate removal', async () => {
      const removed = await this.assignments.removeExpiredPrevious();
      if (removed) this.logger.log({ thumbprint: removed }, 'previous OAuth token-issuer certificate removed: every token it signed has expired');
    });
    await this.step('automatic renewal', () => this.renew());
  }

  private async activationGate(holder: boolean): Promise<void> {
    const slots = await this.assignments.slots();
    const now = this.clock.now();
    const roll = slots.roll;
    if (!slots.next || !roll?.activateWhenFetched || !awaitingActivation(slots, now)) {
      this.waiting = 0;
      return;
    }
    const evidence = await this.evidence.since(roll.publishedAt);
    const missing = evidence.partners.filter((partner) => !partner.fetched).map((partner) => partner.identity);
    if (missing.length === 0) {
      this.waiting = 0;
      if (!holder) return;
      const fetchedBy = evidence.partners.map((partner) => ({ identity: partner.identity, lastFetchAt: partner.lastFetchAt?.toISOString() ?? null }));
      if (await this.assignments.activateGatedRoll(slots.next, { fetchedBy })) {
        this.logger.log({ current: slots.next, fetchedBy }, 'staged OAuth token-issuer certificate is now current: every enabled partner fetched the metadata');
      }
      return;
    }
    this.waiting = 1;
    if (!holder) return;
    const details = { waitingFor: missing, deadline: roll.deadline.toISOString() };
    await this.assignments.recordActivationWaiting(slots.next, details);
    const last = this.lastGateWarning.get(slots.next) ?? 0;
    if (now.getTime() - last >= WARNING_REPEAT_MS || last > now.getTime()) {
      this.lastGateWarning.set(slots.next, now.getTime());
      this.logger.warn(
        { next: slots.next, effectiveDate: slots.nextEffectiveAt?.toISOString(), ...details },
        'the next OAuth token-issuer certificate waits for partners to fetch the metadata (activation gate); it activates anyway at the deadline. See s2sctl certificate status',
      );
    }
  }

  private async renew(): Promise<void> {
    const outcome = await this.renewal.renewIfDue();
    this.renewalWaiting = outcome.state === 'waiting-for-certificate' || outcome.state === 'request-missing' ? 1 : 0;
    if (outcome.state === 'started' && outcome.renewal.mode === 'csr') this.renewalWaiting = 1;
    if (this.renewalWaiting) {
      const now = this.clock.now().getTime();
      if (now - this.lastRenewalWarning >= WARNING_REPEAT_MS || this.lastRenewalWarning > now) {
        this.lastRenewalWarning = now;
        const renewal = 'renewal' in outcome ? outcome.renewal : null;
        this.logger.warn(
          { renews: renewal?.renewsThumbprint, requestId: renewal?.requestId, state: outcome.state },
          outcome.state === 'request-missing'
            ? 'automatic renewal: its certificate request was removed; create and complete one, then roll by hand'
            : 'automatic renewal waits for the CA: complete the certificate request with s2sctl certificate complete',
        );
      }
    }
  }

  private async step(name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger.error({ step: name, err: (error as Error).message }, 'rollover step failed; retried at the next check');
    }
  }
}
