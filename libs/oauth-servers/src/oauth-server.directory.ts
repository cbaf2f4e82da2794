import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ChangeFeed, Clock } from '@s2s/core';
import { loadPublicKey } from '@s2s/crypto';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { TrustedIssuerDirectory } from '@s2s/trusted-issuers';
import { isIssuerTemplate, type OAuthServer, type OAuthServerKey, tenantOfIssuer } from './oauth-server.js';
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

/**
 * OAuth servers and their keys in memory, by exact issuer (the shared {@link TrustedIssuerDirectory}:
 * reloaded on every change, refreshed on schedule and, rate-limited and coalesced, when a token
 * names an unknown `kid`).
 */
@Injectable()
export class OAuthServerDirectory extends TrustedIssuerDirectory<OAuthServerKey, OAuthServer, CachedOAuthServer> {
  /** The multi-tenant servers (issuer with `{tenantid}`), rebuilt on every reload: looked at only when no issuer matches exactly. */
  private templates: CachedOAuthServer[] = [];

  constructor(repository: OAuthServerRepository, service: OAuthServerService, changeFeed: ChangeFeed, oauthConfiguration: OAuthConfigurationService, clock: Clock) {
    super({ list: () => repository.list(), refresh: (identity) => service.refresh(identity) }, changeFeed, oauthConfiguration, clock, OAUTH_SERVERS_TOPIC);
  }

  protected issuerOf(server: OAuthServer): string {
    return server.issuer;
  }

  protected toCached(server: OAuthServer): CachedOAuthServer {
    return { server, keys: this.loadKeys(server, (key) => ({ kid: key.kid, x5t: key.x5t, alg: key.alg, publicKey: loadPublicKey(key.publicKeyPem) })) };
  }

  override async reload(): Promise<void> {
    await super.reload();
    this.templates = this.all().filter((cached) => isIssuerTemplate(cached.server.issuer));
  }

  /**
   * The server whose `iss` this is: exactly, else a multi-tenant server whose issuer template this
   * `iss` fills (`…/<tenant>/v2.0` for `…/{tenantid}/v2.0`; the tenant is checked against its
   * policy and the token's `tid` by the validator).
   */
  byIssuerName(issuer: string): CachedOAuthServer | undefined {
    const exact = this.byIssuer(issuer);
    if (exact !== undefined || this.templates.length === 0) return exact;
    for (const cached of this.templates) if (tenantOfIssuer(cached.server.issuer, issuer) !== null) return cached;
    return undefined;
  }
}
