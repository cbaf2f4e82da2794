import { Injectable } from '@nestjs/common';
import { daysToExpiry, TokenIssuerKeyRing } from '@s2s/certificates';
import { AppConfig } from '@s2s/config';
import { Clock, DatabaseProbe } from '@s2s/core';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OAuthServerService } from '@s2s/oauth-servers';
import { PartnerApplicationService } from '@s2s/partners';
import { downloadMetadataDocument, MetadataDocumentError, type MetadataStatus, parseMicrosoftMetadata } from '@s2s/trusted-issuers';
import type { ExpiryWarning } from './credential.js';
import { CredentialExpiryMonitor } from './credential-expiry.monitor.js';
import { fetchReason } from './connectivity.tester.js';
import { HEARTBEAT_STALE_MS, InstanceHeartbeat, type InstanceRecord, InstanceHeartbeatRepository } from './instance-heartbeat.js';
import { ServingCertificate } from './serving-certificate.js';

/** `ok`: the last download succeeded (or pinned keys); `error`: it failed (last known good keys kept); `review`: flagged, not applied. */
export type IssuerState = 'ok' | 'error' | 'review';

export interface IssuerStatus {
  identity: string;
  enabled: boolean;
  state: IssuerState;
  lastSuccessAt: Date | null;
  /** Seconds since the last good download; null for pinned keys or never. */
  lastGoodFetchAgeSeconds: number | null;
  earliestKeyExpiry: Date | null;
  pendingKeys: number;
  problem: string | null;
}

export interface TokenIssuerSlotStatus {
  slot: 'current' | 'next' | 'previous';
  thumbprint: string;
  notAfter: Date;
  daysLeft: number;
  /** For `next`: when it becomes current. */
  effectiveDate: Date | null;
}

export interface TrustStatus {
  generatedAt: Date;
  realm: string | null;
  serviceName: string;
  publicUrl: string;
  selfMetadata: { url: string; ok: boolean; reason: string | null; detail: string };
  tokenIssuer: TokenIssuerSlotStatus[];
  partners: IssuerStatus[];
  oauthServers: IssuerStatus[];
  credentialWarningDays: readonly number[];
  credentialWarnings: ExpiryWarning[];
  database: { kind: 'postgresql' | 'pglite'; reachable: boolean; pendingMigrations: string[]; error: string | null };
  instances: (InstanceRecord & { self: boolean; stale: boolean })[];
}

/**
 * `status` (issue 16): the one screen an operator reads first, assembled from what each capability
 * already knows: identity, whether our own metadata can be fetched through PUBLIC_URL (as a
 * partner would), the token-issuer slots, every partner and OAuth server, the credentials inside
 * their warning window, the database and the instances sharing it.
 */
@Injectable()
export class TrustStatusService {
  constructor(
    private readonly config: AppConfig,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly partners: PartnerApplicationService,
    private readonly oauthServers: OAuthServerService,
    private readonly expiry: CredentialExpiryMonitor,
    private readonly database: DatabaseProbe,
    private readonly heartbeats: InstanceHeartbeatRepository,
    private readonly heartbeat: InstanceHeartbeat,
    private readonly serving: ServingCertificate,
    private readonly clock: Clock,
  ) {}

