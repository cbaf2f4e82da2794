import { generateKeyPair } from 'node:crypto';

/** RSA modulus sizes this project accepts (NIST SP 800-57 Part 1: 2048 bits is the floor through 2030). */
export type RsaModulusLength = 2048 | 3072 | 4096;

/** A PEM-encoded RSA key pair: PKCS#8 private key (RFC 5208) and SubjectPublicKeyInfo public key (RFC 5280 4.1.2.7). */
export interface RsaKeyPairPem {
  /** Unencrypted PKCS#8 PEM. Secret: never log it. */
  privateKeyPem: string;
  /** `-----BEGIN PUBLIC KEY-----` (SPKI). */
  publicKeyPem: string;
}

const ALLOWED_MODULUS_LENGTHS: readonly number[] = [2048, 3072, 4096];

/**
 * Generates an RSA key pair with public exponent 65537 (F4).
 *
 * Uses the asynchronous `node:crypto.generateKeyPair`, which runs on the libuv
 * thread pool: a 4096-bit generation can take seconds and must never block the
 * event loop of a running server.
 *
 * @param modulusLength - 2048, 3072 or 4096 bits.
 * @returns PKCS#8 private key PEM and SPKI public key PEM.
 * @throws RangeError when `modulusLength` is not one of the allowed sizes (checked at run time for JS callers).
 */
export function generateRsaKeyPair(modulusLength: RsaModulusLength): Promise<RsaKeyPairPem> {
  if (!ALLOWED_MODULUS_LENGTHS.includes(modulusLength)) {
    return Promise.reject(
      new RangeError(`RSA modulus length must be one of ${ALLOWED_MODULUS_LENGTHS.join(', ')}; got ${String(modulusLength)}`),
    );
  }
  return new Promise<RsaKeyPairPem>((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength,
        publicExponent: 0x10001,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicKeyPem, privateKeyPem) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({ privateKeyPem, publicKeyPem });
      },
    );
  });
}
