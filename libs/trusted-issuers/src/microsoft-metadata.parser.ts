import { certificateThumbprints, describeCertificate, readCertificates } from '@s2s/crypto';
import { MetadataDocumentError } from './metadata-document.error.js';

/** A signing key that is a certificate: from a metadata document, or pinned by the admin. */
export interface CertificateKey {
  /** base64url SHA-1 of the DER (`x5t`). */
  x5t: string;
  certificatePem: string;
  notBefore: Date;
  notAfter: Date;
}

/** A Microsoft JSON metadata document (partner or ACS), whichever shape it came in. */
export interface MicrosoftMetadata {
  /** The issuer's principal id (`serviceName`, or the part of `issuer` before `@`), lowercase. */
  serviceName: string;
  /** `realm`, or the part of `issuer` after `@`. */
  realm: string;
  issuer: string;
  keys: CertificateKey[];
  /**
   * The token issuance endpoint (ACS / Entra as trust broker: `endpoints[]` entry with protocol
   * `OAuth2` and usage `issuance`, an https URL), or null.
   */
  issuanceEndpoint: string | null;
}

/**
 * Parses a Microsoft JSON metadata document (SPEC 5.5, ms-s2s research 2.2-2.3): the Exchange shape
 * (`keyinfo.x5t`, lowercase `keyvalue`) and the SharePoint shape (camelCase `keyValue`, no `x5t`,
 * `usage: "Signing"`, no `realm`), property names matched case-insensitively. `x5t` is always
 * computed from the certificate (a key whose published `x5t` disagrees is refused). Keys must be RSA
 * certificates of at least 2048 bits; unusable keys and entries whose `usage` is present and not
 * signing are skipped.
 *
 * @throws MetadataDocumentError when the document is not usable (no usable signing key at all).
 */
export function parseMicrosoftMetadata(document: unknown): MicrosoftMetadata {
  const root = lowerKeys(document);
  if (!root) throw new MetadataDocumentError('the metadata document is not a JSON object');
  const issuer = stringField(root, 'issuer');
  const at = issuer?.lastIndexOf('@') ?? -1;
  const serviceName = (stringField(root, 'servicename') ?? (at > 0 ? issuer!.slice(0, at) : undefined))?.toLowerCase();
  const realm = stringField(root, 'realm') ?? (at > 0 ? issuer!.slice(at + 1) : undefined);
  if (!serviceName || !realm || !issuer) throw new MetadataDocumentError('the metadata document has no usable issuer, serviceName or realm');
  if (realm === '*') throw new MetadataDocumentError('a wildcard realm (*) is not accepted');
  const entries = root['keys'];
  if (!Array.isArray(entries)) throw new MetadataDocumentError('the metadata document has no keys array');
  const keys: CertificateKey[] = [];
  const refused: string[] = [];
  for (const entry of entries.slice(0, 20)) {
    const key = lowerKeys(entry);
    if (!key) continue;
    const usage = stringField(key, 'usage');
    if (usage !== undefined && usage.toLowerCase() !== 'signing') continue;
    const value = lowerKeys(key['keyvalue']);
    const type = value ? stringField(value, 'type') : undefined;
    const der = value ? stringField(value, 'value') : undefined;
    if (!der || type?.toLowerCase() !== 'x509certificate') continue;
    try {
      keys.push(certificateKey(der, stringField(lowerKeys(key['keyinfo']) ?? {}, 'x5t')));
    } catch (error) {
      // One unusable key (weak, garbage) does not hide the good ones; it is simply never trusted.
      refused.push((error as Error).message);
    }
  }
  if (keys.length === 0) throw new MetadataDocumentError(`the metadata document has no usable signing certificate${refused.length ? ` (${refused.join('; ')})` : ''}`);
  return { serviceName, realm, issuer, keys, issuanceEndpoint: issuanceEndpointOf(root['endpoints']) };
}

/** The first `OAuth2` endpoint whose usage is `issuance` and whose location is an https URL (names and values case-insensitive). */
function issuanceEndpointOf(endpoints: unknown): string | null {
  if (!Array.isArray(endpoints)) return null;
  for (const entry of endpoints.slice(0, 20)) {
    const endpoint = lowerKeys(entry);
    if (!endpoint) continue;
    const location = stringField(endpoint, 'location');
    if (stringField(endpoint, 'protocol')?.toLowerCase() !== 'oauth2' || stringField(endpoint, 'usage')?.toLowerCase() !== 'issuance' || !location) continue;
    try {
      if (new URL(location).protocol === 'https:') return location;
    } catch {
      // not a URL: not an endpoint
    }
  }
  return null;
}

/** A key from a certificate (PEM or base64 DER), checked: RSA ≥ 2048, parsable, matching `x5t` if one was published. */
export function certificateKey(certificate: string, publishedX5t?: string): CertificateKey {
  let pem: string;
  try {
    pem = readCertificates(certificate)[0]!;
  } catch {
    throw new MetadataDocumentError('a key is not a valid X.509 certificate');
  }
  const description = describeCertificate(pem);
  if (description.publicKeyAlgorithm !== 'RSA' || (description.keySizeBits ?? 0) < 2048 || description.rsaPublicExponent !== 65537) {
    throw new MetadataDocumentError(`a signing certificate (${description.subject}) does not hold an RSA key of at least 2048 bits with exponent 65537`);
  }
  const { x5t } = certificateThumbprints(pem);
  if (publishedX5t !== undefined && publishedX5t !== x5t) throw new MetadataDocumentError('a published x5t does not match its certificate');
  return { x5t, certificatePem: pem, notBefore: description.notBefore, notAfter: description.notAfter };
}

function lowerKeys(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const result: Record<string, unknown> = Object.create(null);
  for (const [name, field] of Object.entries(value)) result[name.toLowerCase()] = field;
  return result;
}

function stringField(object: Record<string, unknown>, name: string): string | undefined {
  const value = object[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
