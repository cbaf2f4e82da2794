import type { AppConfig } from '@s2s/config';
import type { CredentialEndpoint } from '@s2s/core';
import { PUBLISHED_PATHS, publishedUrl } from '@s2s/metadata';
import type { ClientCredentialsEndpoint, OAuthEndpointLog } from '@s2s/oauth-wire';

/**
 * Introspection or revocation as an endpoint that authenticates registered clients: its back-off
 * record, the audiences a client assertion may name there (our issuer and token endpoint, as at the
 * token endpoint), the body limit, and its refusal log.
 */
export function clientCredentialsEndpoint(config: AppConfig, endpoint: CredentialEndpoint, log: OAuthEndpointLog, refusedMessage: string): ClientCredentialsEndpoint {
  const issuer = config.publicUrl.replace(/\/+$/, '');
  return { endpoint, audience: { issuer, tokenEndpoint: publishedUrl(issuer, PUBLISHED_PATHS.token) }, bodyLimitBytes: config.bodyLimitBytes, log, refusedMessage };
}
