import { randomUUID } from 'node:crypto';

/** The user a delegated token is about (MS S2S user parameters). */
export interface UserIdentity {
  upn?: string;
  smtp?: string;
  sip?: string;
  sid?: string;
}

export interface AccessTokenInput {
  issuer: string;
  audience: string;
  clientId: string;
  /** The client credential that obtained the token (`cred`): the validator refuses the token once it is gone. */
  credentialId: string;
  realm: string;
  now: Date;
  lifetimeSeconds: number;
  /** App roles (app tokens). */
  roles?: string[];
  /** Delegated scopes (user tokens). */
  scopes?: string[];
  /** Present for user (delegated) tokens. */
  user?: { sub: string } & UserIdentity;
  /** RFC 8693 4.1 actor chain. */
  act?: Record<string, unknown>;
}

/**
 * Claims of an RFC 9068 access token (SPEC 4.2): `iss`, `aud`, `sub`, `client_id`, `azp`,
 * `appid`, `tid`, `roles` (app tokens), `scp` (delegated tokens), `idtyp`, `iat`, `nbf`, `exp`,
 * `jti`, `cred` (which credential of the client obtained it, so the token follows that credential:
 * see the revocation library's `TokenStanding`), plus the user's identifiers and `act` on delegated tokens.
 */
export function buildAccessTokenClaims(input: AccessTokenInput): Record<string, unknown> {
  const iat = Math.floor(input.now.getTime() / 1000);
  const claims: Record<string, unknown> = {
    iss: input.issuer,
    aud: input.audience,
    sub: input.user ? input.user.sub : input.clientId,
    client_id: input.clientId,
    azp: input.clientId,
    appid: input.clientId,
    tid: input.realm,
    idtyp: input.user ? 'user' : 'app',
    iat,
    nbf: iat,
    exp: iat + input.lifetimeSeconds,
    jti: randomUUID(),
    cred: input.credentialId,
  };
  if (input.roles?.length) claims.roles = input.roles;
  if (input.scopes?.length) claims.scp = input.scopes.join(' ');
  if (input.user) {
    for (const name of ['upn', 'smtp', 'sip', 'sid'] as const) if (input.user[name] !== undefined) claims[name] = input.user[name];
  }
  if (input.act) claims.act = input.act;
  return claims;
}
