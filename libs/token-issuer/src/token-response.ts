import type { CompactJws } from '@s2s/jwt';

/** The successful token response (RFC 6749 5.1). */
export interface TokenResponse {
  access_token: CompactJws;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
}

/** What a grant hands back to the endpoint: the response and the metric label of the token kind. */
export interface GrantResult {
  response: TokenResponse;
  kind: 'app' | 'user';
}

/** Issuer identifiers the grants need, computed once from PUBLIC_URL. */
export interface IssuerEndpoints {
  issuer: string;
  tokenEndpoint: string;
}

/**
 * The JSON body of a token response, byte for byte what `JSON.stringify(response)` gives, built
 * around the access token rather than through `JSON.stringify`: a compact JWS needs no escaping, and
 * serialising its 1.3 KB through `JSON.stringify` costs about 2 µs and several copies of it per token
 * on the hot path (SPEC 7).
 */
export function tokenResponseJson(response: TokenResponse): string {
  const scope = response.scope === undefined ? '' : `,"scope":${JSON.stringify(response.scope)}`;
  return `{"access_token":"${response.access_token}","token_type":${JSON.stringify(response.token_type)},"expires_in":${JSON.stringify(response.expires_in)}${scope}}`;
}
