import { generateSecret, sha256Base64Url } from '@s2s/crypto';

/**
 * Admin API keys look like `s2sk.<key id>.<secret>`: the id finds the stored row without scanning,
 * the 256-bit secret is compared by hash. The prefix makes leaked keys easy to grep for.
 */
const TOKEN = /^s2sk\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedAdminApiKey {
  id: string;
  secret: string;
}

/** Splits a presented key into id and secret; null when it is not shaped like one of ours. */
export function parseAdminApiKey(token: string): ParsedAdminApiKey | null {
  const match = TOKEN.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}

/** A new key for `id`: the full token (shown once) and the hash to store. */
export function mintAdminApiKey(id: string): { token: string; secretHash: string } {
  const secret = generateSecret(32);
  return { token: `s2sk.${id}.${secret}`, secretHash: hashAdminApiKeySecret(secret) };
}

/**
 * A plain SHA-256 suffices: the secret has 256 bits of entropy, so a slow password hash would add
 * latency to every admin request without making a stolen hash any more useful.
 */
export function hashAdminApiKeySecret(secret: string): string {
  return sha256Base64Url(secret);
}
