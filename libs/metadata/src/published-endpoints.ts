/** Paths of the public OAuth endpoints, relative to PUBLIC_URL. */
export const PUBLISHED_PATHS = {
  metadata: '/metadata/json/1',
  openIdConfiguration: '/.well-known/openid-configuration',
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  jwks: '/.well-known/jwks.json',
  token: '/oauth2/token',
  introspection: '/oauth2/introspect',
  revocation: '/oauth2/revoke',
} as const;

/** Absolute URL of a published path under the external base URL (no trailing slash). */
export function publishedUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}
