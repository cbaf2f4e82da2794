import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings (e.g. a presented secret with the stored one) in time
 * independent of where they differ.
 *
 * `crypto.timingSafeEqual` throws on buffers of different lengths, and a
 * length check before it would leak the secret's length through timing. Both
 * sides are therefore hashed to fixed-size SHA-256 digests first; equal
 * digests imply equal strings (collision resistance), and the byte-length
 * comparison only decides the result after the constant-time compare.
 *
 * @param a - first string (UTF-8).
 * @param b - second string (UTF-8).
 * @returns true when identical; false otherwise, including for different lengths (never throws for strings).
 */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  const digestsEqual = timingSafeEqual(createHash('sha256').update(left).digest(), createHash('sha256').update(right).digest());
  return digestsEqual && left.length === right.length;
}
