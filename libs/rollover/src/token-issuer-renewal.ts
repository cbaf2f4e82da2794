/** One automatic renewal of a token-issuer certificate (issue 16), done once per certificate renewed. */
export interface TokenIssuerRenewal {
  /** SHA-1 thumbprint of the certificate being renewed (the current one when renewal started). */
  renewsThumbprint: string;
  mode: 'self-signed' | 'csr';
  /** csr mode: the certificate request waiting for the CA's certificate. */
  requestId: string | null;
  /** The successor once it exists. */
  successorThumbprint: string | null;
  startedAt: Date;
  /** When the successor was staged as next. */
  stagedAt: Date | null;
}

/** Storage port of automatic renewals (implemented by the persistence library). */
export abstract class TokenIssuerRenewalRepository {
  abstract find(renewsThumbprint: string): Promise<TokenIssuerRenewal | null>;
  abstract save(renewal: TokenIssuerRenewal): Promise<void>;
}
