import { PUBLISHED_PATHS, publishedUrl } from './published-endpoints.js';

/** Algorithms accepted for client assertions (`private_key_jwt`, RFC 7523). */
export const CLIENT_ASSERTION_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
/** Client authentication methods of the token, introspection and revocation endpoints. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;

/**
 * Authorization server metadata (RFC 8414 2), served at both `/.well-known/oauth-authorization-server`
 * and `/.well-known/openid-configuration` so OIDC-style consumers find the JWKS too. There is no
 * authorization endpoint (server-to-server grants only), hence no response types.
 */
export function buildDiscoveryDocument(publicUrl: string): Record<string, unknown> {
  const issuer = publicUrl.replace(/\/+$/, '');
  return {
    issuer,
    token_endpoint: publishedUrl(issuer, PUBLISHED_PATHS.token),
    jwks_uri: publishedUrl(issuer, PUBLISHED_PATHS.jwks),
    introspection_endpoint: publishedUrl(issuer, PUBLISHED_PATHS.introspection),
    grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
    introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    introspection_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
    revocation_endpoint: publishedUrl(issuer, PUBLISHED_PATHS.revocation),
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    revocation_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_ALGORITHMS],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    service_documentation: publishedUrl(issuer, '/docs'),
  };
}
