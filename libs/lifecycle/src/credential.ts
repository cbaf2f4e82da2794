import { daysToExpiry } from '@s2s/certificates';

/** Every kind of credential whose expiry is watched (metric label `kind`). */
export const CREDENTIAL_KINDS = [
  'token-issuer-certificate',
  'partner-key',
  'partner-pinned-certificate',
  'oauth-server-key',
  'client-certificate',
  'client-secret',
  'admin-key',
  'https-certificate',
] as const;

export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** One credential that expires: what it is, whose it is, and when. */
export interface ExpiringCredential {
  kind: CredentialKind;
  /** Whose it is: the slot (`current`), partner or OAuth server identity, client id, admin key id, `https`. */
  id: string;
  /** Certificate thumbprint (hex SHA-1) or `x5t`, key id, secret id; empty when there is none. */
  thumbprint: string;
  expiresAt: Date;
}

/** A credential inside its warning window: the tier it reached (days; 0 = expired) and the whole days left. */
export interface ExpiryWarning extends ExpiringCredential {
  daysLeft: number;
  tier: number;
}

/**
 * The warning tier of a credential at `now`: the smallest configured threshold (days) above the days
 * left, 0 once expired, null outside the largest threshold. `tiers` are descending (120, 60, 30, 7).
 * Days are whole days left, rounded down, as `certificate list` counts them.
 */
export function expiryTier(expiresAt: Date, now: Date, tiers: readonly number[]): { daysLeft: number; tier: number } | null {
  if (expiresAt.getTime() <= now.getTime()) return { daysLeft: daysToExpiry(expiresAt, now), tier: 0 };
  const daysLeft = daysToExpiry(expiresAt, now);
  let tier: number | null = null;
  for (const threshold of tiers) if (daysLeft < threshold) tier = threshold;
  return tier === null ? null : { daysLeft, tier };
}
