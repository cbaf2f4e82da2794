import { randomBytes } from 'node:crypto';

/** Smallest secret accepted: 128 bits, the minimum strength for symmetric secrets (NIST SP 800-131A / SP 800-57). */
const MIN_SECRET_BYTES = 16;

/**
 * Generates a random secret from the CSPRNG (`crypto.randomBytes`).
 *
 * @param bytes - entropy in bytes (default 32 = 256 bits; minimum 16).
 * @returns the secret as base64url without padding (RFC 4648 5), safe in URLs, headers and env files.
 * @throws RangeError when `bytes` is not an integer ≥ 16.
 */
export function generateSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES) {
    throw new RangeError(`Secret length must be an integer of at least ${MIN_SECRET_BYTES} bytes; got ${String(bytes)}`);
  }
  return randomBytes(bytes).toString('base64url');
}
