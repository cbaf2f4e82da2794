/** The successful token response (RFC 6749 5.1). */
export interface TokenResponse {
  access_token: string;
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
