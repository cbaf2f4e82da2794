import { hkdfSync } from 'node:crypto';

/**
 * Derives a 32-byte purpose-specific key from the master key (HKDF-SHA-256, RFC 5869), so one
 * configured secret serves several uses without reusing key material across them.
 *
 * @param masterKey - the 32-byte master key.
 * @param purpose - a fixed label such as `client-secret-hash`.
 */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `s2s-trust:${purpose}`, 32));
}
