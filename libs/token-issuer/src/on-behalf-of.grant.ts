import { Injectable } from '@nestjs/common';
import { issuerKeyIdOf, TokenIssuerKeyRing } from '@s2s/certificates';
import { type CachedClient, ClientDirectory } from '@s2s/clients';
import { Clock } from '@s2s/core';
import { verifyJws } from '@s2s/crypto';
import { accessTokenPolicy, checkJwtClaims, JwtClaimError, JwtFormatError, parseCompactJwt, type ParsedJwt } from '@s2s/jwt';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OAuthServerDirectory } from '@s2s/oauth-servers';
import { TokenValidator } from '@s2s/validation';
import { InvalidGrantError, InvalidRequestError, InvalidScopeError, type TokenRequestParameters } from '@s2s/oauth-wire';
import { TokenStanding } from '@s2s/revocation';
import { buildAccessTokenClaims, type UserIdentity } from './access-token.claims.js';
import type { GrantResult, IssuerEndpoints } from './token-response.js';
import { TokenSigner } from './token.signer.js';
import { TokenTargetResolver } from './token-target.resolver.js';

/**
 * On-behalf-of (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
 * `requested_token_use=on_behalf_of`): a middle-tier client exchanges a user token issued by this
 * service for itself (its `aud` is the client, or an API the client serves) for a delegated token to
 * a downstream resource. The scopes are the intersection of those requested and those granted to
 * the client; the client joins the actor chain (`act`, RFC 8693 4.1), which is never dropped.
 * Unsigned, foreign or app-only assertions are refused (security catalogue G16-G18), and so is one
 * that no longer stands (revoked, its client or credential gone: `TokenStanding`).
 * Unsigned, foreign or app-only assertions are refused (security catalogue G16-G18). A user token
 * of a registered OAuth server (Entra, ADFS, …) is accepted too when the validator accepts it under
 * that server's policy (tenant, allowed applications and objects, role, audiences) and its audience
 * is this client or an API it serves (issue 21).
 */
@Injectable()
export class OnBehalfOfGrant {
  constructor(
    private readonly targets: TokenTargetResolver,
    private readonly signer: TokenSigner,
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly directory: ClientDirectory,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
    private readonly standing: TokenStanding,
    private readonly oauthServers: OAuthServerDirectory,
    private readonly validator: TokenValidator,
  ) {}

  /** `credentialId`: the credential the client authenticated with, recorded in the token (`cred`). */
  async handle(client: CachedClient, credentialId: string, parameters: TokenRequestParameters, endpoints: IssuerEndpoints): Promise<GrantResult> {
    if (parameters.get('requested_token_use') !== 'on_behalf_of') {
      throw new InvalidRequestError('requested_token_use must be on_behalf_of', 'requested_token_use_invalid');
    }
    const assertion = await this.verifiedAssertion(parameters.get('assertion'), client, endpoints.issuer);
    const { resource, requestedScopes } = this.targets.resolve(parameters.get('resource'), parameters.get('scope'), { allowNamedScopes: true });
    const granted = client.scopes.get(resource.id) ?? new Set<string>();
    const scopes = (requestedScopes ?? [...granted]).filter((scope) => granted.has(scope)).sort();
    if (scopes.length === 0) throw new InvalidScopeError(`none of the requested scopes of ${resource.appIdUri} is granted to this client`, 'no_scope_granted');

    const payload = assertion.payload;
    const user: { sub: string } & UserIdentity = { sub: payload.sub as string };
    for (const name of ['upn', 'smtp', 'sip', 'sid'] as const) if (typeof payload[name] === 'string') user[name] = payload[name] as string;
    const act = { sub: client.client.clientId, ...(isObject(payload.act) ? { act: payload.act } : {}) };
    const lifetimeSeconds = this.oauthConfiguration.cached().accessTokenLifetimeSeconds;
    const key = this.signer.keyFor(client.client.realm);
    const claims = buildAccessTokenClaims({
      issuer: endpoints.issuer,
      audience: resource.appIdUri,
      clientId: client.client.clientId,
      credentialId,
      realm: client.client.realm,
      now: this.clock.now(),
      lifetimeSeconds,
      scopes,
      user,
      act,
    });
    const token = await this.signer.sign(key, 'at+jwt', claims);
    return { kind: 'user', response: { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds, scope: scopes.map((s) => `${resource.appIdUri}/${s}`).join(' ') } };
  }

