export { type PartnerApplication, type PartnerKey, type PartnerMetadataStatus, type TrustLevel, TRUST_LEVELS, allowsAppOnly, allowsUsers, ADDRESS_IDENTITY_PROVIDER, AD_IDENTITY_PROVIDER, USER_IDENTITY_PROVIDERS } from './partner-application.js';
export { parsePartnerMetadata, certificateKey, PartnerMetadataError, type PartnerMetadata } from './partner-metadata.parser.js';
export { fetchMetadataJson, addressRefused, MetadataFetchError, type MetadataFetchPolicy, type MetadataFetchFailure } from './metadata.fetcher.js';
export { PartnerApplicationRepository } from './partner.repository.js';
export { PARTNERS_TOPIC } from './partners.topic.js';
export { PartnerApplicationService, type PartnerApplicationInput, type PartnerApplicationChanges } from './partner-application.service.js';
export { PartnerDirectory, type CachedPartner, type CachedPartnerKey, UNKNOWN_KEY_REFRESH_COOLDOWN_MS } from './partner.directory.js';
export { PartnersModule } from './partners.module.js';
export { downloadingMetadata, TRUSTED_ISSUER_IDENTITY } from './metadata-unavailable.error.js';
