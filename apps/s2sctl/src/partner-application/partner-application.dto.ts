/**
 * Shapes of the admin API's partner applications (`/admin/v1/partner-applications`): trusted peer
 * servers, as `New-/Get-/Set-/Remove-CsPartnerApplication` manage them (SPEC 5.5, 5.7). A partner is
 * registered by metadata URL (the server downloads its signing keys from there, and again on
 * refresh) or by application identifier, realm and pinned certificates.
 *
 * The request and response shapes are the ones the server's OpenAPI document gives
 * (`../generated/admin-api.types.ts`, `npm run generate:api-types`): s2sctl names them, it does
 * not restate them. The bodies s2sctl builds carry only the fields whose options were given.
 */
import type {
  CreatePartnerApplicationDto,
  PartnerApplicationDto,
  PartnerApplicationListDto,
  PartnerKeyDto,
  UpdatePartnerApplicationDto,
} from '../generated/admin-api.types.js';

/** `-ApplicationTrustLevel`, in the API's canonical spelling. */
export type TrustLevel = PartnerApplicationDto['trustLevel'];
/** The trust levels `--trust-level` accepts (the contract checks that these are all of the API's). */
export const TRUST_LEVELS = ['Full', 'Application', 'User'] as const satisfies readonly TrustLevel[];
/** What `partner-application new` asks for when `--trust-level` is not given (least privilege; Microsoft's cmdlet defaults to Full). */
export const DEFAULT_TRUST_LEVEL: TrustLevel = 'Application';

/** A signing key of the partner (a certificate from its metadata, or pinned). */
export type PartnerKey = PartnerKeyDto;

/** Body of GET /partner-applications/{identity} and of every change, refresh and removal. */
export type PartnerApplication = PartnerApplicationDto;

export type PartnerApplicationList = PartnerApplicationListDto;

/**
 * POST /partner-applications, in one of the two parameter sets of New-CsPartnerApplication:
 * `metadataUrl`, or `applicationIdentifier` + `realm` + `certificates` (PEM text or base64 DER).
 */
export type PartnerApplicationCreateBody = CreatePartnerApplicationDto;

/**
 * PATCH /partner-applications/{identity}. `applicationIdentifier` and `realm` cannot change (the
 * server accepts them only when equal to the current values); `certificates` replaces the pinned
 * ones; `metadataHostAllowList` replaces the list.
 */
export type PartnerApplicationChangeBody = UpdatePartnerApplicationDto;
