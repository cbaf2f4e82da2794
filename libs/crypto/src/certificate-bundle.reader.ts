import { X509Certificate } from 'node:crypto';

/** Thrown when uploaded certificate text is not one or more X.509 certificates. Never echoes the input. */
export class CertificateFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CertificateFormatError';
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Bounds a hostile upload: a real chain has a handful of certificates. */
const MAX_CERTIFICATES = 10;

/**
 * Reads the certificates of an upload: PEM text with one or more `CERTIFICATE` blocks (RFC 7468 5),
 * or the base64 of one DER certificate (what a `.cer` file holds). Each one is parsed by OpenSSL
 * (`X509Certificate`) and returned re-encoded as canonical PEM, in input order.
 *
 * @throws CertificateFormatError when the text holds no certificate, garbage between blocks, or
 *   a block OpenSSL cannot parse.
 */
export function readCertificates(text: string): string[] {
  if (typeof text !== 'string' || text.trim() === '') throw new CertificateFormatError('no certificate given');
  if (text.includes('-----BEGIN')) {
    const blocks = [...text.matchAll(PEM_CERTIFICATE)];
    const leftover = text.replace(PEM_CERTIFICATE, '').trim();
    if (blocks.length === 0 || leftover !== '') {
      throw new CertificateFormatError('expected PEM CERTIFICATE blocks only (other PEM types or text between them are not accepted)');
    }
    if (blocks.length > MAX_CERTIFICATES) throw new CertificateFormatError(`at most ${MAX_CERTIFICATES} certificates are accepted`);
    return blocks.map((block, index) => parse(Buffer.from(block[1]!.replace(/\s/g, ''), 'base64'), index));
  }
  const compact = text.replace(/\s/g, '');
  if (!BASE64.test(compact)) throw new CertificateFormatError('expected PEM text or the base64 of a DER certificate');
  return [parse(Buffer.from(compact, 'base64'), 0)];
}

function parse(der: Buffer, index: number): string {
  try {
    const certificate = new X509Certificate(der);
    // Re-encoding must give the same bytes: rejects trailing data after the DER SEQUENCE.
    if (!certificate.raw.equals(der)) throw new Error('trailing data');
    return certificate.toString();
  } catch (error) {
    throw new CertificateFormatError(`certificate ${index + 1} is not a valid X.509 certificate`, { cause: error });
  }
}

/** The base64 (not base64url) DER of a PEM certificate: the `keyvalue.value` of MS metadata and an `x5c` entry (RFC 7517 4.7). */
export function certificateDerBase64(certificatePem: string): string {
  return new X509Certificate(certificatePem).raw.toString('base64');
}

/** The public RSA key of a certificate as a JWK (`kty`, `n`, `e`), for a JWKS. */
export function certificatePublicJwk(certificatePem: string): { kty: string; n?: string; e?: string; crv?: string; x?: string; y?: string } {
  return new X509Certificate(certificatePem).publicKey.export({ format: 'jwk' }) as { kty: string };
}

/** The public key of a certificate, for verifying signatures made with its private key. */
export function certificatePublicKey(certificatePem: string): import('node:crypto').KeyObject {
  return new X509Certificate(certificatePem).publicKey;
}
