import { Injectable } from '@nestjs/common';
import { TokenIssuerKeyRing } from '@s2s/certificates';
import { ClientDirectory } from '@s2s/clients';
import { AppConfig } from '@s2s/config';
import { CacheFreshness, cachesTooStale, Clock, isLowercaseGuid } from '@s2s/core';
import { JWS_ALGORITHMS, type JwsAlgorithm, keyFitsAlgorithm, verifyJws } from '@s2s/crypto';
import { JwtFormatError, parseCompactJwt, type ParsedJwt } from '@s2s/jwt';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { type CachedOAuthServer, OAuthServerDirectory } from '@s2s/oauth-servers';
import { allowsAppOnly, allowsUsers, type CachedPartner, PartnerDirectory } from '@s2s/partners';
import { TokenRejectedError, type TokenUser, type ValidatedToken, type ValidationOutcome, type ValidationTrace } from './token-validation.js';
import { msNumericDate, numericDate, ValidationChecklist } from './validation.checklist.js';
import { ValidationMetrics } from './validation.metrics.js';

/** Longest lifetime accepted for an S2S actor token (SPEC 4.1: never above 24 h). */
export const MAX_ACTOR_LIFETIME_SECONDS = 86_400;
const X5T = /^[A-Za-z0-9_-]{27}$/;
const USER_CLAIMS = ['upn', 'smtp', 'sip', 'nii', 'sid', 'actortoken'] as const;
const AD_IDENTITY_PROVIDER = 'urn:office:idp:activedirectory';

export interface ValidateOptions {
  /** For this service's own tokens: the audience the caller expects (else any registered resource). */
  audience?: string;
  /** Record every passed check in the trace (explain mode); otherwise only the failing one. */
  explain?: boolean;
}

/**
 * One validator, three issuer classes (SPEC 5.6): this service (its own published certificates),
 * registered OAuth servers (by exact issuer), partners (MS S2S actor tokens and actor + outer
 * pairs). The
 * strict pre-parser runs first and its one parse is shared by routing and verification; keys come
 * only from our registry, chosen by issuer first, then `x5t`/`kid`; the algorithm is pinned per
 * issuer; each failed rule has its own reason code; explain mode returns every check.
 * Reads nothing from the database.
 */
@Injectable()
export class TokenValidator {
  private readonly issuer: string;
  private readonly publicHost: string;
  private readonly publicHostWithoutPort: string;
  private readonly outageToleranceSeconds: number;

  constructor(
    config: AppConfig,
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly partners: PartnerDirectory,
    private readonly clients: ClientDirectory,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
    private readonly oauthServers: OAuthServerDirectory,
    private readonly metrics: ValidationMetrics,
    private readonly freshness: CacheFreshness,
  ) {
    this.outageToleranceSeconds = config.databaseOutageToleranceSeconds;
    this.issuer = config.publicUrl.replace(/\/+$/, '');
    this.publicHost = new URL(config.publicUrl).host.toLowerCase();
    this.publicHostWithoutPort = this.publicHost.replace(/:\d+$/, '');
  }

  async validate(token: unknown, options: ValidateOptions = {}): Promise<ValidationOutcome> {
    const checklist = new ValidationChecklist(options.explain === true);
    const trace: ValidationTrace = { checks: checklist.checks, key: null, issuerMetadataFetchedAt: null, clockDifferenceSeconds: null, header: null, claims: null };
    try {
      const validated = await this.run(token, options, checklist, trace);
      this.metrics.countValid(validated.trust.kind);
      return { valid: true, token: validated, trace };
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      this.metrics.validated.inc({ result: 'invalid', trust: 'none', reason: error.reason });
      return { valid: false, reason: error.reason, message: error.message, trace };
    }
  }

  private async run(token: unknown, options: ValidateOptions, checklist: ValidationChecklist, trace: ValidationTrace): Promise<ValidatedToken> {
    // SPEC 8: keys, partners and servers come from memory; after the tolerated database outage, fail closed.
    if (cachesTooStale(this.freshness, this.clock.now(), this.outageToleranceSeconds)) {
      checklist.fail('cache-freshness', 'database_unavailable', 'the database has been unreachable for too long to trust the cached trust configuration');
    }
    const jwt = this.preParse(token, checklist, true);
    trace.header = jwt.header;
    trace.claims = jwt.payload;
    if (jwt.header.alg === 'none') return this.outerPair(jwt, checklist, trace);
    const iss = jwt.payload.iss;
    if (iss === this.issuer) {
      checklist.pass('issuer-class', 'this service');
      return this.selfToken(jwt, options, checklist, trace);
    }
    const server = typeof iss === 'string' ? this.oauthServers.byIssuerName(iss) : undefined;
    if (server) {
      checklist.pass('issuer-class', () => `OAuth server ${server.server.identity}`);
      return this.oauthServerToken(jwt, server, checklist, trace);
    }
    if (typeof iss === 'string' && iss.includes('@')) {
      checklist.pass('issuer-class', 'partner (S2S actor token)');
      const { token: actor } = await this.actorToken(jwt, checklist, trace, { delegation: false });
      return actor;
    }
    return checklist.fail('issuer-class', 'issuer_untrusted', `no trusted issuer is registered for ${typeof iss === 'string' ? iss : 'this token'}`);
  }

