import type { PublicSigningKey, TrustedIssuer } from '@s2s/trusted-issuers';

/** A signing key of an external authorization server (from its JWKS or ACS metadata). */
export type OAuthServerKey = PublicSigningKey;

/**
 * A registered external authorization server (SPEC 1 "OAuth server", `New-CsOAuthServer` plus the
 * seeds' ServiceAuthAudience / TenantId / ApplicationIds / ObjectIds / Role settings).
 */
export interface OAuthServer extends TrustedIssuer<OAuthServerKey> {
  metadataUrl: string;
  /** `oidc` (discovery + JWKS) or `acs` (Microsoft JSON metadata). */
  type: 'oidc' | 'acs';
  /** The exact `iss` of its tokens. */
  issuer: string;
  jwksUri: string | null;
  /** ACS: the token issuance endpoint from its metadata (the trust-broker request goes there); null otherwise. */
  issuanceEndpoint: string | null;
  /** Accepted `aud` values (one must be present). */
  audiences: string[];
  /** When set, the token's `tid` must equal it. */
  tenantId: string | null;
  /** When non-empty, the calling application (`appid`, `azp` or `client_id`) must be one of these. */
  allowedApplicationIds: string[];
  /** When non-empty, the token's `oid` must be one of these. */
  allowedObjectIds: string[];
  /** When set, `roles` must contain it. */
  requiredRole: string | null;
  /**
   * For a multi-tenant issuer (an `issuer` with {@link TENANT_PLACEHOLDER}, as Entra's
   * `https://login.microsoftonline.com/{tenantid}/v2.0`): the tenants whose tokens are accepted.
   */
  allowedTenants: string[];
  /** For a multi-tenant issuer: any tenant (only when the operator says so; flagged in status). */
  allowAnyTenant: boolean;
}

export { TENANT_PLACEHOLDER, isIssuerTemplate, tenantOfIssuer } from '@s2s/trusted-issuers';
