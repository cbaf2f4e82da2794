import type { KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChangeFeed, Clock, OnDemandRefresh, ReloadSequencer } from '@s2s/core';
import { loadPublicKey } from '@s2s/crypto';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { UNKNOWN_KEY_REFRESH_COOLDOWN_MS } from '@s2s/partners';
import type { OAuthServer } from './oauth-server.js';
import { OAUTH_SERVERS_TOPIC, OAuthServerRepository } from './oauth-server.repository.js';
import { OAuthServerService } from './oauth-server.service.js';

export interface CachedOAuthServerKey {
  kid: string | null;
  x5t: string | null;
  alg: string | null;
  publicKey: KeyObject;
}

export interface CachedOAuthServer {
  server: OAuthServer;
  keys: CachedOAuthServerKey[];
}

const SCHEDULE_CHECK_MS = 60_000;

/**
 * OAuth servers and their keys in memory, by issuer (validation reads nothing from the database),
 * reloaded on every change; refreshed on the configured interval and, rate-limited and coalesced,
 * when a token names an unknown `kid`.
 */
@Injectable()
export class OAuthServerDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OAuthServerDirectory');
  private byIssuer = new Map<string, CachedOAuthServer>();
  private readonly reloads = new ReloadSequencer();
  private readonly onDemand: OnDemandRefresh;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: OAuthServerRepository,
    private readonly service: OAuthServerService,
    private readonly changeFeed: ChangeFeed,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {
    this.onDemand = new OnDemandRefresh(UNKNOWN_KEY_REFRESH_COOLDOWN_MS, clock);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.changeFeed.subscribe(OAUTH_SERVERS_TOPIC, () => this.reload());
    await this.reload();
    this.timer = setInterval(() => void this.refreshDue(), SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async reload(): Promise<void> {
    await this.reloads.run(
      () => this.repository.list(),
      (servers) => {
        const byIssuer = new Map<string, CachedOAuthServer>();
        for (const server of servers) {
          const keys: CachedOAuthServerKey[] = [];
          for (const key of server.keys) {
            try {
              keys.push({ kid: key.kid, x5t: key.x5t, alg: key.alg, publicKey: loadPublicKey(key.publicKeyPem) });
            } catch (error) {
              this.logger.error({ oauthServer: server.identity, err: (error as Error).message }, 'unreadable OAuth server key skipped');
            }
          }
          byIssuer.set(server.issuer, { server, keys });
        }
        this.byIssuer = byIssuer;
      },
    );
  }

  all(): CachedOAuthServer[] {
    return [...this.byIssuer.values()];
  }

  /** The server whose `iss` this is, exactly. */
  byIssuerName(issuer: string): CachedOAuthServer | undefined {
    return this.byIssuer.get(issuer);
  }

  /** Refetch for an unknown `kid`: at most once per cooldown per server, concurrent callers joined. */
  refreshForUnknownKey(identity: string): Promise<boolean> {
    return this.onDemand.run(identity, () =>
      this.service.refresh(identity).catch((error: Error) => this.logger.warn({ oauthServer: identity, err: error.message }, 'on-demand key refresh failed')),
    );
  }

  private async refreshDue(): Promise<void> {
    let interval: number;
    try {
      interval = this.oauthConfiguration.cached().metadataRefreshIntervalSeconds * 1000;
    } catch {
      return;
    }
    const now = this.clock.now().getTime();
    for (const { server } of this.byIssuer.values()) {
      if ((server.metadataStatus.lastAttemptAt?.getTime() ?? 0) + interval > now || this.onDemand.running(server.identity)) continue;
      await this.service.refresh(server.identity).catch((error: Error) => this.logger.warn({ oauthServer: server.identity, err: error.message }, 'scheduled refresh failed'));
    }
  }
}
