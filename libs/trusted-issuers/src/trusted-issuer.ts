import { InvalidInputError } from '@s2s/core';
import type { MetadataFetchPolicy } from './metadata.fetcher.js';
import type { MetadataStatus } from './metadata-status.js';

/** Identity of a partner application or OAuth server: `microsoft.exchange`, `microsoft.sts`. */
export const TRUSTED_ISSUER_IDENTITY = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** How the metadata of a trusted issuer may be downloaded (SPEC 5.5, 5.9). */
export interface MetadataFetchSettings {
  /** Extra CA certificates (PEM) trusted for its metadata URL; null = the system store. */
  metadataCaBundle: string | null;
  /** Hosts the metadata may be fetched from; an IP literal here also allows that loopback/link-local address. */
  metadataHostAllowList: string[];
  /** Lab only: accept an http:// metadata URL. */
  allowHttpMetadata: boolean;
}

/**
 * What every issuer whose tokens we trust has, whatever its kind (partner application, OAuth
 * server): a unique identity, an enabled flag, a metadata URL with its download policy, the keys
 * from the last good download (or pinned), and the status of the last download. The kinds add
 * their own policy (trust level and SID acceptance; audiences, tenant, application/object ids, role).
 */
export interface TrustedIssuer<K> extends MetadataFetchSettings {
  /** Friendly, unique name such as `microsoft.exchange` (lowercase). */
  identity: string;
  /** Where the keys come from; null for a partner registered with pinned certificates. */
  metadataUrl: string | null;
  enabled: boolean;
  /** The signing keys: from the last good metadata download, or pinned. */
  keys: K[];
  metadataStatus: MetadataStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** The fetcher's policy for a trusted issuer's settings. */
export function fetchPolicyOf(settings: MetadataFetchSettings): MetadataFetchPolicy {
  return { allowHttp: settings.allowHttpMetadata, caBundle: settings.metadataCaBundle, hostAllowList: settings.metadataHostAllowList };
}

/**
 * The host of a metadata URL as the allow-list names it (lowercase, IPv6 without brackets).
 *
 * @throws InvalidInputError on `metadataUrl` when it is not a URL.
 */
export function metadataUrlHost(metadataUrl: string): string {
  try {
    return new URL(metadataUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    throw InvalidInputError.forField('metadataUrl', 'is not a valid URL');
  }
}

/** Settings as an admin gives them: each one absent keeps the current value (or the default). */
export interface TrustedIssuerSettingsInput {
  enabled?: boolean;
  metadataCaBundle?: string | null;
  metadataHostAllowList?: string[];
  allowHttpMetadata?: boolean;
}

/**
 * The enabled flag and download policy, validated: the host allow-list defaults to the metadata
 * URL's host (`urlHost`, null without a URL) and must include it; hosts are kept in lowercase.
 *
 * @throws InvalidInputError on `metadataHostAllowList` when the list leaves out the URL's host.
 */
export function trustedIssuerSettings(
  urlHost: string | null,
  input: TrustedIssuerSettingsInput,
  current: (MetadataFetchSettings & { enabled: boolean }) | null,
): MetadataFetchSettings & { enabled: boolean } {
  const allowList = (input.metadataHostAllowList ?? current?.metadataHostAllowList ?? (urlHost ? [urlHost] : [])).map((host) => host.toLowerCase());
  if (urlHost && !allowList.includes(urlHost)) throw InvalidInputError.forField('metadataHostAllowList', `must include the metadata URL host ${urlHost}`);
  return {
    enabled: input.enabled ?? current?.enabled ?? true,
    metadataCaBundle: input.metadataCaBundle === undefined ? (current?.metadataCaBundle ?? null) : input.metadataCaBundle,
    metadataHostAllowList: allowList,
    allowHttpMetadata: input.allowHttpMetadata ?? current?.allowHttpMetadata ?? false,
  };
}
