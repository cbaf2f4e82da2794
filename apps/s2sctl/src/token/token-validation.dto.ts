/**
 * The admin API's token check, `POST /admin/v1/tokens/validate`: the server validates a token the
 * way its protected endpoints would (signature, issuer trust, audience, lifetime, ...) and reports
 * every check. Unlike `token decode`, this verifies; it needs the admin key.
 */

/** Body of POST /tokens/validate. */
export interface TokenValidationBody {
  readonly token: string;
  /** The audience to check the token against (default: chosen by the server). */
  readonly audience?: string;
}

/** Who the token was trusted as: this service itself, a partner application, or an OAuth server. */
export interface TokenTrust {
  readonly kind: 'self' | 'partner' | 'oauth-server';
  readonly id: string;
  /** For a partner that uses an OAuth server (ACS / Entra): the server that issued its actor token. */
  readonly via?: string;
}

/** One validation step, in the order the server ran them. */
export interface TokenCheck {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string | null;
}

/** The signing key the token named, and where the server looked it up. */
export interface TokenKey {
  readonly id: string;
  readonly found: boolean;
  readonly source: string;
}

/** Body of the 200 answer, valid or not; printed as-is with `-o json`. */
export interface TokenValidationResult {
  readonly valid: boolean;
  /** Machine-readable reason when invalid, e.g. `signature_invalid`. */
  readonly reason: string | null;
  readonly message: string | null;
  readonly trust: TokenTrust | null;
  readonly appId: string | null;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly user: Readonly<Record<string, unknown>> | null;
  readonly checks: readonly TokenCheck[];
  readonly key: TokenKey | null;
  readonly issuerMetadataFetchedAt: string | null;
  readonly clockDifferenceSeconds: number | null;
  readonly header: Readonly<Record<string, unknown>> | null;
  readonly claims: Readonly<Record<string, unknown>> | null;
}

/** Path of the endpoint, relative to /admin/v1. */
export const TOKEN_VALIDATION_PATH = '/tokens/validate';
