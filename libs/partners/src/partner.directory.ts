import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ChangeFeed, Clock } from '@s2s/core';
import { certificatePublicKey } from '@s2s/crypto';
import { IdentityChangeGuard, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { TrustedIssuerDirectory } from '@s2s/trusted-issuers';
import type { PartnerApplication, PartnerKey } from './partner-application.js';
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
  /** x5t of the keys held for review (never trusted; named so that a refusal can say why). */
  pendingKeys: Set<string>;
}

/**
 * Partners and their keys in memory, by issuer `<application identifier>@<realm>` and by `x5t`
 * (the shared {@link TrustedIssuerDirectory}: reloaded on every change, refreshed on schedule and
 * on unknown keys). Partners address us by our service name and realm, so while any is registered
 * a change of either needs `force` (SPEC 5.1).
 */
@Injectable()
export class PartnerDirectory extends TrustedIssuerDirectory<PartnerKey, PartnerApplication, CachedPartner> {
  constructor(
    repository: PartnerApplicationRepository,
    service: PartnerApplicationService,
    changeFeed: ChangeFeed,
    oauthConfiguration: OAuthConfigurationService,
    clock: Clock,
    identityChangeGuard: IdentityChangeGuard,
  ) {
    super({ list: () => repository.list(), refresh: (identity) => service.refresh(identity) }, changeFeed, oauthConfiguration, clock, PARTNERS_TOPIC);
    identityChangeGuard.register(async () => {
      const count = (await repository.list()).length;
      return count ? `${count} partner application(s) are registered and address this service by its service name and realm` : null;
    });
  }

  /** The partner whose actor tokens carry this `iss`: `<principal id>@<realm>`, exactly (principal lowercase GUID). */
  protected issuerOf(partner: PartnerApplication): string {
    return `${partner.applicationIdentifier}@${partner.realm}`;
  }

  protected toCached(partner: PartnerApplication): CachedPartner {
    const keys = new Map<string, CachedPartnerKey>();
    const loaded = this.loadKeys(partner, (key) => ({ x5t: key.x5t, publicKey: certificatePublicKey(key.certificatePem), notBefore: key.notBefore, notAfter: key.notAfter }));
    for (const key of loaded) keys.set(key.x5t, key);
    return { partner, keys, pendingKeys: new Set(partner.pendingKeys.map((key) => key.x5t)) };
  }

  /** By identity (case-insensitive) or application identifier. */
  find(reference: string): CachedPartner | undefined {
    const lower = reference.toLowerCase();
    const byIdentity = this.byIdentity(lower);
    if (byIdentity) return byIdentity;
    for (const cached of this.cached()) if (cached.partner.applicationIdentifier === lower) return cached;
    return undefined;
  }
}
