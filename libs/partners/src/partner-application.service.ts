import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { isIP } from 'node:net';
import { type AdminActor, ChangeFeed, Clock, ConflictError, hostAuthorityProblem, InvalidInputError, isLowercaseGuid, isRealm, realmProblem, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { OAuthServerRepository } from '@s2s/oauth-servers';
import {
  certificateKey,
  downloadedMetadataStatus,
  downloadingMetadata,
  fetchMetadataJson,
  fetchPolicyOf,
  type MetadataFetchSettings,
  metadataUrlHost,
  type MicrosoftMetadata,
  parseMicrosoftMetadata,
  TRUSTED_ISSUER_IDENTITY,
  TrustedIssuerRegistry,
  type TrustedIssuerSettingsInput,
  trustedIssuerSettings,
} from '@s2s/trusted-issuers';
import { KEY_CHANGE_POLICIES, type KeyChangePolicy, MAX_ACCEPTED_DOMAINS, MAX_SOURCE_ADDRESSES, type PartnerApplication, type PartnerKey, TRUST_LEVELS, type TrustLevel } from './partner-application.js';
import { PartnerApplicationRepository } from './partner.repository.js';
import { PARTNERS_TOPIC } from './partners.topic.js';

export interface PartnerApplicationInput extends TrustedIssuerSettingsInput {
  identity: string;
  metadataUrl?: string;
  applicationIdentifier?: string;
  realm?: string;
  /** Pinned certificates (PEM or base64 DER), when there is no metadata URL. */
  certificates?: string[];
  hostAuthority?: string | null;
  trustLevel?: TrustLevel;
  acceptSecurityIdentifierInformation?: boolean;
  sourceAddresses?: string[];
  keyChangePolicy?: KeyChangePolicy;
  /** The identity of an OAuth server of type acs whose tokens speak for this partner (with applicationIdentifier, no metadata URL, realm or certificates). */
  useOAuthServer?: string;
  acceptedDomains?: string[];
}

export type PartnerApplicationChanges = Partial<Omit<PartnerApplicationInput, 'identity' | 'applicationIdentifier' | 'realm' | 'useOAuthServer'>> & {
  identity?: never;
  useOAuthServer?: never;
  applicationIdentifier?: string;
  realm?: string;
};

/** What the audit log keeps of a partner besides the enabled flag, download hosts and key ids. */
const AUDITED = [
  'applicationIdentifier',
  'realm',
  'metadataUrl',
  'hostAuthority',
  'trustLevel',
  'acceptSecurityIdentifierInformation',
  'sourceAddresses',
  'keyChangePolicy',
  'useOAuthServer',
  'acceptedDomains',
] as const;

type PartnerSettings = Omit<PartnerApplication, 'identity' | 'applicationIdentifier' | 'realm' | 'useOAuthServer' | 'keys' | 'pendingKeys' | 'metadataStatus' | 'createdAt' | 'updatedAt'>;

/**
 * Partner applications (SPEC 5.5, `New-/Set-/Get-/Remove-CsPartnerApplication`): registration by
 * metadata URL (downloaded and parsed first, or refused) or by application identifier, realm and
 * pinned certificate. What is partner-specific lives here (parameter sets, trust level, SID
 * acceptance, host authority, the issuer `<application identifier>@<realm>`); reads, removal,
 * storage, audit, announcement and the refresh outcome (last known good keys, review flag) are the
 * shared {@link TrustedIssuerRegistry}'s.
 */
@Injectable()
export class PartnerApplicationService extends TrustedIssuerRegistry<PartnerKey, PartnerApplication> {
  constructor(
    partners: PartnerApplicationRepository,
    unitOfWork: UnitOfWork,
    auditLog: AuditLogService,
    changeFeed: ChangeFeed,
    clock: Clock,
    private readonly oauthServers: OAuthServerRepository,
  ) {
    super(partners, unitOfWork, auditLog, changeFeed, clock, { targetType: 'partner-application', topic: PARTNERS_TOPIC, noun: 'partner application', audited: AUDITED, keyId: (key) => key.x5t, pendingKeys: (partner) => partner.pendingKeys });
  }

  async create(input: PartnerApplicationInput, actor: AdminActor): Promise<PartnerApplication> {
    const identity = input.identity;
    if (!TRUSTED_ISSUER_IDENTITY.test(identity)) throw InvalidInputError.forField('identity', 'must be 1-128 lowercase letters, digits, ".", "_" or "-", e.g. microsoft.exchange');
    const now = this.clock.now();
    const base = this.settings(input, null);
    let applicationIdentifier: string;
    let realm: string;
    let keys: PartnerKey[];
    let lastSuccessAt: Date | null = null;
    let useOAuthServer: string | null = null;
    if (input.useOAuthServer !== undefined) {
      if (input.metadataUrl !== undefined || input.realm !== undefined || input.certificates !== undefined) {
        throw InvalidInputError.forField('useOAuthServer', 'a partner that uses an OAuth server has no metadataUrl, realm or certificates of its own (its realm is the server\'s tenant)');
      }
      if (!input.applicationIdentifier) throw InvalidInputError.forField('applicationIdentifier', 'give the application identifier of the partner that uses the OAuth server');
      const server = await this.oauthServers.find(input.useOAuthServer.toLowerCase());
      if (!server) throw InvalidInputError.forField('useOAuthServer', `no OAuth server ${input.useOAuthServer} is registered`);
      if (server.type !== 'acs') throw InvalidInputError.forField('useOAuthServer', `OAuth server ${server.identity} is of type ${server.type}; partners can use only an OAuth server of type acs (ACS / Entra metadata)`);
      useOAuthServer = server.identity;
      applicationIdentifier = input.applicationIdentifier;
      realm = server.issuer.slice(server.issuer.lastIndexOf('@') + 1);
      keys = [];
    } else if (input.metadataUrl !== undefined) {
      if (input.applicationIdentifier !== undefined || input.realm !== undefined || input.certificates !== undefined) {
        throw InvalidInputError.forField('metadataUrl', 'give either metadataUrl, or applicationIdentifier + realm + certificates (New-CsPartnerApplication parameter sets)');
      }
      const metadata = await download(input.metadataUrl, base);
      applicationIdentifier = metadata.serviceName;
      realm = metadata.realm;
      keys = metadata.keys;
      lastSuccessAt = now;
    } else {
      if (!input.applicationIdentifier || !input.realm || !input.certificates?.length) {
        throw InvalidInputError.forField('metadataUrl', 'give either metadataUrl, or applicationIdentifier + realm + certificates');
      }
      applicationIdentifier = input.applicationIdentifier;
      realm = input.realm;
      keys = pinnedKeys(input.certificates);
    }
    if (!isLowercaseGuid(applicationIdentifier)) throw InvalidInputError.forField('applicationIdentifier', `${applicationIdentifier} is not a lowercase GUID`);
    const problem = realmProblem(realm);
    if (problem) throw InvalidInputError.forField('realm', `${realm} ${problem}`);
    const partner: PartnerApplication = {
      identity,
      applicationIdentifier,
      realm,
      ...base,
      useOAuthServer,
      keys,
      pendingKeys: [],
      metadataStatus: downloadedMetadataStatus(lastSuccessAt),
      createdAt: now,
      updatedAt: now,
    };
    return this.insert(partner, actor, (existing) => {
      if (existing.some((other) => other.identity === identity)) throw new ConflictError(`a partner application ${identity} already exists`, 'partner_exists');
      const twin = existing.find((other) => other.applicationIdentifier === applicationIdentifier && other.realm === realm);
      if (twin) throw new ConflictError(`partner ${twin.identity} already has application identifier ${applicationIdentifier} in realm ${realm}`, 'partner_exists');
    });
  }

  async update(identity: string, changes: PartnerApplicationChanges, actor: AdminActor): Promise<PartnerApplication> {
    const current = await this.get(identity);
    if ((changes.applicationIdentifier !== undefined && changes.applicationIdentifier !== current.applicationIdentifier) || (changes.realm !== undefined && changes.realm !== current.realm)) {
      throw InvalidInputError.forField(
        changes.realm !== undefined ? 'realm' : 'applicationIdentifier',
        'the application identifier and realm of a partner cannot change: remove the partner and create it again',
      );
    }
    const settings = this.settings({ ...stripUndefined(changes), identity: current.identity } as PartnerApplicationInput, current);
    let keys = current.keys;
    let pendingKeys = current.pendingKeys;
    let metadataStatus = current.metadataStatus;
    if (settings.keyChangePolicy === 'accept' && pendingKeys.length > 0) {
      // Back to accept: what was held is trusted now, as a refresh would have done.
      keys = [...keys, ...pendingKeys];
      pendingKeys = [];
    }
    if (current.useOAuthServer !== null && (changes.certificates !== undefined || changes.metadataUrl !== undefined)) {
      throw InvalidInputError.forField(changes.certificates !== undefined ? 'certificates' : 'metadataUrl', `partner ${current.identity} uses OAuth server ${current.useOAuthServer}: its keys are the server's`);
    }
    if (changes.certificates !== undefined) {
      if (settings.metadataUrl) throw InvalidInputError.forField('certificates', 'a partner with a metadata URL takes its keys from the metadata');
      keys = pinnedKeys(changes.certificates);
    }
    if (changes.metadataUrl !== undefined && changes.metadataUrl !== current.metadataUrl) {
      const metadata = await download(changes.metadataUrl, settings);
      if (metadata.serviceName !== current.applicationIdentifier || metadata.realm !== current.realm) {
        throw InvalidInputError.forField('metadataUrl', `the metadata names ${metadata.serviceName}@${metadata.realm}, not ${current.applicationIdentifier}@${current.realm}`);
      }
      keys = metadata.keys;
      pendingKeys = [];
      metadataStatus = downloadedMetadataStatus(this.clock.now());
    }
    return this.replace(current, { ...current, ...settings, keys, pendingKeys, metadataStatus, updatedAt: this.clock.now() }, actor);
  }

  /**
   * Downloads the partner's metadata again. Success replaces the keys; a failure, an empty or
   * garbage document keeps the last known good keys and records the error; a document naming
   * another issuer or realm is not applied but flagged for review.
   */
  async refresh(identity: string, actor: AdminActor = SYSTEM_ACTOR): Promise<PartnerApplication> {
    const partner = await this.get(identity);
    const metadataUrl = partner.metadataUrl;
    if (!metadataUrl) throw new ConflictError(`partner ${partner.identity} has pinned certificates and no metadata URL`, 'no_metadata_url');
    const refreshed = await this.refetch(partner, actor, {
      download: (current) => download(metadataUrl, current),
      reviewReason: (current, metadata) =>
        metadata.serviceName === current.applicationIdentifier && metadata.realm === current.realm
          ? null
          : `the metadata now names ${metadata.serviceName}@${metadata.realm} instead of ${current.applicationIdentifier}@${current.realm}; re-create the partner to accept it`,
      apply: (current, metadata, metadataStatus) => ({ ...current, ...keysAfterRefresh(current, metadata.keys), metadataStatus }),
    });
    const held = refreshed.pendingKeys.filter((key) => !partner.pendingKeys.some((known) => known.x5t === key.x5t));
    if (held.length > 0) {
      this.logger.warn({ issuer: partner.identity, pendingKeys: held.map((key) => key.x5t) }, 'new partner keys held for review: its tokens signed with them are refused (key_pending_review) until approve-keys');
    }
    return refreshed;
  }

  /**
   * Trusts the keys held for review (`s2sctl partner-application approve-keys`): they join the
   * partner's keys at once, on every instance (audited as `partner-application.approve-keys`).
   *
   * @throws ConflictError `no_pending_keys` when nothing is held.
   */
  async approveKeys(identity: string, actor: AdminActor): Promise<PartnerApplication> {
    const current = await this.get(identity);
    if (current.pendingKeys.length === 0) throw new ConflictError(`partner ${current.identity} has no keys pending review`, 'no_pending_keys');
    const next: PartnerApplication = { ...current, keys: [...current.keys, ...current.pendingKeys], pendingKeys: [], updatedAt: this.clock.now() };
    return this.replace(current, next, actor, 'approve-keys');
  }

  /** The mutable settings, validated; the host allow-list defaults to the metadata URL's host. */
  private settings(input: PartnerApplicationInput, current: PartnerApplication | null): PartnerSettings {
    const metadataUrl = input.metadataUrl ?? current?.metadataUrl ?? null;
    const urlHost = metadataUrl === null ? null : metadataUrlHost(metadataUrl);
    const hostAuthority = input.hostAuthority === undefined ? (current?.hostAuthority ?? null) : input.hostAuthority;
    if (hostAuthority !== null) {
      const problem = hostAuthorityProblem(hostAuthority);
      if (problem) throw InvalidInputError.forField('hostAuthority', problem);
    }
    const trustLevel = input.trustLevel ?? current?.trustLevel ?? 'Application';
    if (!TRUST_LEVELS.includes(trustLevel)) throw InvalidInputError.forField('trustLevel', `must be one of ${TRUST_LEVELS.join(', ')}`);
    return {
      metadataUrl,
      hostAuthority,
      trustLevel,
      acceptSecurityIdentifierInformation: input.acceptSecurityIdentifierInformation ?? current?.acceptSecurityIdentifierInformation ?? false,
      sourceAddresses: input.sourceAddresses === undefined ? (current?.sourceAddresses ?? []) : sourceAddressesOf(input.sourceAddresses),
      keyChangePolicy: keyChangePolicyOf(input.keyChangePolicy ?? current?.keyChangePolicy ?? 'accept'),
      acceptedDomains: input.acceptedDomains === undefined ? (current?.acceptedDomains ?? []) : acceptedDomainsOf(input.acceptedDomains),
      ...trustedIssuerSettings(urlHost, input, current),
    };
  }
}

/** Downloads and parses a partner's metadata document; any failure is a 422 with the Microsoft-style message. */
function download(url: string, settings: MetadataFetchSettings): Promise<MicrosoftMetadata> {
  return downloadingMetadata(async () => parseMicrosoftMetadata(await fetchMetadataJson(url, fetchPolicyOf(settings))));
}

/** Extra source addresses: IP literals, lowercase, without duplicates. */
function sourceAddressesOf(addresses: string[]): string[] {
  if (addresses.length > MAX_SOURCE_ADDRESSES) throw InvalidInputError.forField('sourceAddresses', `at most ${MAX_SOURCE_ADDRESSES} addresses`);
  const bad = addresses.find((address) => isIP(address) === 0);
  if (bad !== undefined) throw InvalidInputError.forField('sourceAddresses', `${bad} is not an IPv4 or IPv6 address`);
  return [...new Set(addresses.map((address) => address.toLowerCase()))];
}

/**
 * The keys after a refresh downloaded `downloaded`: all of them under `accept`; under `review` the
 * ones already trusted stay trusted, new ones are held as pending (a key the partner no longer
 * publishes is dropped either way).
 */
export function keysAfterRefresh(current: PartnerApplication, downloaded: PartnerKey[]): Pick<PartnerApplication, 'keys' | 'pendingKeys'> {
  if (current.keyChangePolicy === 'accept') return { keys: downloaded, pendingKeys: [] };
  const trusted = new Set(current.keys.map((key) => key.x5t));
  return { keys: downloaded.filter((key) => trusted.has(key.x5t)), pendingKeys: downloaded.filter((key) => !trusted.has(key.x5t)) };
}

/** Accepted domains: `contoso.com` or `*.contoso.com`, lowercase, without duplicates. */
function acceptedDomainsOf(domains: string[]): string[] {
  if (domains.length > MAX_ACCEPTED_DOMAINS) throw InvalidInputError.forField('acceptedDomains', `at most ${MAX_ACCEPTED_DOMAINS} domains`);
  const lower = domains.map((domain) => domain.trim().toLowerCase());
  const bad = lower.find((domain) => {
    const name = domain.startsWith('*.') ? domain.slice(2) : domain;
    return !isRealm(name) || isLowercaseGuid(name) || !name.includes('.');
  });
  if (bad !== undefined) throw InvalidInputError.forField('acceptedDomains', `${bad} is not a DNS domain (contoso.com) or a wildcard (*.contoso.com)`);
  return [...new Set(lower)];
}

function keyChangePolicyOf(policy: KeyChangePolicy): KeyChangePolicy {
  if (!KEY_CHANGE_POLICIES.includes(policy)) throw InvalidInputError.forField('keyChangePolicy', `must be one of ${KEY_CHANGE_POLICIES.join(', ')}`);
  return policy;
}

function pinnedKeys(certificates: string[]): PartnerKey[] {
  try {
    return certificates.map((certificate) => certificateKey(certificate));
  } catch (error) {
    throw InvalidInputError.forField('certificates', (error as Error).message);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
