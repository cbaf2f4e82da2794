import type { IssuerKey } from '@s2s/certificates';
import { PUBLISHED_PATHS, publishedUrl } from './published-endpoints.js';

/** One key of the Microsoft JSON metadata document (Exchange shape, ms-s2s research 2.2). */
export interface MetadataKey {
  usage: 'signing';
  keyinfo: { x5t: string };
  keyvalue: { type: 'x509Certificate'; value: string };
}

/** The Microsoft JSON metadata document served at `/metadata/json/1` (SPEC 5.3). */
export interface MetadataDocument {
  id: string;
  version: '1.0';
  name: string;
  realm: string | null;
  serviceName: string;
  issuer: string | null;
  allowedAudiences: string[];
  keys: MetadataKey[];
  endpoints: { location: string; protocol: 'OAuth2'; usage: 'metadata' | 'issuance' }[];
}

/** Product name published in the `name` field (Exchange publishes "Exchange"). */
export const METADATA_NAME = 's2s-trust';

/**
 * Builds the metadata document in the Exchange shape, lowercase as [MS-SPS2SAUTH] requires.
 * `keys` must already be in publishing order: the signing (current) certificate first, because
 * Microsoft's own sample consumers read `keys[0]` only (ms-s2s research 2.5), then next and
 * previous so partners learn a staged key before it signs and keep the old one while its tokens live.
 */
export function buildMetadataDocument(input: { serviceName: string; realm: string | null; publicUrl: string; keys: IssuerKey[] }): MetadataDocument {
  const principal = input.realm ? `${input.serviceName}@${input.realm}` : null;
  return {
    id: `_${input.serviceName}`,
    version: '1.0',
    name: METADATA_NAME,
    realm: input.realm,
    serviceName: input.serviceName,
    issuer: principal,
    allowedAudiences: principal ? [principal] : [],
    keys: input.keys.map((key) => ({
      usage: 'signing',
      keyinfo: { x5t: key.x5t },
      keyvalue: { type: 'x509Certificate', value: key.x5c[0]! },
    })),
    endpoints: [
      { location: publishedUrl(input.publicUrl, PUBLISHED_PATHS.metadata), protocol: 'OAuth2', usage: 'metadata' },
      { location: publishedUrl(input.publicUrl, PUBLISHED_PATHS.token), protocol: 'OAuth2', usage: 'issuance' },
    ],
  };
}
