import { Injectable, Logger } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, hostAuthorityProblem, InvalidInputError, isLowercaseGuid, NotFoundError, realmProblem, SYSTEM_ACTOR, UnitOfWork } from '@s2s/core';
import { fetchMetadataJson, type MetadataFetchPolicy } from './metadata.fetcher.js';
import { downloadingMetadata, TRUSTED_ISSUER_IDENTITY } from './metadata-unavailable.error.js';
import { type PartnerApplication, type PartnerKey, TRUST_LEVELS, type TrustLevel } from './partner-application.js';
import { certificateKey, parsePartnerMetadata, type PartnerMetadata } from './partner-metadata.parser.js';
import { PartnerApplicationRepository } from './partner.repository.js';
import { PARTNERS_TOPIC } from './partners.topic.js';

export interface PartnerApplicationInput {
  identity: string;
  metadataUrl?: string;
  applicationIdentifier?: string;
  realm?: string;
  /** Pinned certificates (PEM or base64 DER), when there is no metadata URL. */
  certificates?: string[];
  hostAuthority?: string | null;
  trustLevel?: TrustLevel;
  acceptSecurityIdentifierInformation?: boolean;
  enabled?: boolean;
  metadataCaBundle?: string | null;
  metadataHostAllowList?: string[];
  allowHttpMetadata?: boolean;
}

export type PartnerApplicationChanges = Partial<Omit<PartnerApplicationInput, 'identity' | 'applicationIdentifier' | 'realm'>> & {
  identity?: never;
  applicationIdentifier?: string;
  realm?: string;
};

/**
 * Partner applications (SPEC 5.5, `New-/Set-/Get-/Remove-CsPartnerApplication`): registration by
 * metadata URL (downloaded and parsed first, or refused) or by application identifier, realm and
 * pinned certificate; refresh keeps the last known good keys when a download fails and flags a
 * changed issuer or realm for review instead of applying it. Every change is audited and announced.
 */
@Injectable()
export class PartnerApplicationService {
  private readonly logger = new Logger('PartnerApplications');

