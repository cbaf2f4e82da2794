import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { Clock } from '@s2s/core';
import { MetricsRegistry, ReadinessRegistry } from '@s2s/operations';
import { Gauge } from 'prom-client';
import { expiryTier, type ExpiryWarning } from './credential.js';
import { CredentialInventory } from './credential-inventory.js';

/** How often the log is checked for credentials that entered a warning tier. */
const CHECK_INTERVAL_MS = 3_600_000;
const MS_PER_DAY = 86_400_000;

/**
 * Expiry of every credential (issue 16): the metric `s2s_credential_expiry_timestamp_seconds`
 * `{kind,id,thumbprint}`, the credentials inside a warning tier (`CREDENTIAL_EXPIRY_WARNING_DAYS`,
 * default 120/60/30/7 days) as warnings in `/health/ready` (which stays 200) and in `status`, and a
 * warning log line once per credential per tier per day (checked at start and hourly).
 */
@Injectable()
export class CredentialExpiryMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CredentialExpiry');
  private readonly tiers: readonly number[];
  /** `kind|id|thumbprint|tier` → the day (days since the epoch) it was last logged. */
  private readonly logged = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inventory: CredentialInventory,
    private readonly clock: Clock,
    config: AppConfig,
    metrics: MetricsRegistry,
    readiness: ReadinessRegistry,
  ) {
    this.tiers = config.credentialExpiryWarningDays;
    const gauge: Gauge<'kind' | 'id' | 'thumbprint'> = new Gauge({
      name: 's2s_credential_expiry_timestamp_seconds',
      help: 'When each credential expires (Unix seconds): token-issuer certificates, partner and OAuth-server keys, client certificates and secrets, admin keys, the HTTPS certificate',
      labelNames: ['kind', 'id', 'thumbprint'] as const,
      registers: [metrics.registry],
      collect: async () => {
        const credentials = await this.inventory.list();
        gauge.reset();
        for (const credential of credentials) gauge.set({ kind: credential.kind, id: credential.id, thumbprint: credential.thumbprint }, Math.floor(credential.expiresAt.getTime() / 1000));
      },
    });
    // A warning, not a failure: the instance stays ready (200) while something is about to expire.
    readiness.register('credentialExpiry', async () => {
      const warnings = await this.warnings();
      return { ready: true, warningDays: this.tiers, warnings: warnings.map(describeWarning) };
    });
  }

  onApplicationBootstrap(): void {
    void this.logWarnings();
    this.timer = setInterval(() => void this.logWarnings(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The configured tiers, descending. */
  warningDays(): readonly number[] {
    return this.tiers;
  }

  /** Every credential inside a warning tier now, the soonest first. */
  async warnings(): Promise<ExpiryWarning[]> {
    const now = this.clock.now();
    const warnings: ExpiryWarning[] = [];
    for (const credential of await this.inventory.list()) {
      const tier = expiryTier(credential.expiresAt, now, this.tiers);
      if (tier) warnings.push({ ...credential, ...tier });
    }
    return warnings.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }

  /** Logs each warning once per credential, tier and day; returns how many lines were written. */
  async logWarnings(): Promise<number> {
    let written = 0;
    try {
      const day = Math.floor(this.clock.now().getTime() / MS_PER_DAY);
      for (const warning of await this.warnings()) {
        const key = `${warning.kind}|${warning.id}|${warning.thumbprint}|${warning.tier}`;
        if (this.logged.get(key) === day) continue;
        this.logged.set(key, day);
        written += 1;
        this.logger.warn(
          { kind: warning.kind, id: warning.id, thumbprint: warning.thumbprint, expiresAt: warning.expiresAt.toISOString(), daysLeft: warning.daysLeft, tier: warning.tier },
          warning.tier === 0 ? `${warning.kind} ${warning.id} has expired` : `${warning.kind} ${warning.id} expires in ${warning.daysLeft} days (within ${warning.tier} days)`,
        );
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'credential expiry check failed; retrying at the next check');
    }
    return written;
  }
}

function describeWarning(warning: ExpiryWarning): Record<string, unknown> {
  return { kind: warning.kind, id: warning.id, thumbprint: warning.thumbprint, expiresAt: warning.expiresAt.toISOString(), daysLeft: warning.daysLeft, tier: warning.tier };
}