  async status(): Promise<TrustStatus> {
    const now = this.clock.now();
    const configuration = this.oauthConfiguration.cached();
    const databaseStatus = await this.database.status();
    const [selfMetadata, partners, oauthServers, credentialWarnings, instances] = await Promise.all([
      this.selfMetadata(configuration.serviceName),
      databaseStatus.reachable ? this.partners.list() : Promise.resolve([]),
      databaseStatus.reachable ? this.oauthServers.list() : Promise.resolve([]),
      this.expiry.warnings(),
      databaseStatus.reachable ? this.heartbeats.list().catch(() => []) : Promise.resolve([]),
    ]);
    const slots = this.keyRing.slots(now);
    const tokenIssuer: TokenIssuerSlotStatus[] = [];
    for (const slot of ['current', 'next', 'previous'] as const) {
      const key = slots[slot];
      if (key) tokenIssuer.push({ slot, thumbprint: key.thumbprint, notAfter: key.notAfter, daysLeft: daysToExpiry(key.notAfter, now), effectiveDate: slot === 'next' ? slots.nextEffectiveAt : null });
    }
    return {
      generatedAt: now,
      realm: configuration.realm,
      serviceName: configuration.serviceName,
      publicUrl: this.config.publicUrl,
      selfMetadata,
      tokenIssuer,
      partners: partners.map((partner) => issuerStatus(partner, partner.keys.map((key) => key.notAfter), partner.pendingKeys.length, now)),
      oauthServers: oauthServers.map((server) => flagAnyTenant(server, issuerStatus(server, server.keys.map((key) => key.notAfter), 0, now))),
      credentialWarningDays: this.expiry.warningDays(),
      credentialWarnings,
      database: { kind: this.config.databaseUrl ? 'postgresql' : 'pglite', reachable: databaseStatus.reachable, pendingMigrations: databaseStatus.pendingMigrations, error: databaseStatus.error ?? null },
      instances: instances.map((instance) => ({ ...instance, self: instance.instanceId === this.heartbeat.instanceId, stale: now.getTime() - instance.lastSeenAt.getTime() > HEARTBEAT_STALE_MS })),
    };
  }

  /**
   * Downloads our own metadata through PUBLIC_URL as a partner would (same guarded fetcher). The
   * host of PUBLIC_URL and loopback are allowed (it is this server's own configured address), and
   * the certificate we serve is trusted besides the system store.
   */
  private async selfMetadata(serviceName: string): Promise<TrustStatus['selfMetadata']> {
    const url = `${this.config.publicUrl}/metadata/json/1`;
    const host = new URL(this.config.publicUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    try {
      const { document } = await downloadMetadataDocument(url, {
        allowHttp: this.config.publicUrl.startsWith('http:'),
        caBundle: this.serving.certificate?.pem ?? null,
        hostAllowList: [host, '127.0.0.1', '::1'],
      });
      const metadata = parseMicrosoftMetadata(document);
      if (metadata.serviceName !== serviceName) return { url, ok: false, reason: 'not_this_service', detail: `${url} serves the metadata of ${metadata.serviceName}, not this service (${serviceName})` };
      return { url, ok: true, reason: null, detail: `downloaded: ${metadata.keys.length} key(s), issuer ${metadata.issuer}` };
    } catch (error) {
      return { url, ok: false, reason: error instanceof MetadataDocumentError ? 'metadata_invalid' : fetchReason(error), detail: (error as Error).message };
    }
  }
}

/** A multi-tenant OAuth server allowed any tenant is flagged (issue 21): the operator said so, and should see it. */
function flagAnyTenant(server: { allowAnyTenant: boolean }, status: IssuerStatus): IssuerStatus {
  if (!server.allowAnyTenant) return status;
  const flag = 'accepts tokens of any tenant (allowAnyTenant)';
  return { ...status, problem: status.problem === null ? flag : `${status.problem}; ${flag}` };
}

function issuerStatus(issuer: { identity: string; enabled: boolean; metadataUrl: string | null; metadataStatus: MetadataStatus }, expiries: (Date | null)[], pendingKeys: number, now: Date): IssuerStatus {
  const status = issuer.metadataStatus;
  const state: IssuerState = status.reviewReason ? 'review' : status.lastError ? 'error' : 'ok';
  const known = expiries.filter((date): date is Date => date !== null);
  return {
    identity: issuer.identity,
    enabled: issuer.enabled,
    state,
    lastSuccessAt: status.lastSuccessAt,
    lastGoodFetchAgeSeconds: issuer.metadataUrl && status.lastSuccessAt ? Math.floor((now.getTime() - status.lastSuccessAt.getTime()) / 1000) : null,
    earliestKeyExpiry: known.length ? new Date(Math.min(...known.map((date) => date.getTime()))) : null,
    pendingKeys,
    problem: status.reviewReason ?? status.lastError,
  };
}
