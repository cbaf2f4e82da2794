import { Injectable } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { jwtClaimsPolicy, type JwtClaimsPolicy, jwtTypeAccepted, type ParsedJwt } from '@s2s/jwt';
import { type OAuthConfiguration, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { type CachedOAuthServer, OAuthServerDirectory } from '@s2s/oauth-servers';
import { type CachedPartner, PartnerDirectory } from '@s2s/partners';
import { refreshServer, serverKey } from './oauth-server-token.verifier.js';
import {
  ACTOR_CLAIMS,
  ACTOR_TYPE,
  actorClaimMessage,
  type BrokeredActorVerifier,
  MAX_ACTOR_LIFETIME_SECONDS,
  ourHosts,
  partnerActor,
  serviceAudienceMatches,
} from './partner-token.verifier.js';
import type { ValidatedToken } from './token-validation.js';
import { applyClaimsPolicy, type Attempt, signatureVerifies } from './validation.attempt.js';

/** The claims policy of one ACS server's actor tokens under one configuration. */
interface AcsClaims {
  readonly configuration: OAuthConfiguration;
  readonly server: CachedOAuthServer['server'];
  readonly policy: JwtClaimsPolicy;
}

const describeServer = (registered: CachedOAuthServer): string => `OAuth server ${registered.server.identity} (acs)`;
const describePartner = (partner: CachedPartner): string => `partner ${partner.partner.identity} (uses OAuth server ${partner.partner.useOAuthServer ?? ''})`;

/** The tenant of an ACS server: the realm after the `@` of its issuer `00000001-0000-0000-c000-000000000000@<tenant>`. */
export function acsTenantOf(issuer: string): string {
  return issuer.slice(issuer.lastIndexOf('@') + 1);
}

/**
 * Microsoft-format actor tokens issued by an OAuth server of type `acs` (ACS / Entra as trust
 * broker, [MS-XOAUTH] 3.2.5.2; issue 21) for partners that use it (`New-CsPartnerApplication
 * -UseOAuthServer`). After the routing by exact `iss` (the server's metadata issuer
 * `00000001-…@<tenant>`): the server enabled; RS256 only; typ JWT or none; the key by `x5t` (else
 * `kid`) among the server's metadata keys (one rate-limited refresh for an unknown one); the
 * signature; the partner actor claims policy (the same NumericDate forms, clock skew, `nbf` and 24 h
 * cap) with `aud` = `<serviceName>/<host>@<tenant>` or `@<our realm>`, or one of the server's
 * registered audiences; `identityprovider`, when present, equal to the issuer; `nameid` =
 * `<application identifier>@<tenant>`; that application registered as a partner using this server,
 * enabled; then the rules every partner actor token ends with (no user claims, trust level).
 */
@Injectable()
export class AcsTokenVerifier implements BrokeredActorVerifier {
  private readonly policies = new WeakMap<CachedOAuthServer, AcsClaims>();
  private readonly publicUrlHost: string;

  constructor(
    config: AppConfig,
    private readonly oauthServers: OAuthServerDirectory,
    private readonly partners: PartnerDirectory,
    private readonly oauthConfiguration: OAuthConfigurationService,
  ) {
    this.publicUrlHost = new URL(config.publicUrl).host.toLowerCase();
  }

  /** An app-only actor token of a registered ACS server (the validator routed it by its exact `iss`). */
  appOnly(jwt: ParsedJwt, registered: CachedOAuthServer, attempt: Attempt): ValidatedToken {
    return this.verify(jwt, registered, attempt, false).token;
  }

  /** The actor token of an outer pair, when a registered ACS server issued it; null otherwise. */
  actorToken(jwt: ParsedJwt, attempt: Attempt, delegation: boolean): { token: ValidatedToken; partner: CachedPartner } | null {
    const iss = jwt.payload.iss;
    const registered = typeof iss === 'string' ? this.oauthServers.byIssuerName(iss) : undefined;
    if (registered === undefined || registered.server.type !== 'acs') return null;
    attempt.checklist.passDescribed('issuer-class', describeServer, registered);
    return this.verify(jwt, registered, attempt, delegation);
  }

  private verify(jwt: ParsedJwt, registered: CachedOAuthServer, attempt: Attempt, delegation: boolean): { token: ValidatedToken; partner: CachedPartner } {
    const { checklist, trace } = attempt;
    const { server } = registered;
    trace.issuerMetadataFetchedAt = server.metadataStatus.lastSuccessAt;
    if (!server.enabled) checklist.fail('oauth-server-enabled', 'oauth_server_disabled', `OAuth server ${server.identity} is disabled`);
    checklist.pass('oauth-server-enabled');
    if (jwt.header.alg !== 'RS256') checklist.fail('algorithm', 'alg_not_allowed', `alg ${String(jwt.header.alg)} is not allowed for ACS actor tokens (RS256 only)`);
    checklist.pass('algorithm');
    checklist.require(jwtTypeAccepted(jwt.header, ACTOR_TYPE), 'token-type', 'token_type_invalid', 'an S2S actor token has typ JWT');
    const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : null;
    const x5t = typeof jwt.header.x5t === 'string' ? jwt.header.x5t : null;
    // ACS names its key by x5t; Entra adds a kid equal to it. The x5t decides when both are there.
    const key = x5t !== null ? serverKey(registered.keys, null, x5t) : kid !== null ? serverKey(registered.keys, null, kid) : undefined;
    if (!key && attempt.mayRefresh) throw refreshServer(this.oauthServers, server.identity);
    trace.key = { id: x5t ?? kid ?? '(none)', found: key !== undefined, source: `OAuth server ${server.identity} metadata` };
    if (!key) return checklist.fail('key', 'key_unknown', `OAuth server ${server.identity} publishes no key with x5t ${x5t ?? kid ?? '(none)'}`);
    checklist.pass('key', x5t ?? kid);
    checklist.require(signatureVerifies(attempt, 'RS256', jwt, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify with the OAuth server\'s key');

    const claimsPolicy = this.claimsOf(registered);
    const exp = applyClaimsPolicy(attempt, jwt, claimsPolicy.policy, ACTOR_CLAIMS, actorClaimMessage, claimsPolicy.policy, true);
    const claims = jwt.payload;
    const identityProvider = claims.identityprovider;
    if (identityProvider !== undefined && identityProvider !== server.issuer) {
      checklist.fail('identity-provider', 'identity_provider_mismatch', `the actor token's identityprovider ${String(identityProvider)} is not the issuer ${server.issuer}`);
    }
    checklist.pass('identity-provider');
    const tenant = acsTenantOf(server.issuer);
    const nameid = claims.nameid;
    const at = typeof nameid === 'string' ? nameid.lastIndexOf('@') : -1;
    if (at <= 0) checklist.fail('nameid', 'nameid_invalid', 'nameid must be <application identifier>@<tenant>');
    checklist.pass('nameid');
    const appId = (nameid as string).slice(0, at);
    if ((nameid as string).slice(at + 1) !== tenant) checklist.fail('tenant', 'tenant_mismatch', `the application ${String(nameid)} is not of tenant ${tenant}`);
    checklist.pass('tenant', tenant);
    const partner = this.partners.byIssuer(nameid as string);
    if (partner === undefined || partner.partner.useOAuthServer !== server.identity) {
      return checklist.fail('partner', 'application_not_registered', `application ${appId} is not registered as a partner that uses OAuth server ${server.identity}`);
    }
    checklist.passDescribed('partner', describePartner, partner);
    if (!partner.partner.enabled) checklist.fail('partner-enabled', 'partner_disabled', `partner ${partner.partner.identity} is disabled`);
    checklist.pass('partner-enabled');
    return partnerActor(attempt, partner, claims, appId, exp, delegation);
  }

  /** Built once per server and configuration. */
  private claimsOf(registered: CachedOAuthServer): AcsClaims {
    const configuration = this.oauthConfiguration.cached();
    const known = this.policies.get(registered);
    if (known !== undefined && known.configuration === configuration && known.server === registered.server) return known;
    const tenant = acsTenantOf(registered.server.issuer);
    const hosts = ourHosts(this.publicUrlHost, configuration.publicHost);
    const registeredAudiences = registered.server.audiences;
    const policy = jwtClaimsPolicy({
      typ: ACTOR_TYPE.typ,
      typOptional: ACTOR_TYPE.typOptional,
      audience: (aud: string) =>
        serviceAudienceMatches(aud, configuration.serviceName, tenant, hosts) || serviceAudienceMatches(aud, configuration.serviceName, configuration.realm, hosts) || registeredAudiences.includes(aud),
      numericDate: 'ms-s2s',
      clockTolerance: configuration.clockSkewSeconds,
      requiredClaims: ['nbf'],
      maxLifetime: MAX_ACTOR_LIFETIME_SECONDS,
      lifetimeFrom: 'nbf',
    });
    const made: AcsClaims = { configuration, server: registered.server, policy };
    this.policies.set(registered, made);
    return made;
  }
}
