/**
 * Shapes of the admin API's partner applications (`/admin/v1/partner-applications`): trusted peer
 * servers, as `New-/Get-/Set-/Remove-CsPartnerApplication` manage them (SPEC 5.5, 5.7). A partner is
 * registered by metadata URL (the server downloads its signing keys from there, and again on
 * refresh) or by application identifier, realm and pinned certificates.
 */

/** `-ApplicationTrustLevel`, in the API's canonical spelling. */
export const TRUST_LEVELS = ['Full', 'Application', 'User'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];
/** What `partner-application new` asks for when `--trust-level` is not given (least privilege; Microsoft's cmdlet defaults to Full). */
export const DEFAULT_TRUST_LEVEL: TrustLevel = 'Application';

/** A signing key of the partner (a certificate from its metadata, or pinned). */
export interface PartnerKey {
  /** base64url SHA-1 of the certificate (DER). */
  readonly x5t: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

/** What the last metadata download said, and when. */
export interface PartnerMetadataStatus {
  readonly lastAttemptAt: string | null;
  readonly lastSuccessAt: string | null;
  /** Why the last download failed (the last known good keys were kept); null after a success. */
  readonly lastError: string | null;
  /** Set when the document now names another issuer or realm: not applied until the partner is re-created. */
  readonly reviewReason: string | null;
}

/** Body of GET /partner-applications/{identity} and of every change, refresh and removal. */
export interface PartnerApplication {
  readonly identity: string;
  readonly applicationIdentifier: string;
  readonly realm: string;
  readonly metadataUrl: string | null;
  readonly hostAuthority: string | null;
  readonly trustLevel: TrustLevel;
  readonly acceptSecurityIdentifierInformation: boolean;
  readonly enabled: boolean;
  /** A CA bundle of its own is trusted for the metadata URL (the bundle itself is never returned). */
  readonly hasMetadataCaBundle: boolean;
  readonly metadataHostAllowList: readonly string[];
  readonly allowHttpMetadata: boolean;
  readonly keys: readonly PartnerKey[];
  readonly metadataStatus: PartnerMetadataStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PartnerApplicationList {
  readonly items: readonly PartnerApplication[];
}

/** Settings both POST and PATCH take; only the fields whose options were given are sent. */
interface PartnerSettingsBody {
  readonly hostAuthority?: string;
  readonly trustLevel?: TrustLevel;
  readonly acceptSecurityIdentifierInformation?: boolean;
  readonly enabled?: boolean;
  /** PEM text: CA certificates trusted for the metadata URL besides the system store. */
  readonly metadataCaBundle?: string;
  readonly metadataHostAllowList?: readonly string[];
  readonly allowHttpMetadata?: boolean;
}

/**
 * POST /partner-applications, in one of the two parameter sets of New-CsPartnerApplication:
 * `metadataUrl`, or `applicationIdentifier` + `realm` + `certificates` (PEM text or base64 DER).
 */
export interface PartnerApplicationCreateBody extends PartnerSettingsBody {
  readonly identity: string;
  readonly metadataUrl?: string;
  readonly applicationIdentifier?: string;
  readonly realm?: string;
  readonly certificates?: readonly string[];
}

/**
 * PATCH /partner-applications/{identity}. `applicationIdentifier` and `realm` cannot change (the
 * server accepts them only when equal to the current values); `certificates` replaces the pinned
 * ones; `metadataHostAllowList` replaces the list.
 */
export interface PartnerApplicationChangeBody extends PartnerSettingsBody {
  readonly metadataUrl?: string;
  readonly applicationIdentifier?: string;
  readonly realm?: string;
  readonly certificates?: readonly string[];
}
