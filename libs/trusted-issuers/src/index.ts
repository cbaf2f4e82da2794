export { type TrustedIssuer, type MetadataFetchSettings, type TrustedIssuerSettingsInput, TRUSTED_ISSUER_IDENTITY, fetchPolicyOf, metadataUrlHost, trustedIssuerSettings } from './trusted-issuer.js';
export { type MetadataStatus, downloadedMetadataStatus, failedMetadataStatus, flaggedMetadataStatus } from './metadata-status.js';
export {
  fetchMetadataJson,
  downloadMetadataDocument,
  guardedGet,
  resolveMetadataHost,
  tlsHandshake,
  addressRefused,
  MetadataFetchError,
  type MetadataFetchPolicy,
  type MetadataFetchFailure,
  type DownloadedDocument,
  type GuardedResponse,
  type TlsHandshake,
} from './metadata.fetcher.js';
export { MetadataDocumentError } from './metadata-document.error.js';
export { downloadingMetadata } from './metadata-unavailable.error.js';
export { parseMicrosoftMetadata, certificateKey, type CertificateKey, type MicrosoftMetadata } from './microsoft-metadata.parser.js';
export { describeOAuthServer, parseJwks, TENANT_PLACEHOLDER, isIssuerTemplate, tenantOfIssuer, type AuthorizationServerDescription, type PublicSigningKey } from './authorization-server-metadata.parser.js';
export { TrustedIssuerRepository } from './trusted-issuer.repository.js';
export { TrustedIssuerRegistry, type TrustedIssuerKind, type MetadataRefetch } from './trusted-issuer.registry.js';
export { TrustedIssuerDirectory, type TrustedIssuerSource, UNKNOWN_KEY_REFRESH_COOLDOWN_MS } from './trusted-issuer.directory.js';
export { trustedIssuerModule } from './trusted-issuer.module.js';
export { TrustedIssuerController, trustedIssuerRoutes, type TrustedIssuerAdminService, type TrustedIssuerRoutesOptions } from './trusted-issuer.controller.js';
export { CreateTrustedIssuerDto, UpdateTrustedIssuerDto, MetadataStatusDto, TrustedIssuerDto, type TrustedIssuerFields, MAX_PEM, MAX_METADATA_URL } from './trusted-issuer.dto.js';
