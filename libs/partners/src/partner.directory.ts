import type { KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChangeFeed, Clock, OnDemandRefresh, ReloadSequencer } from '@s2s/core';
import { certificatePublicKey } from '@s2s/crypto';
import { IdentityChangeGuard, OAuthConfigurationService } from '@s2s/oauth-configuration';
import type { PartnerApplication } from './partner-application.js';
import { PartnerApplicationService } from './partner-application.service.js';
import { PartnerApplicationRepository } from './partner.repository.js';
import { PARTNERS_TOPIC } from './partners.topic.js';

/** A partner key ready to verify signatures. */
export interface CachedPartnerKey {
  x5t: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

export interface CachedPartner {
  partner: PartnerApplication;
  keys: Map<string, CachedPartnerKey>;
}

/** At most one refetch per partner in this window when tokens name unknown keys (SPEC 5.5). */
export const UNKNOWN_KEY_REFRESH_COOLDOWN_MS = 5 * 60_000;
const SCHEDULE_CHECK_MS = 60_000;

/**
 * Partners and their keys in memory (SPEC 7: validation never reads the database), reloaded on
 * every change on any instance. Also drives metadata refresh: on the configured interval, and on a
 * token naming an unknown key (at most once per 5 minutes per partner, concurrent requests joined).
 */
@Injectable()
export class PartnerDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PartnerDirectory');
  private byIdentity = new Map<string, CachedPartner>();
  private partnersByIssuer = new Map<string, CachedPartner>();
  private readonly onDemand: OnDemandRefresh;
  private readonly scheduled = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly reloads = new ReloadSequencer();

  constructor(
    private readonly repository: PartnerApplicationRepository,
    private readonly service: PartnerApplicationService,
    private readonly changeFeed: ChangeFeed,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
    identityChangeGuard: IdentityChangeGuard,
  ) {
    this.onDemand = new OnDemandRefresh(UNKNOWN_KEY_REFRESH_COOLDOWN_MS, clock);
    // Partners address us by service name and realm: changing either breaks them (SPEC 5.1).
    identityChangeGuard.register(async () => {
      const count = (await this.repository.list()).length;
      return count ? `${count} partner application(s) are registered and address this service by its service name and realm` : null;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.changeFeed.subscribe(PARTNERS_TOPIC, () => this.reload());
    await this.reload();
    this.timer = setInterval(() => void this.refreshDue(), SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    await this.reloads.run(() => this.repository.list(), (partners) => this.apply(partners));
  }

  private apply(partners: PartnerApplication[]): void {
    const byIdentity = new Map<string, CachedPartner>();
    const byIssuer = new Map<string, CachedPartner>();
    for (const partner of partners) {
      const keys = new Map<string, CachedPartnerKey>();
      for (const key of partner.keys) {
        try {
          keys.set(key.x5t, { x5t: key.x5t, publicKey: certificatePublicKey(key.certificatePem), notBefore: key.notBefore, notAfter: key.notAfter });
        } catch (error) {
          this.logger.error({ partner: partner.identity, x5t: key.x5t, err: (error as Error).message }, 'unreadable partner key skipped');
        }
      }
      const cached = { partner, keys };
      byIdentity.set(partner.identity, cached);
      byIssuer.set(`${partner.applicationIdentifier}@${partner.realm}`, cached);
    }
    this.byIdentity = byIdentity;
    this.partnersByIssuer = byIssuer;
  }

  /** The partner whose actor tokens carry this `iss`: `<principal id>@<realm>`, exactly (principal lowercase GUID). */
  byIssuer(iss: string): CachedPartner | undefined {
    return this.partnersByIssuer.get(iss);
  }

  /** By identity (case-insensitive) or application identifier. */
  find(reference: string): CachedPartner | undefined {
    const lower = reference.toLowerCase();
    return this.byIdentity.get(lower) ?? [...this.byIdentity.values()].find((cached) => cached.partner.applicationIdentifier === lower);
  }

  all(): CachedPartner[] {
    return [...this.byIdentity.values()];
  }

  /**
   * Refetches a partner's metadata because a token named a key we do not know: at most once per
   * cooldown per partner, and concurrent callers share one download. Resolves true when a download
   * was attempted now (the directory is reloaded by then).
   */
  refreshForUnknownKey(identity: string): Promise<boolean> {
    const cached = this.byIdentity.get(identity);
    if (!cached?.partner.metadataUrl) return Promise.resolve(false);
    return this.onDemand.run(identity, () =>
      this.service.refresh(identity).catch((error: Error) => this.logger.warn({ partner: identity, err: error.message }, 'on-demand metadata refresh failed')),
    );
  }

  /** Refreshes every partner whose metadata is older than the configured interval. */
  async refreshDue(): Promise<void> {
    let interval: number;
    try {
      interval = this.oauthConfiguration.cached().metadataRefreshIntervalSeconds * 1000;
    } catch {
      return;
    }
    const now = this.clock.now().getTime();
    for (const { partner } of this.byIdentity.values()) {
      if (!partner.metadataUrl || this.onDemand.running(partner.identity) || this.scheduled.has(partner.identity)) continue;
      if ((partner.metadataStatus.lastAttemptAt?.getTime() ?? 0) + interval > now) continue;
      this.scheduled.add(partner.identity);
      try {
        await this.service.refresh(partner.identity);
      } catch (error) {
        this.logger.warn({ partner: partner.identity, err: (error as Error).message }, 'scheduled metadata refresh failed');
      } finally {
        this.scheduled.delete(partner.identity);
      }
    }
  }
}
