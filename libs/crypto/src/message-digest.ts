import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * SHA-256 (FIPS 180-4) of `data`, base64url-encoded without padding
 * (RFC 4648 5), the encoding JOSE uses (e.g. RFC 7636 S256 code challenges).
 *
 * @param data - a string (hashed as UTF-8) or bytes.
 * @returns 43-character base64url digest.
 */
export function sha256Base64Url(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64url');
}

/**
 * HMAC-SHA-256 (RFC 2104, FIPS 198-1).
 *
 * @param key - the secret key: bytes, or a secret KeyObject made once for a key used per request
 *   (OpenSSL then skips importing the key bytes on every call).
 * @param data - the message, hashed as UTF-8.
 * @returns the 32-byte MAC.
 */
export function hmacSha256(key: Buffer | KeyObject, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** A secret KeyObject for {@link hmacSha256}, made once for a key that MACs on a hot path. */
export function hmacKey(key: Buffer): KeyObject {
  return createSecretKey(key);
}
