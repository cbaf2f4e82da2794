import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, InvalidInputError, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import {
  describeOAuthServer,
  isIssuerTemplate,
  TENANT_PLACEHOLDER,
  downloadedMetadataStatus,
  downloadingMetadata,
  fetchMetadataJson,
  fetchPolicyOf,
  metadataUrlHost,
  parseJwks,
  TRUSTED_ISSUER_IDENTITY,
  TrustedIssuerRegistry,
  type TrustedIssuerSettingsInput,
  trustedIssuerSettings,
} from '@s2s/trusted-issuers';
import type { OAuthServer, OAuthServerKey } from './oauth-server.js';
import { OAUTH_SERVERS_TOPIC, OAuthServerRepository } from './oauth-server.repository.js';

export interface OAuthServerInput extends TrustedIssuerSettingsInput {
  identity: string;
  metadataUrl: string;
  audiences: string[];
  tenantId?: string | null;
  allowedApplicationIds?: string[];
  allowedObjectIds?: string[];
  requiredRole?: string | null;
  /** For a multi-tenant issuer: the tenants accepted. */
  allowedTenants?: string[];
  /** For a multi-tenant issuer: any tenant (audited, flagged in status). */
  allowAnyTenant?: boolean;
  /**
   * The issuer its tokens carry, when the discovery document names one other than its own URL
   * (Entra v1: `https://sts.windows.net/{tenantid}/`); the document must name exactly this one.
   * Create only: it cannot change (remove and re-create).
   */
  issuer?: string;
}

export type OAuthServerChanges = Partial<Omit<OAuthServerInput, 'identity' | 'issuer'>>;

/** What the metadata URL gave: the issuer, how its keys are published, and the keys. */
interface Downloaded {
  type: OAuthServer['type'];
  issuer: string;
  jwksUri: string | null;
  issuanceEndpoint: string | null;
  keys: OAuthServerKey[];
}

/** What the audit log keeps of an OAuth server besides the enabled flag, download hosts and key ids. */
const AUDITED = ['metadataUrl', 'type', 'issuer', 'audiences', 'tenantId', 'allowedApplicationIds', 'allowedObjectIds', 'requiredRole', 'allowedTenants', 'allowAnyTenant'] as const;

type OAuthServerSettings = Omit<OAuthServer, 'identity' | 'type' | 'issuer' | 'jwksUri' | 'issuanceEndpoint' | 'keys' | 'metadataStatus' | 'createdAt' | 'updatedAt'>;

/**
 * OAuth servers (SPEC 5.5, `New-/Set-/Get-/Remove-CsOAuthServer`): registered by metadata URL (ACS
 * JSON metadata, or OIDC discovery + JWKS), downloaded and checked first. What is specific to OAuth
 * servers lives here (their policy: audiences, tenant, application and object ids, role; one
 * issuer per server); reads, removal, storage, audit, announcement and the refresh outcome (last
 * known good keys, a changed issuer flagged for review, not applied) are the shared
 * {@link TrustedIssuerRegistry}'s.
 */
@Injectable()
export class OAuthServerService extends TrustedIssuerRegistry<OAuthServerKey, OAuthServer> {
  constructor(servers: OAuthServerRepository, unitOfWork: UnitOfWork, auditLog: AuditLogService, changeFeed: ChangeFeed, clock: Clock) {
    super(servers, unitOfWork, auditLog, changeFeed, clock, { targetType: 'oauth-server', topic: OAUTH_SERVERS_TOPIC, noun: 'OAuth server', audited: AUDITED, keyId: (key) => key.kid ?? key.x5t });
  }

  async create(input: OAuthServerInput, actor: AdminActor): Promise<OAuthServer> {
    if (!TRUSTED_ISSUER_IDENTITY.test(input.identity)) throw InvalidInputError.forField('identity', 'must be 1-128 lowercase letters, digits, ".", "_" or "-", e.g. microsoft.sts');
    const settings = settingsOf(input, null);
    const configuredIssuer = issuerOf(input.issuer);
    const downloaded = await download(settings, configuredIssuer);
    if (configuredIssuer !== null && downloaded.issuer !== configuredIssuer) {
      throw InvalidInputError.forField('issuer', `the metadata names issuer ${downloaded.issuer}, not ${configuredIssuer}`);
    }
    checkTenancy(downloaded.issuer, settings);
    const now = this.clock.now();
    const server: OAuthServer = {
      identity: input.identity,
      ...settings,
      ...downloaded,
      metadataStatus: downloadedMetadataStatus(now),
      createdAt: now,
      updatedAt: now,
    };
    return this.insert(server, actor, (existing) => {
      if (existing.some((other) => other.identity === server.identity)) throw new ConflictError(`an OAuth server ${server.identity} already exists`, 'oauth_server_exists');
      if (existing.some((other) => other.issuer === server.issuer)) throw new ConflictError(`an OAuth server with issuer ${server.issuer} already exists`, 'oauth_server_exists');
    });
  }

