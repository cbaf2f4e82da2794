/** What a key may do: `admin` reads and changes, `reader` only reads (SPEC 5.7). */
export type AdminRole = 'admin' | 'reader';
export const ADMIN_ROLES: readonly AdminRole[] = ['admin', 'reader'];

/** An admin API key as stored: the secret itself is never kept, only its hash. */
export interface AdminApiKey {
  id: string;
  name: string;
  role: AdminRole;
  /** SHA-256 (base64url) of the secret part of the key. */
  secretHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdByKeyId: string | null;
  /** After this instant the key no longer authenticates (null: no expiry). */
  expiresAt: Date | null;
}
