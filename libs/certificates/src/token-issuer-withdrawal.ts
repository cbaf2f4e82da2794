/** How long metadata and JWKS are served with `Cache-Control: no-cache` after an emergency roll. */
export const EMERGENCY_NO_CACHE_SECONDS = 86_400;

/** A token-issuer key withdrawn at once by an emergency roll: no longer published, its tokens refused. */
export interface TokenIssuerWithdrawal {
  /** SHA-1 thumbprint (uppercase hex), as the slots name certificates. */
  thumbprint: string;
  withdrawnAt: Date;
  reason: string;
}

/** Storage of withdrawn token-issuer keys (implemented in libs/persistence). */
export abstract class TokenIssuerWithdrawalRepository {
  /** Records (or re-records, with the new time and reason) a withdrawal. */
  abstract record(withdrawal: TokenIssuerWithdrawal): Promise<void>;
  abstract list(): Promise<TokenIssuerWithdrawal[]>;
}
