export { buildMetadataDocument, METADATA_NAME, type MetadataDocument, type MetadataKey } from './metadata-document.builder.js';
export { buildDiscoveryDocument, CLIENT_ASSERTION_ALGORITHMS, CLIENT_AUTH_METHODS } from './discovery-document.builder.js';
export { buildJwks, type PublishedJwk } from './jwks.builder.js';
export { PUBLISHED_PATHS, publishedUrl } from './published-endpoints.js';
export { cacheControl, METADATA_MAX_AGE_SECONDS } from './metadata.controller.js';
export { MetadataModule } from './metadata.module.js';