  async update(identity: string, changes: OAuthServerChanges, actor: AdminActor): Promise<OAuthServer> {
    const current = await this.get(identity);
    const settings = settingsOf({ ...current, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)), identity: current.identity } as OAuthServerInput, current);
    let downloaded: Downloaded = { type: current.type, issuer: current.issuer, jwksUri: current.jwksUri, issuanceEndpoint: current.issuanceEndpoint, keys: current.keys };
    let metadataStatus = current.metadataStatus;
    if (settings.metadataUrl !== current.metadataUrl) {
      downloaded = await download(settings, current.issuer);
      if (downloaded.issuer !== current.issuer) throw InvalidInputError.forField('metadataUrl', `the new metadata names issuer ${downloaded.issuer}, not ${current.issuer}`);
      metadataStatus = downloadedMetadataStatus(this.clock.now());
    }
    checkTenancy(downloaded.issuer, settings);
    return this.replace(current, { ...current, ...settings, ...downloaded, metadataStatus, updatedAt: this.clock.now() }, actor);
  }

  /** Downloads metadata and keys again; failures keep the last known good keys; a changed issuer is flagged, not applied. */
  async refresh(identity: string, actor: AdminActor = SYSTEM_ACTOR): Promise<OAuthServer> {
    return this.refetch(await this.get(identity), actor, {
      download: (server) => download(server, server.issuer),
      reviewReason: (server, downloaded) =>
        downloaded.issuer === server.issuer ? null : `the metadata now names issuer ${downloaded.issuer} instead of ${server.issuer}; re-create the OAuth server to accept it`,
      apply: (server, downloaded, metadataStatus) => ({ ...server, ...downloaded, metadataStatus }),
    });
  }
}

/**
 * Downloads the metadata (and, for OIDC, the JWKS); any failure is a 422 `metadata_unavailable`.
 * `configuredIssuer`: the issuer registered (or being registered) for the server, which a discovery
 * document may name instead of its own URL.
 */
function download(settings: Pick<OAuthServer, 'metadataUrl' | 'allowHttpMetadata' | 'metadataCaBundle' | 'metadataHostAllowList'>, configuredIssuer: string | null): Promise<Downloaded> {
  const policy = fetchPolicyOf(settings);
  return downloadingMetadata(async () => {
    const description = describeOAuthServer(await fetchMetadataJson(settings.metadataUrl, policy), settings.metadataUrl, configuredIssuer);
    if (description.type === 'acs') return { type: 'acs', issuer: description.issuer, jwksUri: null, issuanceEndpoint: description.issuanceEndpoint, keys: description.keys };
    const keys = parseJwks(await fetchMetadataJson(description.jwksUri, policy));
    return { type: 'oidc', issuer: description.issuer, jwksUri: description.jwksUri, issuanceEndpoint: null, keys };
  });
}

function settingsOf(input: OAuthServerInput, current: OAuthServer | null): OAuthServerSettings {
  const host = metadataUrlHost(input.metadataUrl);
  if (!input.audiences?.length) throw InvalidInputError.forField('audiences', 'give at least one accepted audience');
  return {
    metadataUrl: input.metadataUrl,
    audiences: input.audiences,
    tenantId: input.tenantId ?? null,
    allowedApplicationIds: input.allowedApplicationIds ?? [],
    allowedObjectIds: input.allowedObjectIds ?? [],
    requiredRole: input.requiredRole ?? null,
    allowedTenants: tenantsOf(input.allowedTenants ?? []),
    allowAnyTenant: input.allowAnyTenant ?? false,
    ...trustedIssuerSettings(host, input, current),
  };
}

const TENANT = /^[A-Za-z0-9._-]{1,128}$/;
/** An issuer as the operator gives it: printable, no spaces, at most 512 characters. */
const ISSUER = /^[\x21-\x7e]{1,512}$/;

/** The issuer the operator gave for a new server, or null. */
function issuerOf(issuer: string | undefined): string | null {
  if (issuer === undefined) return null;
  if (!ISSUER.test(issuer)) throw InvalidInputError.forField('issuer', 'must be 1-512 printable characters without spaces, e.g. https://sts.windows.net/{tenantid}/');
  return issuer;
}

/** Allowed tenants: tenant ids (GUIDs in lowercase) or names, without duplicates. */
function tenantsOf(tenants: string[]): string[] {
  const bad = tenants.find((tenant) => !TENANT.test(tenant));
  if (bad !== undefined) throw InvalidInputError.forField('allowedTenants', `${bad} is not a tenant id`);
  return [...new Set(tenants.map((tenant) => (/^[0-9A-Fa-f-]{36}$/.test(tenant) ? tenant.toLowerCase() : tenant)))];
}

/**
 * A multi-tenant issuer (`…/{tenantid}/…`) needs the tenants it may speak for, or the operator's
 * explicit any-tenant switch; a single-tenant one takes neither (its tenant is `tenantId`).
 */
function checkTenancy(issuer: string, settings: OAuthServerSettings): void {
  if (isIssuerTemplate(issuer)) {
    if (settings.allowedTenants.length === 0 && !settings.allowAnyTenant) {
      throw InvalidInputError.forField('allowedTenants', `the issuer ${issuer} is multi-tenant: list the tenants to accept (allowedTenants), or set allowAnyTenant`);
    }
    if (settings.tenantId !== null) throw InvalidInputError.forField('tenantId', 'a multi-tenant issuer takes allowedTenants, not tenantId');
    return;
  }
  if (settings.allowedTenants.length > 0 || settings.allowAnyTenant) {
    throw InvalidInputError.forField(settings.allowAnyTenant ? 'allowAnyTenant' : 'allowedTenants', `the issuer ${issuer} is not multi-tenant (no ${TENANT_PLACEHOLDER}): use tenantId`);
  }
}
