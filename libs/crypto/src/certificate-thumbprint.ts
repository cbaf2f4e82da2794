import { createHash, X509Certificate } from 'node:crypto';
import { InvalidThumbprintError } from './invalid-thumbprint.error.js';

/** Digests of a certificate's DER encoding, in the notations admins and JOSE use. */
export interface CertificateThumbprints {
  /** SHA-1 of the DER, uppercase hex, no separators — the Windows "Thumbprint" notation. */
  sha1Hex: string;
  /** SHA-256 of the DER, uppercase hex, no separators. */
  sha256Hex: string;
  /** `x5t` JOSE header value: base64url (no padding) SHA-1 of the DER (RFC 7515 4.1.7). */
  x5t: string;
  /** `x5t#S256` JOSE header value: base64url SHA-256 of the DER (RFC 7515 4.1.8). */
  x5tS256: string;
}

/**
 * Computes the thumbprints of an X.509 certificate.
 *
 * Thumbprints are digests over the exact DER bytes of the certificate
 * (RFC 7515 4.1.7), so the input is parsed by `node:crypto.X509Certificate`
 * and hashed via its `raw` DER: PEM whitespace or line length cannot change
 * the result, and garbage is rejected instead of being hashed.
 *
 * @param certificate - a PEM string (the first certificate is used) or a DER buffer.
 * @returns SHA-1/SHA-256 hex and the `x5t`/`x5t#S256` base64url forms.
 * @throws Error when the input is not a parsable certificate.
 */
export function certificateThumbprints(certificate: string | Buffer): CertificateThumbprints {
  const der = new X509Certificate(certificate).raw;
  const sha1 = createHash('sha1').update(der).digest();
  const sha256 = createHash('sha256').update(der).digest();
  return {
    sha1Hex: sha1.toString('hex').toUpperCase(),
    sha256Hex: sha256.toString('hex').toUpperCase(),
    x5t: sha1.toString('base64url'),
    x5tS256: sha256.toString('base64url'),
  };
}

// Separators people paste: whitespace (incl. NBSP / BOM), colons from OpenSSL
// output, and the invisible U+200E/U+200F marks the Windows certificate dialog
// prefixes when its Thumbprint field is copied.
const THUMBPRINT_SEPARATORS = /[\s:\u200e\u200f]/g;

/**
 * Normalizes a certificate thumbprint to uppercase hex without separators.
 *
 * `"ab:cd ef…"` → `"ABCDEF…"`. The result must be 40 (SHA-1) or 64 (SHA-256)
 * hex digits.
 *
 * @param input - thumbprint in any case, with or without spaces/colons.
 * @returns the canonical uppercase form, comparable with {@link CertificateThumbprints.sha1Hex} / `sha256Hex`.
 * @throws InvalidThumbprintError when the input is not a SHA-1 or SHA-256 hex thumbprint.
 */
export function normalizeThumbprint(input: string): string {
  if (typeof input !== 'string') {
    throw new InvalidThumbprintError('Thumbprint must be a string');
  }
  const hex = input.replace(THUMBPRINT_SEPARATORS, '').toUpperCase();
  if (!/^[0-9A-F]*$/.test(hex)) {
    throw new InvalidThumbprintError('Thumbprint must contain only hexadecimal digits (separators allowed: spaces, colons)');
  }
  if (hex.length !== 40 && hex.length !== 64) {
    throw new InvalidThumbprintError(
      `Thumbprint must be 40 (SHA-1) or 64 (SHA-256) hexadecimal digits; got ${hex.length}`,
    );
  }
  return hex;
}

/** The base64url form (`x5t`, `x5t#S256`) of a hex thumbprint. */
export function x5tFromHex(thumbprintHex: string): string {
  return Buffer.from(thumbprintHex, 'hex').toString('base64url');
}
