import { Injectable } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { isLowercaseGuid } from '@s2s/core';
import { type JwtClaimError, jwtClaimsPolicy, type JwtClaimsPolicy, jwtTypeAccepted, MAX_TOKEN_LIFETIME_SECONDS, type ParsedJwt } from '@s2s/jwt';
import { type OAuthConfiguration, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { AD_IDENTITY_PROVIDER, allowsAppOnly, allowsUsers, type CachedPartner, domainAccepted, type PartnerApplication, PartnerDirectory, USER_IDENTITY_PROVIDERS } from '@s2s/partners';
import type { TokenUser, ValidatedToken } from './token-validation.js';
import { applyClaimsPolicy, type Attempt, commonClaimMessage, holdUntil, KeyRefreshNeeded, pickUser, preParse, signatureVerifies } from './validation.attempt.js';
import { claimChecks } from './validation.checklist.js';

/** Longest lifetime accepted for an S2S actor token (SPEC 4.1: never above 24 h): the same cap as our own access tokens. */
export const MAX_ACTOR_LIFETIME_SECONDS = MAX_TOKEN_LIFETIME_SECONDS;
const X5T = /^[A-Za-z0-9_-]{27}$/;
/** Claims that name a user (or wrap a token): never in an actor token. Spelled out: one property load each. */
export const carriesUserClaims = (claims: Record<string, unknown>): boolean =>
  claims.upn !== undefined || claims.smtp !== undefined || claims.sip !== undefined || claims.nii !== undefined || claims.sid !== undefined || claims.actortoken !== undefined;

/**
 * MS S2S actor tokens are typ JWT (SPEC 4.1), or carry no typ; anything else is another kind of
 * token. Compared as a media type (RFC 7515 4.1.9): `jwt` and `application/jwt` are JWT too.
 */
export const ACTOR_TYPE: JwtClaimsPolicy = jwtClaimsPolicy({ typ: 'JWT', typOptional: true });

/** The checklist entries the claims policy decides for an actor token, and the reason of each refusal. */
export const ACTOR_CLAIMS = claimChecks(['audience', 'claim-types', 'expiry', 'not-before', 'not-before', 'lifetime']);

/** The same for the unsigned outer token: its times only (its iss and aud are compared with the actor's). */
const OUTER_CLAIMS = claimChecks(['outer-claim-types', 'outer-expiry', 'outer-not-before'], 'outer-');

/** The claims policies of partner tokens under one configuration (the skew, our audience). */
interface PartnerPolicies {
  readonly configuration: OAuthConfiguration;
  readonly actor: JwtClaimsPolicy;
  readonly outer: JwtClaimsPolicy;
}

const describePartner = (partner: CachedPartner): string => `partner ${partner.partner.identity}`;

/**
 * Verifies actor tokens that an authorization server issued for partners that use it (ACS / Entra,
 * {@link AcsTokenVerifier}): the partner path hands it every actor token of an outer pair first.
 */
export interface BrokeredActorVerifier {
  /** The verified actor token and its partner, or null when no such server issued it (then it is a direct partner's). */
  actorToken(jwt: ParsedJwt, attempt: Attempt, delegation: boolean): { token: ValidatedToken; partner: CachedPartner } | null;
}

/**
 * The rules every partner actor token ends with, whoever signed it: no user claims in an actor
 * token, the trust level for app-only calls; then the validated token, trusted as the partner
 * (`via` the OAuth server that issued it, for a partner that uses one).
 */
export function partnerActor(attempt: Attempt, partner: CachedPartner, claims: Record<string, unknown>, appId: string, exp: number, delegation: boolean): { token: ValidatedToken; partner: CachedPartner } {
  const { checklist } = attempt;
  checklist.require(!carriesUserClaims(claims), 'actor-claims', 'actor_has_user_claims', 'an actor token may not carry user claims');
  if (!delegation) {
    if (!allowsAppOnly(partner.partner.trustLevel)) checklist.fail('trust-level', 'app_only_not_allowed', `partner ${partner.partner.identity} has trust level User and may not act as itself`);
    checklist.pass('trust-level');
  }
  const via = partner.partner.useOAuthServer;
  return {
    partner,
    token: {
      trust: via === null ? { kind: 'partner', id: partner.partner.identity } : { kind: 'partner', id: partner.partner.identity, via },
      appId,
      roles: [],
      scopes: [],
      user: null,
      claims,
      outerClaims: null,
      expiresAt: new Date(exp * 1000),
    },
  };
}

/**
 * `<serviceName>/<host>@<realm>` (SPEC 4.1, 5.6): id and realm exact, host case-insensitive and one
 * of `hosts` (lowercase). The one audience rule of S2S tokens, direct or through an OAuth server.
 */
export function serviceAudienceMatches(aud: string, serviceName: string, realm: string | null, hosts: readonly string[]): boolean {
  const slash = aud.indexOf('/');
  const at = aud.lastIndexOf('@');
  if (slash <= 0 || at <= slash || realm === null) return false;
  if (aud.slice(0, slash) !== serviceName || aud.slice(at + 1) !== realm) return false;
  return hosts.includes(aud.slice(slash + 1, at).toLowerCase());
}
const describeX5t = (x5t: string): string => `x5t ${x5t}`;

/** Built here, not inline, so that the caller captures nothing (no context allocated per token). */
function refreshPartner(partners: PartnerDirectory, identity: string): KeyRefreshNeeded {
  return new KeyRefreshNeeded(() => partners.refreshForUnknownKey(identity));
}

export function actorClaimMessage(error: JwtClaimError, claims: Record<string, unknown>, policy: JwtClaimsPolicy): string {
  if (error.code === 'audience_invalid') return `the audience ${String(claims.aud)} is not this service`;
  if (error.code === 'nbf_missing') return 'the actor token has no nbf';
  if (error.code === 'lifetime_too_long') return 'the actor token is valid for more than 24 h';
  return commonClaimMessage(error, claims, policy);
}

/**
 * Partner tokens (SPEC 4.1, 5.6 second issuer class): a Microsoft S2S actor token alone (app-only),
 * or an unsigned outer token wrapping exactly one signed actor token (security catalogue D).
 * RS256 only; the key by `x5t` (else `kid`) among the partner's own certificates, within their
 * validity; then the claims policy: `aud` = `<serviceName>/<host>@<realm>`, NumericDates as numbers
 * or digit strings, the clock skew, `nbf` required, at most 24 h from `nbf`.
 */
@Injectable()
export class PartnerTokenVerifier {
  private readonly publicHost: string;
  private acceptedAudience: { aud: string | null; configuration: OAuthConfiguration | null } = { aud: null, configuration: null };
  private policies: PartnerPolicies | null = null;

  constructor(
    config: AppConfig,
    private readonly partners: PartnerDirectory,
    private readonly oauthConfiguration: OAuthConfigurationService,
  ) {
    this.publicHost = new URL(config.publicUrl).host.toLowerCase();
  }

  /** An app-only actor token. */
  appOnly(jwt: ParsedJwt, attempt: Attempt): ValidatedToken {
    return this.actorToken(jwt, attempt, false).token;
  }

  /** An unsigned outer token wrapping exactly one signed actor token (SPEC 4.1, security catalogue D). */
  outerPair(outer: ParsedJwt, attempt: Attempt, brokers: BrokeredActorVerifier): ValidatedToken {
    const { checklist, trace } = attempt;
    checklist.pass('issuer-class', 'partner (actor + outer token)');
    const actorText = outer.payload.actortoken;
    checklist.require(typeof actorText === 'string', 'actor-token', 'unsigned_token', 'an unsigned token is accepted only as the outer token of a signed actor token');
    const actorJwt = preParse(actorText, checklist);
    checklist.require(actorJwt.header.alg !== 'none', 'actor-signed', 'actor_unsigned', 'the actor token is unsigned');
    checklist.require(actorJwt.payload.actortoken === undefined, 'nesting', 'nested_outer_token', 'an actor token may not wrap another token');
    trace.header = actorJwt.header;
    trace.claims = actorJwt.payload;
    const { token: actor, partner } = brokers.actorToken(actorJwt, attempt, true) ?? this.actorToken(actorJwt, attempt, true);

    const o = outer.payload;
    checklist.require(o.iss === actor.claims.nameid, 'outer-issuer', 'outer_issuer_mismatch', 'the outer token\'s iss is not the actor token\'s nameid');
    checklist.require(o.aud === actor.claims.aud, 'outer-audience', 'outer_audience_mismatch', 'the outer token\'s aud differs from the actor token\'s');
    const outerPolicy = this.policiesFor(this.oauthConfiguration.cached()).outer;
    const exp = applyClaimsPolicy(attempt, outer, outerPolicy, OUTER_CLAIMS, commonClaimMessage, outerPolicy, false);
    checklist.require(exp <= actor.expiresAt.getTime() / 1000, 'outer-lifetime', 'outer_outlives_actor', 'the outer token expires after its actor token');
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
    // Every address-like identifier must belong to the partner's realm (security catalogue D10), or,
    // where the realm is a tenant id, to a domain the partner accepts (Exchange accepted domains).
    const addresses = [user.upn, user.smtp, user.sip?.replace(/^sip:/i, ''), user.nameid?.includes('@') ? user.nameid : undefined];
    const byDomain = acceptsByDomain(partner.partner);
    if (byDomain && addresses.every((address) => address === undefined)) {
      checklist.fail('user-domain', 'user_domain_not_accepted', `partner ${partner.partner.identity} has a tenant realm: its users must be named by an address (upn, smtp, sip) in an accepted domain`);
    }
    for (const address of addresses) {
      if (address === undefined) continue;
      if (byDomain && !domainAccepted(domainOf(address), partner.partner.acceptedDomains)) {
        checklist.fail('user-domain', 'user_domain_not_accepted', `the user ${address} is not in a domain partner ${partner.partner.identity} accepts (${partner.partner.acceptedDomains.join(', ') || 'none'})`);
      }
      if (!byDomain && !inRealm(address, partner.partner)) {
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
    return { ...actor, user, outerClaims: o, expiresAt: new Date(exp * 1000) };
  }

  /** A partner's signed actor token. */
  private actorToken(jwt: ParsedJwt, attempt: Attempt, delegation: boolean): { token: ValidatedToken; partner: CachedPartner } {
    const { checklist, trace, now } = attempt;
    const claims = jwt.payload;
    if (jwt.header.alg !== 'RS256') checklist.fail('algorithm', 'alg_not_allowed', `alg ${String(jwt.header.alg)} is not allowed for partners (RS256 only)`);
    checklist.pass('algorithm');
    checklist.require(jwtTypeAccepted(jwt.header, ACTOR_TYPE), 'token-type', 'token_type_invalid', 'an S2S actor token has typ JWT');
    const iss = claims.iss;
    if (typeof iss !== 'string') return checklist.fail('issuer', 'issuer_untrusted', 'the actor token names no issuer');
    const partner = this.partners.byIssuer(iss);
    if (!partner) return checklist.fail('issuer', 'issuer_untrusted', iss.lastIndexOf('@') > 0 ? `${iss} is not a registered partner application` : 'the actor token names no issuer');
    if (partner.partner.useOAuthServer !== null) {
      checklist.fail('issuer', 'issuer_untrusted', `partner ${partner.partner.identity} is trusted only through OAuth server ${partner.partner.useOAuthServer}, not with tokens it signs itself`);
    }
    checklist.passDescribed('issuer', describePartner, partner);
    trace.issuerMetadataFetchedAt = partner.partner.metadataStatus.lastSuccessAt;
    if (!partner.partner.enabled) checklist.fail('partner-enabled', 'partner_disabled', `partner ${partner.partner.identity} is disabled`);
    checklist.pass('partner-enabled');

    const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : typeof jwt.header.kid === 'string' ? jwt.header.kid : '';
    if (!X5T.test(x5t)) return checklist.fail('key', 'key_unknown', 'the token names no valid x5t');
    const key = partner.keys.get(x5t);
    if (!key && partner.pendingKeys.has(x5t)) {
      return checklist.fail('key', 'key_pending_review', `the key ${x5t} of partner ${partner.partner.identity} is held for review: approve it with s2sctl partner-application approve-keys ${partner.partner.identity}`);
    }
    if (!key && attempt.mayRefresh) throw refreshPartner(this.partners, partner.partner.identity);
    trace.key = { id: x5t, found: key !== undefined, source: `partner ${partner.partner.identity} ${partner.partner.metadataUrl ? 'metadata' : 'pinned certificates'}` };
    if (!key) return checklist.fail('key', 'key_unknown', `partner ${partner.partner.identity} has no key with x5t ${x5t}`);
    const policies = this.policiesFor(this.oauthConfiguration.cached());
    const skew = policies.configuration.clockSkewSeconds * 1000;
    const keyValid = key.notBefore.getTime() - skew <= now.getTime() && now.getTime() < key.notAfter.getTime() + skew;
    if (!keyValid) checklist.fail('key-validity', 'key_expired', `the partner certificate ${x5t} is outside its validity period`);
    holdUntil(attempt, key.notAfter.getTime() + skew);
    checklist.pass('key-validity');
    checklist.passDescribed('key', describeX5t, x5t);
    checklist.require(signatureVerifies(attempt, 'RS256', jwt, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify with the partner\'s key');

    const exp = applyClaimsPolicy(attempt, jwt, policies.actor, ACTOR_CLAIMS, actorClaimMessage, policies.actor, true);
    const nameid = claims.nameid;
    // `<application>@<partner realm>` (a realm holds no "@", so this is the part after the last one).
    const realm = partner.partner.realm;
    const at = typeof nameid === 'string' ? nameid.length - realm.length - 1 : -1;
    const nameidOk = at > 0 && (nameid as string).charCodeAt(at) === 0x40 && (nameid as string).endsWith(realm);
    checklist.require(nameidOk, 'nameid', 'nameid_invalid', 'nameid must be <application>@<partner realm>');
    return partnerActor(attempt, partner, claims, (nameid as string).slice(0, at), exp, delegation);
  }

  /** The actor and outer policies for `configuration`, built once per configuration. */
  private policiesFor(configuration: OAuthConfiguration): PartnerPolicies {
    if (this.policies !== null && this.policies.configuration === configuration) return this.policies;
    const clockTolerance = configuration.clockSkewSeconds;
    this.policies = {
      configuration,
      actor: jwtClaimsPolicy({
        typ: ACTOR_TYPE.typ,
        typOptional: ACTOR_TYPE.typOptional,
        audience: (aud: string) => this.isOurAudience(aud, configuration),
        numericDate: 'ms-s2s',
        clockTolerance,
        // nbf is required on S2S tokens (SPEC 4.1): without it the lifetime cap could not apply.
        requiredClaims: ['nbf'],
        maxLifetime: MAX_ACTOR_LIFETIME_SECONDS,
        lifetimeFrom: 'nbf',
      }),
      outer: jwtClaimsPolicy({ numericDate: 'ms-s2s', clockTolerance }),
    };
    return this.policies;
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
    return serviceAudienceMatches(aud, serviceName, realm, ourHosts(this.publicHost, publicHost));
  }
}

/** Why the user identifiers of an outer token name different users, or null when they agree. */
function identityDisagreement(user: TokenUser, bySid: boolean): string | null {
  const nameid = user.nameid!.replace(/^sip:/i, '').toLowerCase();
  if (bySid) return user.sid !== undefined && user.sid.toLowerCase() !== nameid ? `the sid ${user.sid} is not the user ${user.nameid}` : null;
  const addresses = [user.upn, user.smtp, user.sip?.replace(/^sip:/i, '')].filter((address): address is string => address !== undefined).map((address) => address.toLowerCase());
  return addresses.length > 0 && !addresses.includes(nameid) ? `the user ${user.nameid} is none of the addresses given (${addresses.join(', ')})` : null;
}

/**
 * The host authorities of our audience: the public URL's (with and without its port) and the
 * configured public host, lowercase.
 */
export function ourHosts(publicUrlHost: string, configuredHost: string | null): string[] {
  const hosts = [publicUrlHost, publicUrlHost.replace(/:\d+$/, '')];
  if (configuredHost !== null) hosts.push(configuredHost.toLowerCase());
  return hosts;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Whether the partner's users are checked against its accepted domains rather than its realm: its
 * realm is a tenant id and it uses an OAuth server, or lists accepted domains.
 */
function acceptsByDomain(partner: PartnerApplication): boolean {
  return isLowercaseGuid(partner.realm) && (partner.useOAuthServer !== null || partner.acceptedDomains.length > 0);
}

/**
 * `user@domain` within the partner's realm (equal, or a subdomain) or one of its accepted domains;
 * a GUID realm without accepted domains (a direct partner) accepts any domain.
 */
function inRealm(address: string, partner: PartnerApplication): boolean {
  const realm = partner.realm;
  if (isLowercaseGuid(realm)) return true;
  const domain = domainOf(address);
  return domain === realm || domain.endsWith(`.${realm}`) || domainAccepted(domain, partner.acceptedDomains);
}