  /**
   * The user token, checked as the validator checks this service's own tokens (SPEC 5.6): RS256,
   * the key named by `kid` (else `x5t`) among our published keys (the key ring's one rule), the
   * signature; a user token (`idtyp: user`, a `sub`); then the claims policy of our access tokens
   * (`accessTokenPolicy`: `typ: at+jwt`, our issuer, JSON-number dates, `exp`/`nbf`/`iat` within the
   * configured skew, at most 24 h from `iat` else `nbf`) with this client as the audience; finally the client's realm.
   */
  private async verifiedAssertion(assertion: string | undefined, client: CachedClient, issuer: string): Promise<ParsedJwt> {
    if (assertion === undefined) throw new InvalidRequestError('assertion is required', 'assertion_missing');
    let jwt: ParsedJwt;
    try {
      jwt = parseCompactJwt(assertion);
    } catch (error) {
      if (error instanceof JwtFormatError) throw new InvalidGrantError(error.reason === 'unsigned_token' ? 'unsigned assertions are not accepted' : 'the assertion is malformed', `assertion_${error.reason}`);
      throw error;
    }
    const iss = jwt.payload.iss;
    if (iss !== issuer && typeof iss === 'string' && this.oauthServers.byIssuerName(iss) !== undefined) return this.externalUserAssertion(assertion, jwt, client);
    const now = this.clock.now();
    if (jwt.header.alg !== 'RS256') throw new InvalidGrantError('the assertion is not a token of this issuer', 'assertion_alg_not_allowed');
    const key = this.keyRing.publishedKey(issuerKeyIdOf(jwt.header), now);
    if (!key) throw new InvalidGrantError('the assertion is not a token of this issuer', 'assertion_key_unknown');
    if (!verifyJws('RS256', jwt.signingInput, jwt.signature, key.publicKey)) throw new InvalidGrantError('the assertion signature is invalid', 'assertion_signature_invalid');
    const { idtyp, sub, tid } = jwt.payload;
    if (idtyp !== 'user' || typeof sub !== 'string') throw new InvalidGrantError('the assertion is not a user token', 'assertion_not_user_token');
    const policy = accessTokenPolicy({ issuer, audience: (aud) => this.isAudienceOf(aud, client), clockTolerance: this.oauthConfiguration.cached().clockSkewSeconds });
    try {
      checkJwtClaims(jwt.header, jwt.payload, policy, now.getTime() / 1000);
    } catch (error) {
      if (error instanceof JwtClaimError) throw onBehalfOfRefusal(error);
      throw error;
    }
    if (tid !== client.client.realm) throw new InvalidGrantError('the assertion is from another realm', 'assertion_realm_mismatch');
    // Still standing (issue 17): the validator's one rule; its reason code as it is (`token_revoked`, `client_disabled`, …).
    const refusal = this.standing.refusal('self', issuer, jwt.payload, now);
    if (refusal) throw new InvalidGrantError(`the assertion is no longer valid: ${refusal.message}`, refusal.reason);
    return jwt;
  }

  /**
   * A user token of a registered OAuth server: the one validator decides it (the server's key,
   * algorithm, times, tenant, applications, objects, role and audiences); it must name a user, and
   * one of its audiences must be this client or an API it serves. Refusals carry the validator's
   * reason as `assertion_<reason>`.
   */
  private async externalUserAssertion(assertion: string, jwt: ParsedJwt, client: CachedClient): Promise<ParsedJwt> {
    const outcome = await this.validator.validate(assertion);
    if (!outcome.valid) throw new InvalidGrantError(`the assertion is not accepted: ${outcome.message}`, `assertion_${outcome.reason}`);
    const { token } = outcome;
    if (token.trust.kind !== 'oauth-server' || token.user === null || typeof jwt.payload.sub !== 'string') {
      throw new InvalidGrantError('the assertion is not a user token', 'assertion_not_user_token');
    }
    const aud = jwt.payload.aud;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.some((entry) => typeof entry === 'string' && this.isAudienceOf(entry, client))) {
      throw new InvalidGrantError('the assertion was not issued to this client', 'assertion_audience_mismatch');
    }
    return jwt;
  }

  /** The client itself, or an API it serves (resource whose `clientId` is this client). */
  private isAudienceOf(audience: string, client: CachedClient): boolean {
    if (audience.toLowerCase() === client.client.clientId) return true;
    return this.directory.resourceByAppIdUri(audience)?.clientId === client.client.clientId;
  }
}

/** The error this grant has always answered for each refusal of the claims policy. */
function onBehalfOfRefusal(error: JwtClaimError): InvalidGrantError {
  switch (error.code) {
    case 'token_type_invalid':
      return new InvalidGrantError('the assertion is not a user token', 'assertion_not_user_token');
    case 'issuer_invalid':
      return new InvalidGrantError('the assertion is not a token of this issuer', 'assertion_issuer_mismatch');
    case 'audience_invalid':
      return new InvalidGrantError('the assertion was not issued to this client', 'assertion_audience_mismatch');
    case 'token_not_yet_valid':
    case 'issued_in_future':
      return new InvalidGrantError('the assertion is not valid yet', 'assertion_not_yet_valid');
    case 'lifetime_too_long':
      // Longer than this service ever issues (24 h, accessTokenPolicy): the public text says no more than for a malformed one.
      return new InvalidGrantError('the assertion is malformed', 'assertion_lifetime_too_long');
    case 'claim_malformed':
      // A non-numeric exp was always "expired"; a malformed nbf or iat is refused since the shared policy.
      if (error.claim !== 'exp') return new InvalidGrantError('the assertion is malformed', 'assertion_claim_malformed');
      return new InvalidGrantError('the assertion has expired', 'assertion_expired');
    default:
      // exp_missing, token_expired.
      return new InvalidGrantError('the assertion has expired', 'assertion_expired');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