  private preParse(token: unknown, checklist: ValidationChecklist, allowUnsigned: boolean): ParsedJwt {
    try {
      const jwt = parseCompactJwt(token, { allowUnsigned });
      checklist.pass('format', 'compact JWS, canonical base64url, strict JSON');
      return jwt;
    } catch (error) {
      if (error instanceof JwtFormatError) return checklist.fail('format', error.reason, error.message);
      throw error;
    }
  }

  /** This service's RFC 9068 tokens. */
  private selfToken(jwt: ParsedJwt, options: ValidateOptions, checklist: ValidationChecklist, trace: ValidationTrace): ValidatedToken {
    const now = this.clock.now();
    checklist.require(jwt.header.alg === 'RS256', 'algorithm', 'alg_not_allowed', () => `alg ${String(jwt.header.alg)} is not allowed for this issuer (RS256 only)`);
    checklist.require(jwt.header.typ === 'at+jwt', 'token-type', 'token_type_invalid', 'not an access token (typ must be at+jwt)');
    const keyId = typeof jwt.header.kid === 'string' ? jwt.header.kid : typeof jwt.header.x5t === 'string' ? jwt.header.x5t : '';
    const key = this.keyRing.published(now).find((candidate) => candidate.x5t === keyId);
    trace.key = { id: keyId, found: key !== undefined, source: 'this service\'s published certificates' };
    if (!key) return checklist.fail('key', 'key_unknown', `no published certificate has x5t ${keyId}`);
    checklist.pass('key', () => `certificate ${key.thumbprint}`);
    checklist.require(verifyJws('RS256', jwt.signingInput, jwt.signature, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify');
    const claims = jwt.payload;
    const aud = claims.aud;
    const audienceOk = typeof aud === 'string' && (options.audience !== undefined ? aud === options.audience : this.clients.resourceByAppIdUri(aud) !== undefined);
    checklist.require(audienceOk, 'audience', 'audience_invalid', () => `the audience ${String(aud)} is not ${options.audience ?? 'a registered resource'}`);
    const { exp } = this.checkTimes(claims, checklist, trace, numericDate);
    const user: TokenUser | null = claims.idtyp === 'user' ? pickUser(claims) : null;
    return {
      trust: { kind: 'self', id: this.issuer },
      appId: typeof claims.client_id === 'string' ? claims.client_id : null,
      roles: Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [],
      scopes: typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [],
      user,
      claims,
      outerClaims: null,
      expiresAt: new Date(exp * 1000),
    };
  }

  /** A token from a registered external authorization server (SPEC 5.6 third issuer class). */
  private async oauthServerToken(jwt: ParsedJwt, registered: CachedOAuthServer, checklist: ValidationChecklist, trace: ValidationTrace): Promise<ValidatedToken> {
    const { server } = registered;
    trace.issuerMetadataFetchedAt = server.metadataStatus.lastSuccessAt;
    checklist.require(server.enabled, 'oauth-server-enabled', 'oauth_server_disabled', () => `OAuth server ${server.identity} is disabled`);
    const algorithm = jwt.header.alg as JwsAlgorithm;
    checklist.require(JWS_ALGORITHMS.includes(algorithm), 'algorithm', 'alg_not_allowed', () => `alg ${String(jwt.header.alg)} is not allowed (RS256, PS256, ES256)`);
    const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : null;
    const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : null;
    const find = (candidate: CachedOAuthServer): CachedOAuthServer['keys'][number] | undefined =>
      kid === null && x5t === null && candidate.keys.length === 1
        ? candidate.keys[0]
        : candidate.keys.find((key) => (kid !== null && key.kid === kid) || (kid === null && x5t !== null && key.x5t === x5t));
    let key = find(registered);
    if (!key && (await this.oauthServers.refreshForUnknownKey(server.identity))) {
      const reloaded = this.oauthServers.byIssuerName(server.issuer);
      key = reloaded ? find(reloaded) : undefined;
    }
    trace.key = { id: kid ?? x5t ?? '(none)', found: key !== undefined, source: `OAuth server ${server.identity} ${server.type === 'oidc' ? 'JWKS' : 'metadata'}` };
    if (!key) return checklist.fail('key', 'key_unknown', `OAuth server ${server.identity} has no key ${kid ?? x5t ?? '(no kid)'}`);
    checklist.require((key.alg === null || key.alg === algorithm) && keyFitsAlgorithm(algorithm, key.publicKey), 'key', 'alg_key_mismatch', () => `the key cannot be used with ${algorithm}`);
    checklist.require(verifyJws(algorithm, jwt.signingInput, jwt.signature, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify');
    const claims = jwt.payload;
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) && claims.aud.every((entry) => typeof entry === 'string') ? (claims.aud as string[]) : [];
    checklist.require(audiences.some((audience) => server.audiences.includes(audience)), 'audience', 'audience_invalid', () => `the audience is not one of ${server.audiences.join(', ')}`);
    const times = this.checkTimes(claims, checklist, trace, numericDate);
    const issued = typeof claims.iat === 'number' ? claims.iat : times.nbf;
    checklist.require(issued === undefined || times.exp - issued <= MAX_ACTOR_LIFETIME_SECONDS, 'lifetime', 'lifetime_too_long', 'the token is valid for more than 24 h');
    if (server.tenantId !== null) checklist.require(claims.tid === server.tenantId, 'tenant', 'tenant_mismatch', () => `the token's tenant is not ${server.tenantId}`);
    const appId = [claims.appid, claims.azp, claims.client_id].find((value): value is string => typeof value === 'string') ?? null;
    if (server.allowedApplicationIds.length) {
      checklist.require(appId !== null && server.allowedApplicationIds.includes(appId), 'application', 'application_not_allowed', () => `application ${appId ?? '(none)'} is not allowed`);
    }
    if (server.allowedObjectIds.length) {
      checklist.require(typeof claims.oid === 'string' && server.allowedObjectIds.includes(claims.oid), 'object', 'object_not_allowed', () => `object id ${String(claims.oid ?? '(none)')} is not allowed`);
    }
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [];
    if (server.requiredRole !== null) checklist.require(roles.includes(server.requiredRole), 'role', 'role_missing', () => `the token lacks the role ${server.requiredRole}`);
    const scope = typeof claims.scp === 'string' ? claims.scp : typeof claims.scope === 'string' ? claims.scope : '';
    const user = claims.idtyp === 'user' || (typeof claims.sub === 'string' && appId !== null && claims.sub !== appId) ? pickUser(claims) : null;
    return {
      trust: { kind: 'oauth-server', id: server.identity },
      appId,
      roles,
      scopes: scope.split(' ').filter(Boolean),
      user,
      claims,
      outerClaims: null,
      expiresAt: new Date(times.exp * 1000),
    };
  }

  /** An unsigned outer token wrapping exactly one signed actor token (SPEC 4.1, security catalogue D). */
  private async outerPair(outer: ParsedJwt, checklist: ValidationChecklist, trace: ValidationTrace): Promise<ValidatedToken> {
    checklist.pass('issuer-class', 'partner (actor + outer token)');
    const actorText = outer.payload.actortoken;
    checklist.require(typeof actorText === 'string', 'actor-token', 'unsigned_token', 'an unsigned token is accepted only as the outer token of a signed actor token');
    const actorJwt = this.preParse(actorText, checklist, true);
    checklist.require(actorJwt.header.alg !== 'none', 'actor-signed', 'actor_unsigned', 'the actor token is unsigned');
    checklist.require(actorJwt.payload.actortoken === undefined, 'nesting', 'nested_outer_token', 'an actor token may not wrap another token');
    trace.header = actorJwt.header;
    trace.claims = actorJwt.payload;
    const { token: actor, partner } = await this.actorToken(actorJwt, checklist, trace, { delegation: true });

    const o = outer.payload;
    checklist.require(o.iss === actor.claims.nameid, 'outer-issuer', 'outer_issuer_mismatch', 'the outer token\'s iss is not the actor token\'s nameid');
    checklist.require(o.aud === actor.claims.aud, 'outer-audience', 'outer_audience_mismatch', 'the outer token\'s aud differs from the actor token\'s');
    const times = this.checkTimes(o, checklist, null, msNumericDate, 'outer-');
    checklist.require(times.exp <= actor.expiresAt.getTime() / 1000, 'outer-lifetime', 'outer_outlives_actor', 'the outer token expires after its actor token');
    checklist.require(actor.claims.trustedfordelegation === 'true', 'delegation-claim', 'delegation_not_trusted', 'the actor token is not trusted for delegation');
    checklist.require(allowsUsers(partner.partner.trustLevel), 'trust-level', 'delegation_not_allowed', () => `partner ${partner.partner.identity} has trust level ${partner.partner.trustLevel}, which does not allow acting for users`);
    const user = pickUser(o);
    checklist.require(typeof user.nameid === 'string', 'user', 'user_missing', 'the outer token names no user (nameid)');
    if (user.nii === AD_IDENTITY_PROVIDER && !partner.partner.acceptSecurityIdentifierInformation) {
      checklist.fail('user-sid', 'sid_not_accepted', `partner ${partner.partner.identity} is not allowed to identify users by SID`);
    }
    // Every address-like identifier must belong to the partner's realm (security catalogue D10).
    const addresses = [user.upn, user.smtp, user.sip?.replace(/^sip:/i, ''), user.nameid?.includes('@') ? user.nameid : undefined];
    for (const address of addresses) {
      if (address !== undefined && !inRealm(address, partner.partner.realm)) {
        checklist.fail('user-realm', 'user_outside_realm', `the user ${address} is outside the partner's realm ${partner.partner.realm}`);
      }
    }
    checklist.pass('user', user.upn ?? user.smtp ?? user.nameid ?? null);
    return { ...actor, user, outerClaims: o, expiresAt: new Date(times.exp * 1000) };
  }

  /** A partner's signed actor token. */
  private async actorToken(
    jwt: ParsedJwt,
    checklist: ValidationChecklist,
    trace: ValidationTrace,
    mode: { delegation: boolean },
  ): Promise<{ token: ValidatedToken; partner: CachedPartner }> {
    const now = this.clock.now();
    const claims = jwt.payload;
    checklist.require(jwt.header.alg === 'RS256', 'algorithm', 'alg_not_allowed', () => `alg ${String(jwt.header.alg)} is not allowed for partners (RS256 only)`);
    // MS S2S actor tokens are typ JWT (SPEC 4.1); anything else is another kind of token.
    checklist.require(jwt.header.typ === undefined || jwt.header.typ === 'JWT', 'token-type', 'token_type_invalid', 'an S2S actor token has typ JWT');
    const iss = claims.iss;
    if (typeof iss !== 'string' || iss.lastIndexOf('@') <= 0) return checklist.fail('issuer', 'issuer_untrusted', 'the actor token names no issuer');
    const at = iss.lastIndexOf('@');
    const principal = iss.slice(0, at);
    const realm = iss.slice(at + 1);
    const partner = isLowercaseGuid(principal) ? this.partners.byPrincipal(principal, realm) : undefined;
    if (!partner) return checklist.fail('issuer', 'issuer_untrusted', `${iss} is not a registered partner application`);
    checklist.pass('issuer', () => `partner ${partner.partner.identity}`);
    trace.issuerMetadataFetchedAt = partner.partner.metadataStatus.lastSuccessAt;
    checklist.require(partner.partner.enabled, 'partner-enabled', 'partner_disabled', () => `partner ${partner.partner.identity} is disabled`);

    const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : typeof jwt.header.kid === 'string' ? jwt.header.kid : '';
    if (!X5T.test(x5t)) return checklist.fail('key', 'key_unknown', 'the token names no valid x5t');
    let cached = partner;
    if (!cached.keys.has(x5t) && (await this.partners.refreshForUnknownKey(partner.partner.identity))) {
      cached = this.partners.find(partner.partner.identity) ?? partner;
    }
    const key = cached.keys.get(x5t);
    trace.key = { id: x5t, found: key !== undefined, source: `partner ${partner.partner.identity} ${partner.partner.metadataUrl ? 'metadata' : 'pinned certificates'}` };
    trace.issuerMetadataFetchedAt = cached.partner.metadataStatus.lastSuccessAt;
    if (!key) return checklist.fail('key', 'key_unknown', `partner ${partner.partner.identity} has no key with x5t ${x5t}`);
    const skew = this.oauthConfiguration.cached().clockSkewSeconds * 1000;
    checklist.require(key.notBefore.getTime() - skew <= now.getTime() && now.getTime() < key.notAfter.getTime() + skew, 'key-validity', 'key_expired', () => `the partner certificate ${x5t} is outside its validity period`);
    checklist.pass('key', () => `x5t ${x5t}`);
    checklist.require(verifyJws('RS256', jwt.signingInput, jwt.signature, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify with the partner\'s key');

    const configuration = this.oauthConfiguration.cached();
    const aud = claims.aud;
    checklist.require(typeof aud === 'string' && this.isOurAudience(aud, configuration.serviceName, configuration.realm, configuration.publicHost), 'audience', 'audience_invalid', () => `the audience ${String(aud)} is not this service`);
    const times = this.checkTimes(claims, checklist, trace, msNumericDate);
    // nbf is required on S2S tokens (SPEC 4.1): without it the lifetime cap could not apply.
    checklist.require(times.nbf !== undefined, 'not-before', 'nbf_missing', 'the actor token has no nbf');
    checklist.require(times.exp - times.nbf! <= MAX_ACTOR_LIFETIME_SECONDS, 'lifetime', 'lifetime_too_long', 'the actor token is valid for more than 24 h');
    const nameid = claims.nameid;
    const nameidOk = typeof nameid === 'string' && nameid.lastIndexOf('@') > 0 && nameid.slice(nameid.lastIndexOf('@') + 1) === partner.partner.realm;
    checklist.require(nameidOk, 'nameid', 'nameid_invalid', 'nameid must be <application>@<partner realm>');
    checklist.require(!USER_CLAIMS.some((name) => claims[name] !== undefined), 'actor-claims', 'actor_has_user_claims', 'an actor token may not carry user claims');
    if (!mode.delegation) {
      checklist.require(allowsAppOnly(partner.partner.trustLevel), 'trust-level', 'app_only_not_allowed', () => `partner ${partner.partner.identity} has trust level User and may not act as itself`);
    }
    const appId = (nameid as string).slice(0, (nameid as string).lastIndexOf('@'));
    return {
      partner,
      token: {
        trust: { kind: 'partner', id: partner.partner.identity },
        appId,
        roles: [],
        scopes: [],
        user: null,
        claims,
        outerClaims: null,
        expiresAt: new Date(times.exp * 1000),
      },
    };
  }

  /** `<serviceName>/<host>@<realm>`: id and realm exact, host case-insensitive (one of ours). */
  private isOurAudience(aud: string, serviceName: string, realm: string | null, publicHost: string | null): boolean {
    const slash = aud.indexOf('/');
    const at = aud.lastIndexOf('@');
    if (slash <= 0 || at <= slash || realm === null) return false;
    if (aud.slice(0, slash) !== serviceName || aud.slice(at + 1) !== realm) return false;
    const host = aud.slice(slash + 1, at).toLowerCase();
    return host === this.publicHost || host === this.publicHostWithoutPort || (publicHost !== null && host === publicHost.toLowerCase());
  }

  /** `nbf`/`exp` (and `iat`) against the clock with the configured skew. */
  private checkTimes(
    claims: Record<string, unknown>,
    checklist: ValidationChecklist,
    trace: ValidationTrace | null,
    read: (value: unknown) => number | undefined | null,
    prefix = '',
  ): { exp: number; nbf: number | undefined } {
    const now = this.clock.now().getTime() / 1000;
    const skew = this.oauthConfiguration.cached().clockSkewSeconds;
    const exp = read(claims.exp);
    const nbf = read(claims.nbf);
    const iat = read(claims.iat);
    checklist.require(exp !== null && nbf !== null && iat !== null, `${prefix}claim-types`, 'claim_malformed', 'exp, nbf and iat must be NumericDates');
    if (exp === undefined) return checklist.fail(`${prefix}expiry`, 'exp_missing', 'the token has no exp');
    if (trace) trace.clockDifferenceSeconds = Math.round(now - (iat ?? nbf ?? now));
    checklist.require(exp! + skew > now, `${prefix}expiry`, 'token_expired', () => `the token expired at ${new Date(exp! * 1000).toISOString()}`);
    checklist.require((nbf ?? 0) - skew <= now && (iat ?? 0) - skew <= now, `${prefix}not-before`, 'token_not_yet_valid', 'the token is not valid yet');
    return { exp: exp!, nbf: nbf ?? undefined };
  }
}

function pickUser(claims: Record<string, unknown>): TokenUser {
  const user: TokenUser = {};
  for (const name of ['nameid', 'nii', 'sub', 'upn', 'smtp', 'sip', 'sid'] as const) if (typeof claims[name] === 'string') user[name] = claims[name] as string;
  return user;
}

/** `user@domain` within `realm` (equal, or a subdomain); GUID realms accept any domain. */
function inRealm(address: string, realm: string): boolean {
  if (isLowercaseGuid(realm)) return true;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return domain === realm || domain.endsWith(`.${realm}`);
}
