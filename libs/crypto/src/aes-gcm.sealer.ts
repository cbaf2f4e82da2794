import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SealedDataError } from './sealed-data.error.js';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
// NIST SP 800-38D 5.2.1.1 / 8.2.2: a 96-bit random IV is the recommended length;
// RFC 5116 5.1 (AEAD_AES_256_GCM) uses N_MIN = N_MAX = 12 octets.
const IV_BYTES = 12;
// Full 128-bit tag (RFC 5116 5.1; NIST SP 800-38D 5.2.1.2 — never truncate).
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Encrypts data with AES-256-GCM (NIST SP 800-38D, RFC 5116 AEAD_AES_256_GCM)
 * under a 256-bit master key.
 *
 * A fresh random 96-bit IV is drawn for every call, so sealing the same
 * plaintext twice yields different strings. `associatedData` is authenticated
 * but not encrypted (RFC 5116 2.1): bind the sealed value to its context
 * (e.g. the certificate thumbprint of the row it is stored in) so it cannot
 * be moved onto another row.
 *
 * @param plaintext - the secret to protect (e.g. a PKCS#8 private key).
 * @param masterKey - exactly 32 bytes.
 * @param associatedData - context string, UTF-8 encoded as AAD.
 * @returns `v1.<iv>.<ciphertext>.<tag>`, each part base64url without padding (RFC 4648 5).
 * @throws RangeError when the master key is not 32 bytes; TypeError on non-Buffer input.
 */
export function sealWithMasterKey(plaintext: Buffer, masterKey: Buffer, associatedData: string): string {
  if (!Buffer.isBuffer(plaintext)) {
    throw new TypeError('plaintext must be a Buffer');
  }
  checkMasterKey(masterKey);
  if (typeof associatedData !== 'string') {
    throw new TypeError('associatedData must be a string');
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, masterKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
}

/**
 * Opens a value produced by {@link sealWithMasterKey}, verifying the GCM tag
 * over the ciphertext and `associatedData` before returning any plaintext
 * (RFC 5116 2.2: on failure no plaintext is released).
 *
 * @param sealed - `v1.<iv>.<ciphertext>.<tag>` string.
 * @param masterKey - the 32-byte key used to seal.
 * @param associatedData - the same context string used to seal.
 * @returns the plaintext.
 * @throws SealedDataError on a malformed string, wrong key, wrong associated data or tampering.
 * @throws RangeError when the master key is not 32 bytes (a configuration error, not a data error).
 */
export function openWithMasterKey(sealed: string, masterKey: Buffer, associatedData: string): Buffer {
  checkMasterKey(masterKey);
  if (typeof sealed !== 'string' || typeof associatedData !== 'string') {
    throw new SealedDataError();
  }
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION || !parts.slice(1).every((part) => BASE64URL.test(part))) {
    throw new SealedDataError();
  }
  const iv = Buffer.from(parts[1]!, 'base64url');
  const ciphertext = Buffer.from(parts[2]!, 'base64url');
  const tag = Buffer.from(parts[3]!, 'base64url');
  // Node only rejects tags shorter than 4 bytes by default; insist on the exact sizes
  // and canonical encodings (re-encoding must give back the same text).
  if (
    iv.length !== IV_BYTES ||
    tag.length !== TAG_BYTES ||
    iv.toString('base64url') !== parts[1] ||
    ciphertext.toString('base64url') !== parts[2] ||
    tag.toString('base64url') !== parts[3]
  ) {
    throw new SealedDataError();
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, masterKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new SealedDataError({ cause: error });
  }
}

function checkMasterKey(masterKey: Buffer): void {
  if (!Buffer.isBuffer(masterKey) || masterKey.length !== KEY_BYTES) {
    const got = Buffer.isBuffer(masterKey) ? `${masterKey.length} bytes` : typeof masterKey;
    throw new RangeError(`masterKey must be exactly ${KEY_BYTES} bytes (AES-256); got ${got}`);
  }
}
