import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two digests of the same kind and encoding (a presented secret's keyed hash with the
 * stored one, an admin key's hash) in time independent of where they differ. Their length is
 * public (fixed by the digest), so a different length is simply unequal: no extra hashing needed.
 */
export function timingSafeEqualDigests(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}
