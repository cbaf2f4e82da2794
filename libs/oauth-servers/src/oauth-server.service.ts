import { Injectable, Logger } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, InvalidInputError, NotFoundError, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { downloadingMetadata, fetchMetadataJson, type MetadataFetchPolicy, TRUSTED_ISSUER_IDENTITY } from '@s2s/partners';
import type { OAuthServer, OAuthServerKey } from './oauth-server.js';
import { describeOAuthServer, parseJwks } from './oauth-server-metadata.parser.js';
import { OAUTH_SERVERS_TOPIC, OAuthServerRepository } from './oauth-server.repository.js';

export interface OAuthServerInput {
  identity: string;
  metadataUrl: string;
  audiences: string[];
  tenantId?: string | null;
  allowedApplicationIds?: string[];
  allowedObjectIds?: string[];
  requiredRole?: string | null;
  enabled?: boolean;
  metadataCaBundle?: string | null;
  metadataHostAllowList?: string[];
  allowHttpMetadata?: boolean;
}

export type OAuthServerChanges = Partial<Omit<OAuthServerInput, 'identity'>>;

interface Downloaded {
  type: OAuthServer['type'];
  issuer: string;
  jwksUri: string | null;
  keys: OAuthServerKey[];
}

/**
 * OAuth servers (SPEC 5.5, `New-/Set-/Get-/Remove-CsOAuthServer`): registered by metadata URL (ACS
 * JSON metadata, or OIDC discovery + JWKS), downloaded and checked first; refresh keeps the last
 * known good keys and does not accept a changed issuer.
 */
@Injectable()
export class OAuthServerService {
  private readonly logger = new Logger('OAuthServers');

  constructor(
    private readonly servers: OAuthServerRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly changeFeed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  list(): Promise<OAuthServer[]> {
    return this.servers.list();
  }

  async get(identity: string): Promise<OAuthServer> {
    const server = await this.servers.find(identity.toLowerCase());
    if (!server) throw new NotFoundError(`no OAuth server ${identity}`);
    return server;
  }

  async create(input: OAuthServerInput, actor: AdminActor): Promise<OAuthServer> {
    if (!TRUSTED_ISSUER_IDENTITY.test(input.identity)) throw InvalidInputError.forField('identity', 'must be 1-128 lowercase letters, digits, ".", "_" or "-", e.g. microsoft.sts');
    const settings = settingsOf(input, null);
    const downloaded = await this.download(settings);
    const now = this.clock.now();
    const server: OAuthServer = {
      identity: input.identity,
      ...settings,
      ...downloaded,
      metadataStatus: { lastAttemptAt: now, lastSuccessAt: now, lastError: null, reviewReason: null },
      createdAt: now,
      updatedAt: now,
    };
    return this.change(async () => {
      const existing = await this.servers.list();
      if (existing.some((other) => other.identity === server.identity)) throw new ConflictError(`an OAuth server ${server.identity} already exists`, 'oauth_server_exists');
      if (existing.some((other) => other.issuer === server.issuer)) throw new ConflictError(`an OAuth server with issuer ${server.issuer} already exists`, 'oauth_server_exists');
      await this.servers.insert(server);
      await this.auditLog.record({ actor, action: 'oauth-server.create', targetType: 'oauth-server', targetId: server.identity, after: snapshot(server) });
      return server;
    });
  }

  async update(identity: string, changes: OAuthServerChanges, actor: AdminActor): Promise<OAuthServer> {
    const current = await this.get(identity);
    const settings = settingsOf({ ...current, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)), identity: current.identity } as OAuthServerInput, current);
    let downloaded: Downloaded = { type: current.type, issuer: current.issuer, jwksUri: current.jwksUri, keys: current.keys };
    let metadataStatus = current.metadataStatus;
    if (settings.metadataUrl !== current.metadataUrl) {
      downloaded = await this.download(settings);
      if (downloaded.issuer !== current.issuer) throw InvalidInputError.forField('metadataUrl', `the new metadata names issuer ${downloaded.issuer}, not ${current.issuer}`);
      const now = this.clock.now();
      metadataStatus = { lastAttemptAt: now, lastSuccessAt: now, lastError: null, reviewReason: null };
    }
    const next: OAuthServer = { ...current, ...settings, ...downloaded, metadataStatus, updatedAt: this.clock.now() };
    return this.change(async () => {
      await this.servers.update(next);
      await this.auditLog.record({ actor, action: 'oauth-server.update', targetType: 'oauth-server', targetId: current.identity, before: snapshot(current), after: snapshot(next) });
      return next;
    });
  }

  async remove(identity: string, actor: AdminActor): Promise<OAuthServer> {
    return this.change(async () => {
      const server = await this.get(identity);
      await this.servers.delete(server.identity);
      await this.auditLog.record({ actor, action: 'oauth-server.remove', targetType: 'oauth-server', targetId: server.identity, before: snapshot(server) });
      return server;
    });
  }

  /** Downloads metadata and keys again; failures keep the last known good keys; a changed issuer is flagged, not applied. */
  async refresh(identity: string, actor: AdminActor = SYSTEM_ACTOR): Promise<OAuthServer> {
    const server = await this.get(identity);
    const now = this.clock.now();
    let next: OAuthServer;
    try {
      const downloaded = await this.download(server);
      if (downloaded.issuer !== server.issuer) {
        const reviewReason = `the metadata now names issuer ${downloaded.issuer} instead of ${server.issuer}; re-create the OAuth server to accept it`;
        next = { ...server, metadataStatus: { ...server.metadataStatus, lastAttemptAt: now, lastError: reviewReason, reviewReason } };
      } else {
        next = { ...server, ...downloaded, metadataStatus: { lastAttemptAt: now, lastSuccessAt: now, lastError: null, reviewReason: null } };
      }
    } catch (error) {
      next = { ...server, metadataStatus: { ...server.metadataStatus, lastAttemptAt: now, lastError: (error as Error).message } };
      this.logger.warn({ oauthServer: server.identity, err: (error as Error).message }, 'OAuth server metadata refresh failed; last known good keys kept');
    }
    return this.change(async () => {
      await this.servers.update(next);
      if (actor !== SYSTEM_ACTOR || JSON.stringify(next.keys) !== JSON.stringify(server.keys)) {
        await this.auditLog.record({
          actor,
          action: 'oauth-server.refresh',
          targetType: 'oauth-server',
          targetId: server.identity,
          before: { keys: server.keys.map((key) => key.kid ?? key.x5t) },
          after: { keys: next.keys.map((key) => key.kid ?? key.x5t), lastError: next.metadataStatus.lastError },
        });
      }
      return next;
    });
  }

  private async download(settings: Pick<OAuthServer, 'metadataUrl' | 'allowHttpMetadata' | 'metadataCaBundle' | 'metadataHostAllowList'>): Promise<Downloaded> {
    const policy: MetadataFetchPolicy = { allowHttp: settings.allowHttpMetadata, caBundle: settings.metadataCaBundle, hostAllowList: settings.metadataHostAllowList };
    return downloadingMetadata(async () => {
      const description = describeOAuthServer(await fetchMetadataJson(settings.metadataUrl, policy), settings.metadataUrl);
      if (description.type === 'acs') return { type: 'acs', issuer: description.issuer, jwksUri: null, keys: description.keys };
      const keys = parseJwks(await fetchMetadataJson(description.jwksUri, policy));
      return { type: 'oidc', issuer: description.issuer, jwksUri: description.jwksUri, keys };
    });
  }

  private async change<T>(fn: () => Promise<T>): Promise<T> {
    return this.unitOfWork.run(async () => {
      const result = await fn();
      await this.changeFeed.publish(OAUTH_SERVERS_TOPIC);
      return result;
    });
  }
}

