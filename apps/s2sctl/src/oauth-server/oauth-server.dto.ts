/**
 * Shapes of the admin API's OAuth servers (`/admin/v1/oauth-servers`): external authorization
 * servers (Microsoft Entra ID / ACS, any OIDC provider) whose access tokens this service accepts,
 * as `New-/Get-/Set-/Remove-CsOAuthServer` manage them (SPEC 5.5, 5.7). A server is registered by
 * its metadata URL (ACS JSON metadata or OIDC discovery): the server downloads the issuer and
 * signing keys from there, and again on refresh. The token checks mirror the seeds' settings
 * ServiceAuthAudience, ServiceAuthTenantId, ServiceApplicationIds, ServiceObjectIds and
 * ServiceAuthRole.
 */

/** How the metadata URL describes the server: OIDC discovery (+ JWKS) or ACS JSON metadata. */
export type OAuthServerType = 'oidc' | 'acs';

/** A signing key from the server's JWKS or metadata. */
export interface OAuthServerKey {
  readonly kid: string | null;
  /** base64url SHA-1 of the certificate, when the key came with one. */
  readonly x5t: string | null;
  readonly alg: string | null;
  readonly kty: 'RSA' | 'EC';
}

/** What the last metadata download said, and when. */
export interface OAuthServerMetadataStatus {
  readonly lastAttemptAt: string | null;
  readonly lastSuccessAt: string | null;
  /** Why the last download failed (the last known good keys were kept); null after a success. */
  readonly lastError: string | null;
  /** Set when the metadata now names another issuer: not applied until the OAuth server is re-created. */
  readonly reviewReason: string | null;
}

/** Body of GET /oauth-servers/{identity} and of every change, refresh and removal. */
export interface OAuthServer {
  readonly identity: string;
  readonly metadataUrl: string;
  readonly type: OAuthServerType;
  /** The `iss` its tokens carry, from the metadata. */
  readonly issuer: string;
  /** Where the keys of an OIDC server come from; null for ACS metadata (keys inline). */
  readonly jwksUri: string | null;
  /** Accepted `aud` values (ServiceAuthAudience). */
  readonly audiences: readonly string[];
  /** Required `tid` (ServiceAuthTenantId); null: any tenant. */
  readonly tenantId: string | null;
  /** Allowed calling applications (ServiceApplicationIds); empty: any. */
  readonly allowedApplicationIds: readonly string[];
  /** Allowed `oid` values (ServiceObjectIds); empty: any. */
  readonly allowedObjectIds: readonly string[];
  /** App role its tokens must carry (ServiceAuthRole); null: none required. */
  readonly requiredRole: string | null;
  readonly enabled: boolean;
  /** A CA bundle of its own is trusted for the metadata URL (the bundle itself is never returned). */
  readonly hasMetadataCaBundle: boolean;
  readonly metadataHostAllowList: readonly string[];
  readonly allowHttpMetadata: boolean;
  readonly keys: readonly OAuthServerKey[];
  readonly metadataStatus: OAuthServerMetadataStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OAuthServerList {
  readonly items: readonly OAuthServer[];
}

/** Settings both POST and PATCH take; only the fields whose options were given are sent. */
interface OAuthServerSettingsBody {
  readonly metadataUrl?: string;
  /** At least one. */
  readonly audiences?: readonly string[];
  readonly allowedApplicationIds?: readonly string[];
  readonly allowedObjectIds?: readonly string[];
  readonly enabled?: boolean;
  /** PEM text: CA certificates trusted for the metadata URL besides the system store. */
  readonly metadataCaBundle?: string;
  readonly metadataHostAllowList?: readonly string[];
  readonly allowHttpMetadata?: boolean;
}

/** POST /oauth-servers (New-CsOAuthServer): the metadata is downloaded first (422 `metadata_unavailable` if it cannot be). */
export interface OAuthServerCreateBody extends OAuthServerSettingsBody {
  readonly identity: string;
  readonly metadataUrl: string;
  readonly audiences: readonly string[];
  readonly tenantId?: string;
  readonly requiredRole?: string;
}

/**
 * PATCH /oauth-servers/{identity}. Lists replace the stored ones; `tenantId` and `requiredRole`
 * are cleared with null; a new `metadataUrl` is downloaded at once and must name the same issuer.
 */
export interface OAuthServerChangeBody extends OAuthServerSettingsBody {
  readonly tenantId?: string | null;
  readonly requiredRole?: string | null;
}
