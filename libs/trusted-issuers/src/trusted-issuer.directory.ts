import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type ChangeFeed, type Clock, OnDemandRefresh, ReloadSequencer } from '@s2s/core';
import type { OAuthConfigurationService } from '@s2s/oauth-configuration';
import type { TrustedIssuer } from './trusted-issuer.js';

/** At most one refetch per issuer in this window when tokens name unknown keys (SPEC 5.5). */
export const UNKNOWN_KEY_REFRESH_COOLDOWN_MS = 5 * 60_000;
/** How often the schedule looks for issuers whose metadata is older than the refresh interval. */
const SCHEDULE_CHECK_MS = 60_000;

/** Where a directory loads its records from and how it has one refreshed (the kind's repository and service). */
export interface TrustedIssuerSource<R> {
  list(): Promise<R[]>;
  /** Downloads the metadata of one issuer again and stores the outcome (announced on the change feed). */
  refresh(identity: string): Promise<unknown>;
}

/**
 * Trusted issuers of one kind and their keys in memory (SPEC 7: validation never reads the
 * database), reloaded on every change on any instance. Also drives metadata refresh (SPEC 5.5): on
 * the configured interval, and when a token names an unknown key (at most once per
 * {@link UNKNOWN_KEY_REFRESH_COOLDOWN_MS} per issuer, concurrent requests joined; security
 * catalogue E11). A failed refresh keeps the last known good keys (the registry's refresh).
 *
 * A kind's directory extends this with the shape validation reads (`toCached`) and the issuer
 * string its tokens carry (`issuerOf`).
 */
export abstract class TrustedIssuerDirectory<K, R extends TrustedIssuer<K>, C> implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger;
  private cachedByIdentity = new Map<string, C>();
  private cachedByIssuer = new Map<string, C>();
  private records = new Map<string, R>();
  private readonly onDemand: OnDemandRefresh;
  private readonly scheduled = new Set<string>();
  private readonly reloads = new ReloadSequencer();
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    private readonly source: TrustedIssuerSource<R>,
    private readonly changeFeed: ChangeFeed,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
    /** Change-feed topic of the kind: every change reloads the directory. */
    private readonly topic: string,
  ) {
    this.logger = new Logger(new.target.name);
    this.onDemand = new OnDemandRefresh(UNKNOWN_KEY_REFRESH_COOLDOWN_MS, clock);
  }

  /** The `iss` the issuer's tokens carry, exactly: the key of {@link byIssuer}. */
  protected abstract issuerOf(record: R): string;

  /** The record with its keys ready to verify signatures (see {@link loadKeys}). */
  protected abstract toCached(record: R): C;

  async onApplicationBootstrap(): Promise<void> {
    this.changeFeed.subscribe(this.topic, () => this.reload());
    await this.reload();
    this.timer = setInterval(() => void this.refreshDue(), SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    await this.reloads.run(
      () => this.source.list(),
      (records) => {
        const byIdentity = new Map<string, C>();
        const byIssuer = new Map<string, C>();
        const recordMap = new Map<string, R>();
        for (const record of records) {
          const cached = this.toCached(record);
          byIdentity.set(record.identity, cached);
          byIssuer.set(this.issuerOf(record), cached);
          recordMap.set(record.identity, record);
        }
        this.cachedByIdentity = byIdentity;
        this.cachedByIssuer = byIssuer;
        this.records = recordMap;
      },
    );
  }

  /** The issuer whose tokens carry this `iss`, exactly. */
  byIssuer(iss: string): C | undefined {
    return this.cachedByIssuer.get(iss);
  }

  /** By identity (lowercase, as stored). */
  byIdentity(identity: string): C | undefined {
    return this.cachedByIdentity.get(identity);
  }

  all(): C[] {
    return [...this.cachedByIdentity.values()];
  }

  /** Every cached issuer, without copying them into an array (for lookups on the hot paths). */
  protected cached(): IterableIterator<C> {
    return this.cachedByIdentity.values();
  }

  /**
   * Refetches an issuer's metadata because a token named a key we do not know: at most once per
   * cooldown per issuer, and concurrent callers share one download. Resolves true when a download
   * was attempted now (the directory is reloaded by then); false for an issuer without a metadata
   * URL (pinned keys) or within the cooldown.
   */
  refreshForUnknownKey(identity: string): Promise<boolean> {
    if (!this.records.get(identity)?.metadataUrl) return Promise.resolve(false);
    return this.onDemand.run(identity, () => this.source.refresh(identity).catch((error: Error) => this.warn(identity, error, 'on-demand metadata refresh failed')));
  }

  /** Refreshes every issuer with a metadata URL whose last attempt is older than the configured interval. */
  async refreshDue(): Promise<void> {
    let interval: number;
    try {
      interval = this.oauthConfiguration.cached().metadataRefreshIntervalSeconds * 1000;
    } catch {
      return;
    }
    const now = this.clock.now().getTime();
    for (const record of this.records.values()) {
      const { identity } = record;
      if (!record.metadataUrl || this.onDemand.running(identity) || this.scheduled.has(identity)) continue;
      if ((record.metadataStatus.lastAttemptAt?.getTime() ?? 0) + interval > now) continue;
      this.scheduled.add(identity);
      try {
        await this.source.refresh(identity);
      } catch (error) {
        this.warn(identity, error as Error, 'scheduled metadata refresh failed');
      } finally {
        this.scheduled.delete(identity);
      }
    }
  }

  /** Turns each stored key into its cached form; a key that cannot be read is logged and skipped (never trusted). */
  protected loadKeys<L>(record: R, load: (key: K) => L): L[] {
    const loaded: L[] = [];
    for (const key of record.keys) {
      try {
        loaded.push(load(key));
      } catch (error) {
        this.logger.error({ issuer: record.identity, err: (error as Error).message }, 'unreadable key skipped');
      }
    }
    return loaded;
  }

  private warn(identity: string, error: Error, message: string): void {
    this.logger.warn({ issuer: identity, err: error.message }, message);
  }
}