function settingsOf(input: OAuthServerInput, current: OAuthServer | null): Omit<OAuthServer, 'identity' | 'type' | 'issuer' | 'jwksUri' | 'keys' | 'metadataStatus' | 'createdAt' | 'updatedAt'> {
  let host: string;
  try {
    host = new URL(input.metadataUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    throw InvalidInputError.forField('metadataUrl', 'is not a valid URL');
  }
  if (!input.audiences?.length) throw InvalidInputError.forField('audiences', 'give at least one accepted audience');
  const allowList = (input.metadataHostAllowList ?? current?.metadataHostAllowList ?? [host]).map((entry) => entry.toLowerCase());
  if (!allowList.includes(host)) throw InvalidInputError.forField('metadataHostAllowList', `must include the metadata URL host ${host}`);
  return {
    metadataUrl: input.metadataUrl,
    audiences: input.audiences,
    tenantId: input.tenantId ?? null,
    allowedApplicationIds: input.allowedApplicationIds ?? [],
    allowedObjectIds: input.allowedObjectIds ?? [],
    requiredRole: input.requiredRole ?? null,
    enabled: input.enabled ?? true,
    metadataCaBundle: input.metadataCaBundle ?? null,
    metadataHostAllowList: allowList,
    allowHttpMetadata: input.allowHttpMetadata ?? false,
  };
}

function snapshot(server: OAuthServer): Record<string, unknown> {
  return {
    metadataUrl: server.metadataUrl,
    type: server.type,
    issuer: server.issuer,
    audiences: server.audiences,
    tenantId: server.tenantId,
    allowedApplicationIds: server.allowedApplicationIds,
    allowedObjectIds: server.allowedObjectIds,
    requiredRole: server.requiredRole,
    enabled: server.enabled,
    metadataHostAllowList: server.metadataHostAllowList,
    allowHttpMetadata: server.allowHttpMetadata,
    keys: server.keys.map((key) => key.kid ?? key.x5t),
  };
}
