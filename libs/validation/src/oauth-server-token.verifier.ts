import { Injectable } from '@nestjs/common';
import { JWS_ALGORITHMS, type JwsAlgorithm, keyFitsAlgorithm } from '@s2s/crypto';
import { type JwtClaimError, jwtClaimsPolicy, type JwtClaimsPolicy, type ParsedJwt } from '@s2s/jwt';
import { type OAuthConfiguration, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { type CachedOAuthServer, isIssuerTemplate, OAuthServerDirectory, TENANT_PLACEHOLDER } from '@s2s/oauth-servers';
import { MAX_ACTOR_LIFETIME_SECONDS } from './partner-token.verifier.js';
import type { ValidatedToken } from './token-validation.js';
import { applyClaimsPolicy, type Attempt, commonClaimMessage, KeyRefreshNeeded, pickUser, signatureVerifies } from './validation.attempt.js';
import { ACCESS_TOKEN_CLAIMS } from './validation.checklist.js';

/** What the claims step of one server's tokens needs: its policy, and the server for the wording. */
interface ServerClaims {
  readonly configuration: OAuthConfiguration;
  readonly policy: JwtClaimsPolicy;
  readonly server: CachedOAuthServer['server'];
}

/** The server's key named by `kid` (else `x5t`); with neither, its only key. */
export function serverKey(keys: CachedOAuthServer['keys'], kid: string | null, x5t: string | null): CachedOAuthServer['keys'][number] | undefined {
  if (kid === null && x5t === null) return keys.length === 1 ? keys[0] : undefined;
  for (const candidate of keys) if (kid !== null ? candidate.kid === kid : candidate.x5t === x5t) return candidate;
  return undefined;
}

/**
 * A multi-tenant server's token: its `tid` is one of the allowed tenants (or the operator allowed
 * any), and fills the issuer template to exactly the token's `iss` (so a token of tenant A cannot
 * claim tenant B).
 */
function checkTemplateTenant(attempt: Attempt, server: CachedOAuthServer['server'], claims: Record<string, unknown>): void {
  const { checklist } = attempt;
  const tid = claims.tid;
  if (typeof tid !== 'string' || tid === '') return checklist.fail('tenant', 'tenant_missing', 'a token of a multi-tenant issuer must carry its tenant (tid)');
  if (!server.allowAnyTenant && !server.allowedTenants.includes(tid)) checklist.fail('tenant', 'tenant_not_allowed', `tenant ${tid} is not one of the tenants OAuth server ${server.identity} accepts`);
  if (claims.iss !== server.issuer.replace(TENANT_PLACEHOLDER, tid)) checklist.fail('tenant', 'issuer_tenant_mismatch', `the issuer ${String(claims.iss)} is not the issuer of tenant ${tid}`);
  checklist.pass('tenant', tid);
}

/** Built here, not inline, so that the caller captures nothing (no context allocated per token). */
export function refreshServer(servers: OAuthServerDirectory, identity: string): KeyRefreshNeeded {
  return new KeyRefreshNeeded(() => servers.refreshForUnknownKey(identity));
}

function serverClaimMessage(error: JwtClaimError, claims: Record<string, unknown>, context: ServerClaims): string {
  if (error.code === 'audience_invalid') return `the audience is not one of ${context.server.audiences.join(', ')}`;
  if (error.code === 'lifetime_too_long') return 'the token is valid for more than 24 h';
  return commonClaimMessage(error, claims, context.policy);
}

/**
 * Tokens of a registered external authorization server (SPEC 5.6 third issuer class; Entra ID,
 * ADFS, another s2s-trust): enabled, algorithm RS256/PS256/ES256 fitting the key, the key among the
 * server's own by `kid` (else `x5t`, else its only key), then the claims policy: one of the
 * server's audiences (a string or an array of strings), JSON-number dates, the clock skew, at most
 * 24 h from `iat` (else `nbf`); then tenant, application, object id and role.
 */
@Injectable()
export class OAuthServerTokenVerifier {
  /** Per server (its registered audiences) and configuration (the skew); rebuilt when either changes. */
  private readonly policies = new WeakMap<CachedOAuthServer, ServerClaims>();

  constructor(
    private readonly oauthServers: OAuthServerDirectory,
    private readonly oauthConfiguration: OAuthConfigurationService,
  ) {}

  verify(jwt: ParsedJwt, registered: CachedOAuthServer, attempt: Attempt): ValidatedToken {
    const { checklist, trace } = attempt;
    const { server } = registered;
    trace.issuerMetadataFetchedAt = server.metadataStatus.lastSuccessAt;
    if (!server.enabled) checklist.fail('oauth-server-enabled', 'oauth_server_disabled', `OAuth server ${server.identity} is disabled`);
    checklist.pass('oauth-server-enabled');
    const algorithm = jwt.header.alg as JwsAlgorithm;
    if (!JWS_ALGORITHMS.includes(algorithm)) checklist.fail('algorithm', 'alg_not_allowed', `alg ${String(jwt.header.alg)} is not allowed (RS256, PS256, ES256)`);
    checklist.pass('algorithm');
    const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : null;
    const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : null;
    const key = serverKey(registered.keys, kid, x5t);
    if (!key && attempt.mayRefresh) throw refreshServer(this.oauthServers, server.identity);
    trace.key = { id: kid ?? x5t ?? '(none)', found: key !== undefined, source: `OAuth server ${server.identity} ${server.type === 'oidc' ? 'JWKS' : 'metadata'}` };
    if (!key) return checklist.fail('key', 'key_unknown', `OAuth server ${server.identity} has no key ${kid ?? x5t ?? '(no kid)'}`);
    const keyFits = (key.alg === null || key.alg === algorithm) && keyFitsAlgorithm(algorithm, key.publicKey);
    if (!keyFits) checklist.fail('key', 'alg_key_mismatch', `the key cannot be used with ${algorithm}`);
    checklist.pass('key');
    checklist.require(signatureVerifies(attempt, algorithm, jwt, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify');
    const serverClaims = this.claimsOf(registered);
    const exp = applyClaimsPolicy(attempt, jwt, serverClaims.policy, ACCESS_TOKEN_CLAIMS, serverClaimMessage, serverClaims, true);
    const claims = jwt.payload;
    if (server.tenantId !== null) {
      if (claims.tid !== server.tenantId) checklist.fail('tenant', 'tenant_mismatch', `the token's tenant is not ${server.tenantId}`);
      checklist.pass('tenant');
    } else if (isIssuerTemplate(server.issuer)) {
      checkTemplateTenant(attempt, server, claims);
    }
    const appId = [claims.appid, claims.azp, claims.client_id].find((value): value is string => typeof value === 'string') ?? null;
    if (server.allowedApplicationIds.length) {
      if (appId === null || !server.allowedApplicationIds.includes(appId)) checklist.fail('application', 'application_not_allowed', `application ${appId ?? '(none)'} is not allowed`);
      checklist.pass('application');
    }
    if (server.allowedObjectIds.length) {
      if (typeof claims.oid !== 'string' || !server.allowedObjectIds.includes(claims.oid)) checklist.fail('object', 'object_not_allowed', `object id ${String(claims.oid ?? '(none)')} is not allowed`);
      checklist.pass('object');
    }
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
    if (server.requiredRole !== null) {
      if (!roles.includes(server.requiredRole)) checklist.fail('role', 'role_missing', `the token lacks the role ${server.requiredRole}`);
      checklist.pass('role');
    }
    const scope = typeof claims.scp === 'string' ? claims.scp : typeof claims.scope === 'string' ? claims.scope : '';
    // Entra says which it is (`idtyp`: `app` or `user`); without it, a `sub` other than the application names a user.
    const user = claims.idtyp === 'user' || (claims.idtyp !== 'app' && typeof claims.sub === 'string' && appId !== null && claims.sub !== appId) ? pickUser(claims) : null;
    return {
      trust: { kind: 'oauth-server', id: server.identity },
      appId,
      roles,
      scopes: scope.split(' ').filter(Boolean),
      user,
      claims,
      outerClaims: null,
      expiresAt: new Date(exp * 1000),
    };
  }

  private claimsOf(registered: CachedOAuthServer): ServerClaims {
    const configuration = this.oauthConfiguration.cached();
    const known = this.policies.get(registered);
    if (known !== undefined && known.configuration === configuration && known.server === registered.server) return known;
    const policy = jwtClaimsPolicy({
      audience: registered.server.audiences,
      audienceArrays: true,
      numericDate: 'rfc7519',
      clockTolerance: configuration.clockSkewSeconds,
      maxLifetime: MAX_ACTOR_LIFETIME_SECONDS,
      lifetimeFrom: 'iat-or-nbf',
    });
    const made: ServerClaims = { configuration, policy, server: registered.server };
    this.policies.set(registered, made);
    return made;
  }
}
