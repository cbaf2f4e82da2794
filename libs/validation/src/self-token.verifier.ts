import { Injectable } from '@nestjs/common';
import { type IssuerKey, issuerKeyIdOf, TokenIssuerKeyRing, TokenIssuerWithdrawals } from '@s2s/certificates';
import { ClientDirectory } from '@s2s/clients';
import { AppConfig } from '@s2s/config';
import { accessTokenPolicy, type JwtClaimError, type JwtClaimsPolicy, jwtTypeAccepted, type ParsedJwt } from '@s2s/jwt';
import { type OAuthConfiguration, OAuthConfigurationService } from '@s2s/oauth-configuration';
import type { TokenUser, ValidatedToken } from './token-validation.js';
import { applyClaimsPolicy, type Attempt, commonClaimMessage, holdUntil, pickUser, signatureVerifies } from './validation.attempt.js';
import { ACCESS_TOKEN_CLAIMS } from './validation.checklist.js';

const describeKey = (key: IssuerKey): string => `certificate ${key.thumbprint}`;

function selfClaimMessage(error: JwtClaimError, claims: Record<string, unknown>, expected: { policy: JwtClaimsPolicy; audience: string | undefined }): string {
  if (error.code === 'audience_invalid') return `the audience ${String(claims.aud)} is not ${expected.audience ?? 'a registered resource'}`;
  if (error.code === 'lifetime_too_long') return 'the token is valid for more than 24 h';
  return commonClaimMessage(error, claims, expected.policy);
}

/**
 * This service's own RFC 9068 access tokens (SPEC 4.2, 5.6 first issuer class): RS256 only,
 * `typ: at+jwt` (or `application/at+jwt`, any case: RFC 9068 4, RFC 7515 4.1.9), the key among our published certificates (current, next, previous) by the key
 * ring's one rule, then the claims policy of our access tokens (`accessTokenPolicy`, the same one
 * the on-behalf-of grant applies: at most 24 h from `iat`, else `nbf`) with the configured clock skew.
 */
@Injectable()
export class SelfTokenVerifier {
  /** For the configuration it was built under (the clock skew): any registered resource as audience. */
  private policies: { configuration: OAuthConfiguration | null; registered: JwtClaimsPolicy; context: { policy: JwtClaimsPolicy; audience: undefined } };
  private readonly isRegisteredResource = (aud: string): boolean => this.clients.resourceByAppIdUri(aud) !== undefined;
  private readonly issuer: string;

  constructor(
    config: AppConfig,
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly clients: ClientDirectory,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly withdrawals: TokenIssuerWithdrawals,
  ) {
    this.issuer = selfIssuer(config);
    // The token type does not depend on the configuration: this one serves the typ check until the first token.
    const registered = accessTokenPolicy({ audience: this.isRegisteredResource, clockTolerance: 0 });
    this.policies = { configuration: null, registered, context: { policy: registered, audience: undefined } };
  }

  /** `audience`: the one the caller expects (explain mode), else any registered resource. */
  verify(jwt: ParsedJwt, audience: string | undefined, attempt: Attempt): ValidatedToken {
    const { checklist, trace, now } = attempt;
    if (jwt.header.alg !== 'RS256') checklist.fail('algorithm', 'alg_not_allowed', `alg ${String(jwt.header.alg)} is not allowed for this issuer (RS256 only)`);
    checklist.pass('algorithm');
    checklist.require(jwtTypeAccepted(jwt.header, this.policies.registered), 'token-type', 'token_type_invalid', 'not an access token (typ must be at+jwt)');
    const keyId = issuerKeyIdOf(jwt.header);
    const key = this.keyRing.publishedKey(keyId, now);
    trace.key = { id: keyId, found: key !== undefined, source: 'this service\'s published certificates' };
    if (!key) {
      // A key taken out by an emergency roll has its own reason: the operator sees why old tokens fail.
      const withdrawal = this.withdrawals.withdrawn(keyId);
      if (withdrawal) return checklist.fail('key', 'key_withdrawn', `certificate ${withdrawal.thumbprint} was withdrawn by an emergency roll at ${withdrawal.withdrawnAt.toISOString()}`);
      return checklist.fail('key', 'key_unknown', `no published certificate has x5t ${keyId}`);
    }
    checklist.passDescribed('key', describeKey, key);
    // A staged roll switches by the clock alone (the previous certificate then leaves the published set).
    const switchAt = this.keyRing.nextScheduledChange();
    if (switchAt !== null && switchAt > now) holdUntil(attempt, switchAt.getTime());
    checklist.require(signatureVerifies(attempt, 'RS256', jwt, key.publicKey), 'signature', 'signature_invalid', 'the signature does not verify');
    const configuration = this.oauthConfiguration.cached();
    const policy = audience === undefined ? this.registeredPolicy(configuration) : accessTokenPolicy({ audience, clockTolerance: configuration.clockSkewSeconds });
    const context = audience === undefined ? this.policies.context : { policy, audience };
    const exp = applyClaimsPolicy(attempt, jwt, policy, ACCESS_TOKEN_CLAIMS, selfClaimMessage, context, true);
    const claims = jwt.payload;
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

  private registeredPolicy(configuration: OAuthConfiguration): JwtClaimsPolicy {
    if (this.policies.configuration !== configuration) {
      const registered = accessTokenPolicy({ audience: this.isRegisteredResource, clockTolerance: configuration.clockSkewSeconds });
      this.policies = { configuration, registered, context: { policy: registered, audience: undefined } };
    }
    return this.policies.registered;
  }
}

/** This service's issuer identifier: the public URL without a trailing slash (what it signs as `iss`). */
export function selfIssuer(config: AppConfig): string {
  return config.publicUrl.replace(/\/+$/, '');
}
