export { type PartnerApplication, type PartnerKey, type TrustLevel, TRUST_LEVELS, MAX_SOURCE_ADDRESSES, type KeyChangePolicy, KEY_CHANGE_POLICIES, allowsAppOnly, allowsUsers, ADDRESS_IDENTITY_PROVIDER, AD_IDENTITY_PROVIDER, USER_IDENTITY_PROVIDERS, MAX_ACCEPTED_DOMAINS, domainAccepted } from './partner-application.js';
export { PartnerApplicationRepository } from './partner.repository.js';
export { PARTNERS_TOPIC } from './partners.topic.js';
export { PartnerApplicationService, type PartnerApplicationInput, type PartnerApplicationChanges } from './partner-application.service.js';
export { PartnerDirectory, type CachedPartner, type CachedPartnerKey } from './partner.directory.js';
export { PartnersModule } from './partners.module.js';
/** Kept for callers of the partner library; the cooldown is the trusted-issuer directory's. */
export { UNKNOWN_KEY_REFRESH_COOLDOWN_MS } from '@s2s/trusted-issuers';
