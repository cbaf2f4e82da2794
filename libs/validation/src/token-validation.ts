/** Which kind of issuer a token was trusted as (SPEC 5.6). */
export type TrustKind = 'self' | 'partner' | 'oauth-server';

/** One check of the ordered checklist, for explain mode. */
export interface ValidationCheck {
  check: string;
  passed: boolean;
  detail: string | null;
}

/** The user a token speaks for, when it carries one. */
export interface TokenUser {
  nameid?: string;
  nii?: string;
  sub?: string;
  upn?: string;
  smtp?: string;
  sip?: string;
  sid?: string;
}

/** A validated token. */
export interface ValidatedToken {
  /** `via`: for a partner that uses an OAuth server, the server that issued its actor token. */
  trust: { kind: TrustKind; id: string; via?: string };
  /** The calling application: client id (self), actor `nameid` principal (partner). */
  appId: string | null;
  roles: string[];
  scopes: string[];
  user: TokenUser | null;
  /** The (actor) token's claims; for an actor + outer pair, the outer token's too. */
  claims: Record<string, unknown>;
  outerClaims: Record<string, unknown> | null;
  expiresAt: Date;
}

/** What explain mode reports besides the verdict. */
export interface ValidationTrace {
  checks: ValidationCheck[];
  key: { id: string; found: boolean; source: string } | null;
  issuerMetadataFetchedAt: Date | null;
  clockDifferenceSeconds: number | null;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
}

/** The result of a validation: the token, or the failed rule's reason code. */
export type ValidationOutcome =
  | { valid: true; token: ValidatedToken; trace: ValidationTrace }
  | { valid: false; reason: string; message: string; trace: ValidationTrace };

/** A failed rule: `reason` is the machine-readable code (SPEC 5.6: each check its own). */
export class TokenRejectedError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}
