import { readNumericDate } from '@s2s/jwt';
import type { UserIdentity } from './access-token.claims.js';

/** Longest actor token lifetime ever issued (SPEC 4.1: 12 h default, never above 24 h). */
export const MAX_ACTOR_TOKEN_SECONDS = 86_400;

/** Who an S2S actor token is for: the partner's principal, its host authority and realm. */
export interface S2sAudience {
  principalId: string;
  hostAuthority: string;
  realm: string;
}

export interface ActorTokenInput {
  /** This service's principal (the OAuth configuration's service name). */
  serviceName: string;
  /** The calling application's principal id (`nameid`). */
  clientPrincipalId: string;
  audience: S2sAudience;
  now: Date;
  lifetimeSeconds: number;
  /** True when an outer token carrying a user will wrap this actor token. */
  delegation: boolean;
}

/** `<principal>/<host>@<realm>`, lowercase (MS-SPS2SAUTH). */
export function s2sAudience(audience: S2sAudience): string {
  return `${audience.principalId}/${audience.hostAuthority}@${audience.realm}`.toLowerCase();
}

/**
 * Claims of a Microsoft S2S actor token (SPEC 4.1, ms-s2s research 1.2): `aud` =
 * `<target>/<host>@<realm>`, `iss` = `<serviceName>@<realm>`, `nameid` = `<client>@<realm>`, `nbf`,
 * `exp` (Unix seconds, lifetime capped at 24 h), and `trustedfordelegation: "true"` only on tokens
 * that will carry a user. All values lowercase.
 */
export function buildActorTokenClaims(input: ActorTokenInput): Record<string, unknown> {
  const nbf = Math.floor(input.now.getTime() / 1000);
  const realm = input.audience.realm.toLowerCase();
  return {
    aud: s2sAudience(input.audience),
    iss: `${input.serviceName}@${realm}`.toLowerCase(),
    nameid: `${input.clientPrincipalId}@${realm}`.toLowerCase(),
    nbf,
    exp: nbf + Math.min(input.lifetimeSeconds, MAX_ACTOR_TOKEN_SECONDS),
    ...(input.delegation ? { trustedfordelegation: 'true' } : {}),
  };
}

/** The user of an outer token: `nameid` + `nii` (e.g. a SID under `urn:office:idp:activedirectory`) and the addresses. */
export interface OuterTokenUser extends UserIdentity {
  nameid: string;
  nii: string;
}

/**
 * Claims of the unsigned outer token (SPEC 4.1, ms-s2s research 1.3): `aud` (= the actor's),
 * `iss` (= the actor's `nameid`, exactly), `nbf`, `exp` (minutes, never after the actor's `exp`:
 * receivers refuse an outer token that outlives its actor token), `actortoken` (the compact actor
 * token) and the user. The actor's `exp` may be a number or a decimal string (a broker's token).
 */
export function buildOuterTokenClaims(input: { actorToken: string; actorClaims: Record<string, unknown>; user: OuterTokenUser; now: Date; lifetimeSeconds: number }): Record<string, unknown> {
  const nbf = Math.floor(input.now.getTime() / 1000);
  const actorExp = readNumericDate(input.actorClaims.exp, 'ms-s2s');
  const claims: Record<string, unknown> = {
    aud: input.actorClaims.aud,
    iss: input.actorClaims.nameid,
    nbf,
    exp: typeof actorExp === 'number' ? Math.min(nbf + input.lifetimeSeconds, actorExp) : nbf + input.lifetimeSeconds,
    actortoken: input.actorToken,
    nameid: input.user.nameid,
    nii: input.user.nii,
  };
  for (const name of ['upn', 'smtp', 'sip'] as const) if (input.user[name] !== undefined) claims[name] = input.user[name];
  return claims;
}
