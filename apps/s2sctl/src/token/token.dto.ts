/**
 * What s2sctl sends to and reads from the server's public OAuth endpoints (not the admin API):
 * the token endpoint `POST /oauth2/token` (RFC 6749 section 4.4, RFC 8707, RFC 7523) and the
 * authorization server metadata `GET /.well-known/oauth-authorization-server` (RFC 8414).
 */

/** Paths of the public endpoints, relative to the server URL. */
export const TOKEN_ENDPOINT_PATH = '/oauth2/token';
export const AUTHORIZATION_SERVER_METADATA_PATH = '/.well-known/oauth-authorization-server';

/** RFC 7523 section 2.2. */
export const CLIENT_ASSERTION_TYPE_JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A successful token response (RFC 6749 section 5.1); printed as-is with `-o json`. */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type?: string;
  readonly expires_in?: number;
  readonly [extension: string]: unknown;
}

/** An error response of the token endpoint (RFC 6749 section 5.2). */
export interface OAuthErrorBody {
  readonly error: string;
  readonly error_description?: string;
}

/** The part of the RFC 8414 metadata s2sctl needs: the issuer, which is a client assertion's `aud`. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly [field: string]: unknown;
}