  constructor(
    private readonly partners: PartnerApplicationRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly changeFeed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  list(): Promise<PartnerApplication[]> {
    return this.partners.list();
  }

  async get(identity: string): Promise<PartnerApplication> {
    const partner = await this.partners.find(identity.toLowerCase());
    if (!partner) throw new NotFoundError(`no partner application ${identity}`);
    return partner;
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
    if (input.metadataUrl !== undefined) {
      if (input.applicationIdentifier !== undefined || input.realm !== undefined || input.certificates !== undefined) {
        throw InvalidInputError.forField('metadataUrl', 'give either metadataUrl, or applicationIdentifier + realm + certificates (New-CsPartnerApplication parameter sets)');
      }
      const metadata = await this.download(input.metadataUrl, base);
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
      keys,
      metadataStatus: { lastAttemptAt: lastSuccessAt, lastSuccessAt, lastError: null, reviewReason: null },
      createdAt: now,
      updatedAt: now,
    };
    return this.change(async () => {
      const existing = await this.partners.list();
      if (existing.some((other) => other.identity === identity)) throw new ConflictError(`a partner application ${identity} already exists`, 'partner_exists');
      const twin = existing.find((other) => other.applicationIdentifier === applicationIdentifier && other.realm === realm);
      if (twin) throw new ConflictError(`partner ${twin.identity} already has application identifier ${applicationIdentifier} in realm ${realm}`, 'partner_exists');
      await this.partners.insert(partner);
      await this.auditLog.record({ actor, action: 'partner-application.create', targetType: 'partner-application', targetId: identity, after: snapshot(partner) });
      return partner;
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
    let metadataStatus = current.metadataStatus;
    if (changes.certificates !== undefined) {
      if (settings.metadataUrl) throw InvalidInputError.forField('certificates', 'a partner with a metadata URL takes its keys from the metadata');
      keys = pinnedKeys(changes.certificates);
    }
    if (changes.metadataUrl !== undefined && changes.metadataUrl !== current.metadataUrl) {
      const metadata = await this.download(changes.metadataUrl, settings);
      if (metadata.serviceName !== current.applicationIdentifier || metadata.realm !== current.realm) {
        throw InvalidInputError.forField('metadataUrl', `the metadata names ${metadata.serviceName}@${metadata.realm}, not ${current.applicationIdentifier}@${current.realm}`);
      }
      keys = metadata.keys;
      const now = this.clock.now();
      metadataStatus = { lastAttemptAt: now, lastSuccessAt: now, lastError: null, reviewReason: null };
    }
    const next: PartnerApplication = { ...current, ...settings, keys, metadataStatus, updatedAt: this.clock.now() };
    return this.change(async () => {
      await this.partners.update(next);
      await this.auditLog.record({ actor, action: 'partner-application.update', targetType: 'partner-application', targetId: current.identity, before: snapshot(current), after: snapshot(next) });
      return next;
    });
  }

  async remove(identity: string, actor: AdminActor): Promise<PartnerApplication> {
    return this.change(async () => {
      const partner = await this.get(identity);
      await this.partners.delete(partner.identity);
      await this.auditLog.record({ actor, action: 'partner-application.remove', targetType: 'partner-application', targetId: partner.identity, before: snapshot(partner) });
      return partner;
    });
  }

  /**
   * Downloads the partner's metadata again. Success replaces the keys; a failure, an empty or
   * garbage document keeps the last known good keys and records the error; a document naming
   * another issuer or realm is not applied but flagged for review.
   */
  async refresh(identity: string, actor: AdminActor = SYSTEM_ACTOR): Promise<PartnerApplication> {
    const partner = await this.get(identity);
    if (!partner.metadataUrl) throw new ConflictError(`partner ${partner.identity} has pinned certificates and no metadata URL`, 'no_metadata_url');
    const now = this.clock.now();
    let next: PartnerApplication;
    try {
      const metadata = await this.download(partner.metadataUrl, partner);
      if (metadata.serviceName !== partner.applicationIdentifier || metadata.realm !== partner.realm) {
        const reviewReason = `the metadata now names ${metadata.serviceName}@${metadata.realm} instead of ${partner.applicationIdentifier}@${partner.realm}; re-create the partner to accept it`;
        next = { ...partner, metadataStatus: { ...partner.metadataStatus, lastAttemptAt: now, lastError: reviewReason, reviewReason } };
      } else {
        next = { ...partner, keys: metadata.keys, metadataStatus: { lastAttemptAt: now, lastSuccessAt: now, lastError: null, reviewReason: null } };
      }
    } catch (error) {
      const message = (error as Error).message;
      next = { ...partner, metadataStatus: { ...partner.metadataStatus, lastAttemptAt: now, lastError: message } };
      this.logger.warn({ partner: partner.identity, err: message }, 'partner metadata refresh failed; last known good keys kept');
    }
    return this.change(async () => {
      await this.partners.update(next);
      const keysChanged = JSON.stringify(next.keys.map((k) => k.x5t)) !== JSON.stringify(partner.keys.map((k) => k.x5t));
      if (actor !== SYSTEM_ACTOR || keysChanged || next.metadataStatus.reviewReason !== partner.metadataStatus.reviewReason) {
        await this.auditLog.record({
          actor,
          action: 'partner-application.refresh',
          targetType: 'partner-application',
          targetId: partner.identity,
          before: { keys: partner.keys.map((k) => k.x5t), reviewReason: partner.metadataStatus.reviewReason },
          after: { keys: next.keys.map((k) => k.x5t), lastError: next.metadataStatus.lastError, reviewReason: next.metadataStatus.reviewReason },
        });
      }
      return next;
    });
  }

  /** Downloads and parses a metadata document; any failure is a 422 with the Microsoft-style message. */
  private async download(url: string, policy: Pick<PartnerApplication, 'allowHttpMetadata' | 'metadataCaBundle' | 'metadataHostAllowList'>): Promise<PartnerMetadata> {
    const fetchPolicy: MetadataFetchPolicy = { allowHttp: policy.allowHttpMetadata, caBundle: policy.metadataCaBundle, hostAllowList: policy.metadataHostAllowList };
    return downloadingMetadata(async () => parsePartnerMetadata(await fetchMetadataJson(url, fetchPolicy)));
  }

  /** The mutable settings, validated; the host allow-list defaults to the metadata URL's host. */
  private settings(input: PartnerApplicationInput, current: PartnerApplication | null): Omit<PartnerApplication, 'identity' | 'applicationIdentifier' | 'realm' | 'keys' | 'metadataStatus' | 'createdAt' | 'updatedAt'> {
    const metadataUrl = input.metadataUrl ?? current?.metadataUrl ?? null;
    let urlHost: string | null = null;
    if (metadataUrl !== null) {
      try {
        urlHost = new URL(metadataUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
      } catch {
        throw InvalidInputError.forField('metadataUrl', 'is not a valid URL');
      }
    }
    const hostAuthority = input.hostAuthority === undefined ? (current?.hostAuthority ?? null) : input.hostAuthority;
    if (hostAuthority !== null) {
      const problem = hostAuthorityProblem(hostAuthority);
      if (problem) throw InvalidInputError.forField('hostAuthority', problem);
    }
    const trustLevel = input.trustLevel ?? current?.trustLevel ?? 'Application';
    if (!TRUST_LEVELS.includes(trustLevel)) throw InvalidInputError.forField('trustLevel', `must be one of ${TRUST_LEVELS.join(', ')}`);
    const allowList = input.metadataHostAllowList ?? current?.metadataHostAllowList ?? (urlHost ? [urlHost] : []);
    if (urlHost && !allowList.map((host) => host.toLowerCase()).includes(urlHost)) {
      throw InvalidInputError.forField('metadataHostAllowList', `must include the metadata URL host ${urlHost}`);
    }
    return {
      metadataUrl,
      hostAuthority,
      trustLevel,
      acceptSecurityIdentifierInformation: input.acceptSecurityIdentifierInformation ?? current?.acceptSecurityIdentifierInformation ?? false,
      enabled: input.enabled ?? current?.enabled ?? true,
      metadataCaBundle: input.metadataCaBundle === undefined ? (current?.metadataCaBundle ?? null) : input.metadataCaBundle,
      metadataHostAllowList: allowList.map((host) => host.toLowerCase()),
      allowHttpMetadata: input.allowHttpMetadata ?? current?.allowHttpMetadata ?? false,
    };
  }

  private async change<T>(fn: () => Promise<T>): Promise<T> {
    return this.unitOfWork.run(async () => {
      const result = await fn();
      await this.changeFeed.publish(PARTNERS_TOPIC);
      return result;
    });
  }
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

function snapshot(partner: PartnerApplication): Record<string, unknown> {
  return {
    applicationIdentifier: partner.applicationIdentifier,
    realm: partner.realm,
    metadataUrl: partner.metadataUrl,
    hostAuthority: partner.hostAuthority,
    trustLevel: partner.trustLevel,
    acceptSecurityIdentifierInformation: partner.acceptSecurityIdentifierInformation,
    enabled: partner.enabled,
    metadataHostAllowList: partner.metadataHostAllowList,
    allowHttpMetadata: partner.allowHttpMetadata,
    keys: partner.keys.map((key) => key.x5t),
  };
}
