import type { CertificateKey, TrustedIssuer } from '@s2s/trusted-issuers';

/**
 * Trust levels of `New-CsPartnerApplication -ApplicationTrustLevel` (SPEC 1, ms-s2s research 3.1):
 * `Full` may act as itself and as any user of its realm; `Application` only as itself (our default:
 * least privilege, where Microsoft defaults to Full); `User` only on behalf of users.
 */
export type TrustLevel = 'Full' | 'Application' | 'User';

export const TRUST_LEVELS: readonly TrustLevel[] = ['Full', 'Application', 'User'];

/**
 * What happens to keys that appear in a partner's refreshed metadata: `accept` trusts them at once
 * (as Microsoft products do); `review` holds them as pending until an admin approves them.
 */
export type KeyChangePolicy = 'accept' | 'review';

export const KEY_CHANGE_POLICIES: readonly KeyChangePolicy[] = ['accept', 'review'];

/** A signing key of a partner: a certificate from its metadata or pinned by the admin. */
export type PartnerKey = CertificateKey;

/** A trusted peer server (SPEC 1 "Partner application", like New-CsPartnerApplication). */
export interface PartnerApplication extends TrustedIssuer<PartnerKey> {
  /** The partner's principal id (its service name), lowercase GUID. */
  applicationIdentifier: string;
  /** The partner's realm. */
  realm: string;
  /** Null when the partner was registered with pinned certificates. */
  metadataUrl: string | null;
  /** Host authority of the partner, used in the `aud` of tokens we send it (`<id>/<host>@<realm>`). */
  hostAuthority: string | null;
  trustLevel: TrustLevel;
  acceptSecurityIdentifierInformation: boolean;
  /**
   * Addresses the partner downloads our metadata from, besides those its metadata host name
   * resolves to (rollover evidence, issue 16): IPv4 or IPv6 literals.
   */
  sourceAddresses: string[];
  keyChangePolicy: KeyChangePolicy;
  /** Keys that appeared in refreshed metadata under `review`: not trusted until approved (`approveKeys`). */
  pendingKeys: PartnerKey[];
  /**
   * The OAuth server (type `acs`) whose actor tokens speak for this partner (`New-CsPartnerApplication
   * -UseOAuthServer`): the partner has no metadata URL or certificate of its own, its realm is the
   * server's tenant, and its tokens are accepted only when that server issued them. Null: a direct partner.
   */
  useOAuthServer: string | null;
  /**
   * Domains whose users the partner may act for when its realm is a tenant id (Exchange's accepted
   * domains): `contoso.com` (that domain) or `*.contoso.com` (its subdomains), lowercase.
   */
  acceptedDomains: string[];
}

/** Most accepted domains one partner may list. */
export const MAX_ACCEPTED_DOMAINS = 64;

/**
 * Whether `domain` (lowercase) is one of `acceptedDomains`: equal to an entry, or a subdomain of a
 * `*.` entry (Exchange accepted domains; the bare domain of a wildcard entry is not included).
 */
export function domainAccepted(domain: string, acceptedDomains: readonly string[]): boolean {
  for (const accepted of acceptedDomains) {
    if (accepted.startsWith('*.') ? domain.endsWith(accepted.slice(1)) : domain === accepted) return true;
  }
  return false;
}

/** Most extra source addresses one partner may list. */
export const MAX_SOURCE_ADDRESSES = 16;

/** Can this partner represent itself (app-only tokens)? */
export function allowsAppOnly(trustLevel: TrustLevel): boolean {
  return trustLevel !== 'User';
}

/** Can this partner act for users (outer tokens)? */
export function allowsUsers(trustLevel: TrustLevel): boolean {
  return trustLevel !== 'Application';
}

/**
 * Identity providers (`nii`) of the users a partner acts for: an address directory (the nameid is
 * a UPN, SMTP or SIP address, as Exchange and Skype for Business send it) and Active Directory (the
 * nameid is a SID; only for partners that accept security identifier information).
 */
export const ADDRESS_IDENTITY_PROVIDER = 'urn:federation:microsoftonline';
export const AD_IDENTITY_PROVIDER = 'urn:office:idp:activedirectory';
export const USER_IDENTITY_PROVIDERS: readonly string[] = [ADDRESS_IDENTITY_PROVIDER, AD_IDENTITY_PROVIDER];
