import { Injectable } from '@nestjs/common';
import { TokenIssuerKeyRing } from '@s2s/certificates';
import { ClientDirectory } from '@s2s/clients';
import { AppConfig } from '@s2s/config';
import { CacheFreshness, cachesTooStale, Clock, isLowercaseGuid } from '@s2s/core';
import { JWS_ALGORITHMS, type JwsAlgorithm, keyFitsAlgorithm, verifyJws } from '@s2s/crypto';
import { JwtFormatError, parseCompactJwt, type ParsedJwt } from '@s2s/jwt';
import { type OAuthConfiguration, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { type CachedOAuthServer, OAuthServerDirectory } from '@s2s/oauth-servers';
import { AD_IDENTITY_PROVIDER, allowsAppOnly, allowsUsers, type CachedPartner, PartnerDirectory, USER_IDENTITY_PROVIDERS } from '@s2s/partners';
import { TokenRejectedError, type TokenUser, type ValidatedToken, type ValidationOutcome, type ValidationTrace } from './token-validation.js';
import { msNumericDate, numericDate, ValidationChecklist } from './validation.checklist.js';
import { ValidationMetrics } from './validation.metrics.js';

/** Longest lifetime accepted for an S2S actor token (SPEC 4.1: never above 24 h). */
export const MAX_ACTOR_LIFETIME_SECONDS = 86_400;
const X5T = /^[A-Za-z0-9_-]{27}$/;
/** Claims that name a user (or wrap a token): never in an actor token. Spelled out: one property load each. */
const carriesUserClaims = (claims: Record<string, unknown>): boolean =>
  claims.upn !== undefined || claims.smtp !== undefined || claims.sip !== undefined || claims.nii !== undefined || claims.sid !== undefined || claims.actortoken !== undefined;
const DEFAULT_OPTIONS: ValidateOptions = Object.freeze({});
const UNSIGNED_ALLOWED = Object.freeze({ allowUnsigned: true });

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
  private acceptedAudience: { aud: string | null; configuration: OAuthConfiguration | null } = { aud: null, configuration: null };

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

  /**
   * Validates synchronously from memory; only a token whose key its issuer does not (yet) publish
   * waits, once, for an on-demand metadata refresh, and is then validated again from the start.
   */
  validate(token: unknown, options: ValidateOptions = DEFAULT_OPTIONS): Promise<ValidationOutcome> {
    try {
      return Promise.resolve(this.attempt(token, options, true));
    } catch (signal) {
      if (!(signal instanceof KeyRefreshNeeded)) return Promise.reject(signal);
      return signal.refresh().then(() => this.attempt(token, options, false));
    }
  }

  private attempt(token: unknown, options: ValidateOptions, mayRefresh: boolean): ValidationOutcome {
    const checklist = new ValidationChecklist(options.explain === true);
    const trace: ValidationTrace = { checks: checklist.checks, key: null, issuerMetadataFetchedAt: null, clockDifferenceSeconds: null, header: null, claims: null };
    try {
      const validated = this.run(token, options, { checklist, trace, now: this.clock.now(), mayRefresh });
      this.metrics.countValid(validated.trust.kind);
      return { valid: true, token: validated, trace };
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      this.metrics.validated.inc({ result: 'invalid', trust: 'none', reason: error.reason });
      return { valid: false, reason: error.reason, message: error.message, trace };
    }
  }

  private run(token: unknown, options: ValidateOptions, attempt: Attempt): ValidatedToken {
    const { checklist, trace } = attempt;
    // SPEC 8: keys, partners and servers come from memory; after the tolerated database outage, fail closed.
    if (cachesTooStale(this.freshness, attempt.now, this.outageToleranceSeconds)) {
      checklist.fail('cache-freshness', 'database_unavailable', 'the database has been unreachable for too long to trust the cached trust configuration');
    }
    const jwt = this.preParse(token, checklist);
    trace.header = jwt.header;
    trace.claims = jwt.payload;
    if (jwt.header.alg === 'none') return this.outerPair(jwt, attempt);
    const iss = jwt.payload.iss;
    if (iss === this.issuer) {
      checklist.pass('issuer-class', 'this service');
      return this.selfToken(jwt, options, attempt);
    }
    const server = typeof iss === 'string' ? this.oauthServers.byIssuerName(iss) : undefined;
    if (server) {
      checklist.pass('issuer-class', () => `OAuth server ${server.server.identity}`);
      return this.oauthServerToken(jwt, server, attempt);
    }
    if (typeof iss === 'string' && iss.includes('@')) {
      checklist.pass('issuer-class', 'partner (S2S actor token)');
      return this.actorToken(jwt, attempt, false).token;
    }
    return checklist.fail('issuer-class', 'issuer_untrusted', `no trusted issuer is registered for ${typeof iss === 'string' ? iss : 'this token'}`);
  }

  /** Every token may be unsigned here: only as the outer token of a signed actor token, checked by the caller. */
  private preParse(token: unknown, checklist: ValidationChecklist): ParsedJwt {
    try {
      const jwt = parseCompactJwt(token, UNSIGNED_ALLOWED);
      checklist.pass('format', 'compact JWS, canonical base64url, strict JSON');
      return jwt;
    } catch (error) {
      if (error instanceof JwtFormatError) return checklist.fail('format', error.reason, error.message);
      throw error;
    }
  }

  /** This service's RFC 9068 tokens. */
  private selfToken(jwt: ParsedJwt, options: ValidateOptions, attempt: Attempt): ValidatedToken {
    const { checklist, trace, now } = attempt;
    if (jwt.header.alg !== 'RS256') checklist.fail('algorithm', 'alg_not_allowed', `alg ${String(jwt.header.alg)} is not allowed for this issuer (RS256 only)`);
    checklist.pass('algorithm');
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
    if (!audienceOk) checklist.fail('audience', 'audience_invalid', `the audience ${String(aud)} is not ${options.audience ?? 'a registered resource'}`);
    checklist.pass('audience');
    const { exp } = this.checkTimes(claims, attempt, numericDate);
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
  private oauthServerToken(jwt: ParsedJwt, registered: CachedOAuthServer, attempt: Attempt): ValidatedToken {
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
    const key =
      kid === null && x5t === null && registered.keys.length === 1
        ? registered.keys[0]
        : registered.keys.find((candidate) => (kid !== null && candidate.kid === kid) || (kid === null && x5t !== null && candidate.x5t === x5t));
    if (!key && attempt.mayRefresh) throw new KeyRefreshNeeded(() => this.oauthServers.refreshForUnknownKey(server.identity));
    trace.key = { id: kid ?? x5t ?? '(none)', found: key !== undefined, source: `OAuth server ${server.identity} ${server.type === 'oidc' ? 'JWKS' : 'metadata'}` };
    if (!key) return checklist.fail('key', 'key_unknown', `OAuth server ${server.identity} has no key ${kid ?? x5t ?? '(no kid)'}`);
    const keyFits = (key.alg === null || key.alg === algorithm) && keyFitsAlgorithm(algorithm, key.publicKey);
    if (!keyFits) checklist.fail('key', 'alg_key_mismatch', `the key cannot be used with ${algorithm}`);
    checklist.pass('key');
    checklist.require(verifyJws(algorithm, jwt.signingInput, jwt.signature, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify');
    const claims = jwt.payload;
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) && claims.aud.every((entry) => typeof entry === 'string') ? (claims.aud as string[]) : [];
    if (!audiences.some((audience) => server.audiences.includes(audience))) checklist.fail('audience', 'audience_invalid', `the audience is not one of ${server.audiences.join(', ')}`);
    checklist.pass('audience');
    const times = this.checkTimes(claims, attempt, numericDate);
    const issued = typeof claims.iat === 'number' ? claims.iat : times.nbf;
    checklist.require(issued === undefined || times.exp - issued <= MAX_ACTOR_LIFETIME_SECONDS, 'lifetime', 'lifetime_too_long', 'the token is valid for more than 24 h');
    if (server.tenantId !== null) {
      if (claims.tid !== server.tenantId) checklist.fail('tenant', 'tenant_mismatch', `the token's tenant is not ${server.tenantId}`);
      checklist.pass('tenant');
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
  private outerPair(outer: ParsedJwt, attempt: Attempt): ValidatedToken {
    const { checklist, trace } = attempt;
    checklist.pass('issuer-class', 'partner (actor + outer token)');
    const actorText = outer.payload.actortoken;
    checklist.require(typeof actorText === 'string', 'actor-token', 'unsigned_token', 'an unsigned token is accepted only as the outer token of a signed actor token');
    const actorJwt = this.preParse(actorText, checklist);
    checklist.require(actorJwt.header.alg !== 'none', 'actor-signed', 'actor_unsigned', 'the actor token is unsigned');
    checklist.require(actorJwt.payload.actortoken === undefined, 'nesting', 'nested_outer_token', 'an actor token may not wrap another token');
    trace.header = actorJwt.header;
    trace.claims = actorJwt.payload;
    const { token: actor, partner } = this.actorToken(actorJwt, attempt, true);

    const o = outer.payload;
    checklist.require(o.iss === actor.claims.nameid, 'outer-issuer', 'outer_issuer_mismatch', 'the outer token\'s iss is not the actor token\'s nameid');
    checklist.require(o.aud === actor.claims.aud, 'outer-audience', 'outer_audience_mismatch', 'the outer token\'s aud differs from the actor token\'s');
    const times = this.checkTimes(o, attempt, msNumericDate, 'outer-');
    checklist.require(times.exp <= actor.expiresAt.getTime() / 1000, 'outer-lifetime', 'outer_outlives_actor', 'the outer token expires after its actor token');
    checklist.require(actor.claims.trustedfordelegation === 'true', 'delegation-claim', 'delegation_not_trusted', 'the actor token is not trusted for delegation');
    if (!allowsUsers(partner.partner.trustLevel)) checklist.fail('trust-level', 'delegation_not_allowed', `partner ${partner.partner.identity} has trust level ${partner.partner.trustLevel}, which does not allow acting for users`);
    checklist.pass('trust-level');
    const user = pickUser(o);
    checklist.require(typeof user.nameid === 'string', 'user', 'user_missing', 'the outer token names no user (nameid)');
    // The identity provider that issued nameid (security catalogue D12): an address directory, or
    // Active Directory (a SID) where the partner is allowed to send SIDs. Nothing else is understood.
    const provider = user.nii?.toLowerCase();
    for (const named of [o.nii, o.identityprovider]) {
      if (named !== undefined && (typeof named !== 'string' || !USER_IDENTITY_PROVIDERS.includes(named.toLowerCase()))) {
        checklist.fail('identity-provider', 'identity_provider_not_allowed', `the identity provider ${String(named)} is not accepted for partner users (${USER_IDENTITY_PROVIDERS.join(' or ')})`);
      }
    }
    checklist.pass('identity-provider');
    if (provider === AD_IDENTITY_PROVIDER && !partner.partner.acceptSecurityIdentifierInformation) {
      checklist.fail('user-sid', 'sid_not_accepted', `partner ${partner.partner.identity} is not allowed to identify users by SID`);
    }
    // Every address-like identifier must belong to the partner's realm (security catalogue D10).
    const addresses = [user.upn, user.smtp, user.sip?.replace(/^sip:/i, ''), user.nameid?.includes('@') ? user.nameid : undefined];
    for (const address of addresses) {
      if (address !== undefined && !inRealm(address, partner.partner.realm)) {
        checklist.fail('user-realm', 'user_outside_realm', `the user ${address} is outside the partner's realm ${partner.partner.realm}`);
      }
    }
    // The identifiers must name one user (D11): a SID nameid equals the sid claim when both are
    // there; an address nameid is one of the addresses given (upn, smtp, sip) when any is.
    const disagreement = identityDisagreement(user, provider === AD_IDENTITY_PROVIDER);
    if (disagreement) checklist.fail('user-identity', 'user_identity_mismatch', disagreement);
    checklist.pass('user', user.upn ?? user.smtp ?? user.nameid ?? null);
    // Only overrides: every one of these keys is already on the actor's ValidatedToken, so the hidden class is kept.
    // eslint-disable-next-line no-restricted-syntax
    return { ...actor, user, outerClaims: o, expiresAt: new Date(times.exp * 1000) };
  }

  /** A partner's signed actor token. */
  private actorToken(jwt: ParsedJwt, attempt: Attempt, delegation: boolean): { token: ValidatedToken; partner: CachedPartner } {
    const { checklist, trace, now } = attempt;
    const claims = jwt.payload;
    if (jwt.header.alg !== 'RS256') checklist.fail('algorithm', 'alg_not_allowed', `alg ${String(jwt.header.alg)} is not allowed for partners (RS256 only)`);
    checklist.pass('algorithm');
    // MS S2S actor tokens are typ JWT (SPEC 4.1); anything else is another kind of token.
    checklist.require(jwt.header.typ === undefined || jwt.header.typ === 'JWT', 'token-type', 'token_type_invalid', 'an S2S actor token has typ JWT');
    const iss = claims.iss;
    if (typeof iss !== 'string') return checklist.fail('issuer', 'issuer_untrusted', 'the actor token names no issuer');
    const partner = this.partners.byIssuer(iss);
    if (!partner) return checklist.fail('issuer', 'issuer_untrusted', iss.lastIndexOf('@') > 0 ? `${iss} is not a registered partner application` : 'the actor token names no issuer');
    checklist.pass('issuer', () => `partner ${partner.partner.identity}`);
    trace.issuerMetadataFetchedAt = partner.partner.metadataStatus.lastSuccessAt;
    if (!partner.partner.enabled) checklist.fail('partner-enabled', 'partner_disabled', `partner ${partner.partner.identity} is disabled`);
    checklist.pass('partner-enabled');

    const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : typeof jwt.header.kid === 'string' ? jwt.header.kid : '';
    if (!X5T.test(x5t)) return checklist.fail('key', 'key_unknown', 'the token names no valid x5t');
    const key = partner.keys.get(x5t);
    if (!key && attempt.mayRefresh) throw new KeyRefreshNeeded(() => this.partners.refreshForUnknownKey(partner.partner.identity));
    trace.key = { id: x5t, found: key !== undefined, source: `partner ${partner.partner.identity} ${partner.partner.metadataUrl ? 'metadata' : 'pinned certificates'}` };
    if (!key) return checklist.fail('key', 'key_unknown', `partner ${partner.partner.identity} has no key with x5t ${x5t}`);
    const skew = this.oauthConfiguration.cached().clockSkewSeconds * 1000;
    const keyValid = key.notBefore.getTime() - skew <= now.getTime() && now.getTime() < key.notAfter.getTime() + skew;
    if (!keyValid) checklist.fail('key-validity', 'key_expired', `the partner certificate ${x5t} is outside its validity period`);
    checklist.pass('key-validity');
    checklist.pass('key', () => `x5t ${x5t}`);
    checklist.require(verifyJws('RS256', jwt.signingInput, jwt.signature, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify with the partner\'s key');

    const configuration = this.oauthConfiguration.cached();
    const aud = claims.aud;
    const ours = typeof aud === 'string' && this.isOurAudience(aud, configuration);
    if (!ours) checklist.fail('audience', 'audience_invalid', `the audience ${String(aud)} is not this service`);
    checklist.pass('audience');
    const times = this.checkTimes(claims, attempt, msNumericDate);
    // nbf is required on S2S tokens (SPEC 4.1): without it the lifetime cap could not apply.
    checklist.require(times.nbf !== undefined, 'not-before', 'nbf_missing', 'the actor token has no nbf');
    checklist.require(times.exp - times.nbf! <= MAX_ACTOR_LIFETIME_SECONDS, 'lifetime', 'lifetime_too_long', 'the actor token is valid for more than 24 h');
    const nameid = claims.nameid;
    // `<application>@<partner realm>` (a realm holds no "@", so this is the part after the last one).
    const realm = partner.partner.realm;
    const at = typeof nameid === 'string' ? nameid.length - realm.length - 1 : -1;
    const nameidOk = at > 0 && (nameid as string).charCodeAt(at) === 0x40 && (nameid as string).endsWith(realm);
    checklist.require(nameidOk, 'nameid', 'nameid_invalid', 'nameid must be <application>@<partner realm>');
    checklist.require(!carriesUserClaims(claims), 'actor-claims', 'actor_has_user_claims', 'an actor token may not carry user claims');
    if (!delegation) {
      if (!allowsAppOnly(partner.partner.trustLevel)) checklist.fail('trust-level', 'app_only_not_allowed', `partner ${partner.partner.identity} has trust level User and may not act as itself`);
      checklist.pass('trust-level');
    }
    const appId = (nameid as string).slice(0, at);
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

  /**
   * `<serviceName>/<host>@<realm>`: id and realm exact, host case-insensitive (one of ours). The
   * last accepted audience is remembered for the configuration it was accepted under: partners send
   * the same one on every token.
   */
  private isOurAudience(aud: string, configuration: OAuthConfiguration): boolean {
    if (aud === this.acceptedAudience.aud && configuration === this.acceptedAudience.configuration) return true;
    const accepted = this.parseOurAudience(aud, configuration.serviceName, configuration.realm, configuration.publicHost);
    if (accepted) this.acceptedAudience = { aud, configuration };
    return accepted;
  }

  private parseOurAudience(aud: string, serviceName: string, realm: string | null, publicHost: string | null): boolean {
    const slash = aud.indexOf('/');
    const at = aud.lastIndexOf('@');
    if (slash <= 0 || at <= slash || realm === null) return false;
    if (aud.slice(0, slash) !== serviceName || aud.slice(at + 1) !== realm) return false;
    const host = aud.slice(slash + 1, at).toLowerCase();
    return host === this.publicHost || host === this.publicHostWithoutPort || (publicHost !== null && host === publicHost.toLowerCase());
  }

  /** `nbf`/`exp` (and `iat`) against the clock with the configured skew (`prefix` 'outer-': the outer token's). */
  private checkTimes(claims: Record<string, unknown>, attempt: Attempt, read: (value: unknown) => number | undefined | null, prefix = ''): { exp: number; nbf: number | undefined } {
    const { checklist, trace } = attempt;
    const now = attempt.now.getTime() / 1000;
    const skew = this.oauthConfiguration.cached().clockSkewSeconds;
    const exp = read(claims.exp);
    const nbf = read(claims.nbf);
    const iat = read(claims.iat);
    checklist.require(exp !== null && nbf !== null && iat !== null, `${prefix}claim-types`, 'claim_malformed', 'exp, nbf and iat must be NumericDates');
    if (exp === undefined) return checklist.fail(`${prefix}expiry`, 'exp_missing', 'the token has no exp');
    if (prefix === '') trace.clockDifferenceSeconds = Math.round(now - (iat ?? nbf ?? now));
    if (exp! + skew <= now) checklist.fail(`${prefix}expiry`, 'token_expired', `the token expired at ${new Date(exp! * 1000).toISOString()}`);
    checklist.pass(`${prefix}expiry`);
    checklist.require((nbf ?? 0) - skew <= now && (iat ?? 0) - skew <= now, `${prefix}not-before`, 'token_not_yet_valid', 'the token is not valid yet');
    return { exp: exp!, nbf: nbf ?? undefined };
  }
}

/** One pass over a token: what it records, the instant it is judged at, whether a refresh may follow. */
interface Attempt {
  readonly checklist: ValidationChecklist;
  readonly trace: ValidationTrace;
  /** The one instant the whole token is judged at. */
  readonly now: Date;
  /** Whether an unknown key may still trigger an on-demand metadata refresh (the first attempt only). */
  readonly mayRefresh: boolean;
}

/**
 * Thrown out of a synchronous attempt when the token's key is unknown and its issuer may publish
 * it by now: validate() runs `refresh` (rate-limited per issuer) and validates once more without it.
 */
class KeyRefreshNeeded {
  constructor(readonly refresh: () => Promise<boolean>) {}
}


function pickUser(claims: Record<string, unknown>): TokenUser {
  const user: TokenUser = {};
  for (const name of ['nameid', 'nii', 'sub', 'upn', 'smtp', 'sip', 'sid'] as const) if (typeof claims[name] === 'string') user[name] = claims[name] as string;
  return user;
}

/** Why the user identifiers of an outer token name different users, or null when they agree. */
function identityDisagreement(user: TokenUser, bySid: boolean): string | null {
  const nameid = user.nameid!.replace(/^sip:/i, '').toLowerCase();
  if (bySid) return user.sid !== undefined && user.sid.toLowerCase() !== nameid ? `the sid ${user.sid} is not the user ${user.nameid}` : null;
  const addresses = [user.upn, user.smtp, user.sip?.replace(/^sip:/i, '')].filter((address): address is string => address !== undefined).map((address) => address.toLowerCase());
  return addresses.length > 0 && !addresses.includes(nameid) ? `the user ${user.nameid} is none of the addresses given (${addresses.join(', ')})` : null;
}

/** `user@domain` within `realm` (equal, or a subdomain); GUID realms accept any domain. */
function inRealm(address: string, realm: string): boolean {
  if (isLowercaseGuid(realm)) return true;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return domain === realm || domain.endsWith(`.${realm}`);
}
