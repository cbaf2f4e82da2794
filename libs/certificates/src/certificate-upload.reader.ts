import {
  CertificateFormatError,
  Pkcs12Error,
  PrivateKeyFormatError,
  readCertificates,
  readPkcs12,
  readPrivateKeyPem,
} from '@s2s/crypto';
import { CertificateRejectedError } from './certificate-rejected.error.js';
import type { CertificateSource } from './stored-certificate.js';

/** A certificate with its key, read from an upload and not yet checked against the rules. */
export interface CertificateMaterial {
  certificatePem: string;
  /** Unencrypted PKCS#8 PEM. Secret: sealed before it is stored, never logged. */
  privateKeyPem: string;
  chainPems: string[];
  source: CertificateSource;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads an uploaded PFX (base64 of the file) with its password.
 *
 * @throws CertificateRejectedError `invalid_pfx` (not base64, not PKCS#12, corrupted, no certificate
 *   matching the key), `private_key_missing` (no key in the PFX) or `wrong_pfx_password` (the
 *   integrity MAC does not verify).
 */
export function readPfxUpload(pfxBase64: string, password: string): CertificateMaterial {
  const compact = pfxBase64.replace(/\s/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new CertificateRejectedError('invalid_pfx', 'pfx must be the base64 encoding of a PKCS#12 (.pfx/.p12) file', 'pfx');
  }
  try {
    const contents = readPkcs12(Buffer.from(compact, 'base64'), password);
    return { certificatePem: contents.certificatePem, privateKeyPem: contents.privateKeyPem, chainPems: contents.chainPems, source: 'pfx' };
  } catch (error) {
    if (!(error instanceof Pkcs12Error)) throw error;
    if (error.reason === 'wrong_password') throw new CertificateRejectedError('wrong_pfx_password', error.message, 'password');
    if (error.reason === 'no_private_key') throw new CertificateRejectedError('private_key_missing', error.message, 'pfx');
    throw new CertificateRejectedError('invalid_pfx', error.message, 'pfx');
  }
}

/**
 * Reads an uploaded PEM (or base64 DER) certificate with its PEM private key and optional chain.
 * Extra certificates after the first in `certificate` count as chain.
 *
 * @throws CertificateRejectedError `invalid_certificate`, `private_key_missing` or `invalid_private_key`.
 */
export function readPemUpload(certificate: string, privateKey: string | undefined, chain: string | undefined): CertificateMaterial {
  const { certificatePem, chainPems } = readIssuedCertificate(certificate, chain);
  if (privateKey === undefined || privateKey.trim() === '') {
    throw new CertificateRejectedError(
      'private_key_missing',
      'a token-issuer certificate needs its private key: give privateKey (PEM) or import a PFX',
      'privateKey',
    );
  }
  try {
    return { certificatePem, privateKeyPem: readPrivateKeyPem(privateKey).pkcs8Pem, chainPems, source: 'pem' };
  } catch (error) {
    if (error instanceof PrivateKeyFormatError) throw new CertificateRejectedError('invalid_private_key', error.message, 'privateKey');
    throw error;
  }
}

/**
 * Reads a certificate (PEM or base64 DER, first one is the leaf) and an optional PEM chain.
 *
 * @throws CertificateRejectedError `invalid_certificate`.
 */
export function readIssuedCertificate(certificate: string, chain: string | undefined): { certificatePem: string; chainPems: string[] } {
  const [certificatePem, ...extra] = readCertificateField(certificate, 'certificate');
  const chainPems = chain !== undefined && chain.trim() !== '' ? readCertificateField(chain, 'chain') : [];
  return { certificatePem: certificatePem!, chainPems: [...extra, ...chainPems] };
}

function readCertificateField(text: string, field: string): string[] {
  try {
    return readCertificates(text);
  } catch (error) {
    if (error instanceof CertificateFormatError) throw new CertificateRejectedError('invalid_certificate', `${field}: ${error.message}`, field);
    throw error;
  }
}
