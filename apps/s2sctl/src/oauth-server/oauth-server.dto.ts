/**
 * Shapes of the admin API's OAuth servers (`/admin/v1/oauth-servers`): external authorization
 * servers (Microsoft Entra ID / ACS, any OIDC provider) whose access tokens this service accepts,
 * as `New-/Get-/Set-/Remove-CsOAuthServer` manage them (SPEC 5.5, 5.7). A server is registered by
 * its metadata URL (ACS JSON metadata or OIDC discovery): the server downloads the issuer and
 * signing keys from there, and again on refresh. The token checks mirror the seeds' settings
 * ServiceAuthAudience, ServiceAuthTenantId, ServiceApplicationIds, ServiceObjectIds and
 * ServiceAuthRole.
 *
 * The request and response shapes are the ones the server's OpenAPI document gives
 * (`../generated/admin-api.types.ts`, `npm run generate:api-types`): s2sctl names them, it does
 * not restate them. The bodies s2sctl builds carry only the fields whose options were given.
 */
import type { CreateOAuthServerDto, OAuthServerDto, OAuthServerKeyDto, OAuthServerListDto, UpdateOAuthServerDto } from '../generated/admin-api.types.js';

/** A signing key from the server's JWKS or metadata. */
export type OAuthServerKey = OAuthServerKeyDto;

/** Body of GET /oauth-servers/{identity} and of every change, refresh and removal. */
export type OAuthServer = OAuthServerDto;

export type OAuthServerList = OAuthServerListDto;

/** POST /oauth-servers (New-CsOAuthServer): the metadata is downloaded first (422 `metadata_unavailable` if it cannot be). */
export type OAuthServerCreateBody = CreateOAuthServerDto;

/**
 * PATCH /oauth-servers/{identity}. Lists replace the stored ones; `tenantId` and `requiredRole`
 * are cleared with null; a new `metadataUrl` is downloaded at once and must name the same issuer.
 */
export type OAuthServerChangeBody = UpdateOAuthServerDto;
