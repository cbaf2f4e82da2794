import { Injectable } from '@nestjs/common';
import { Clock } from '@s2s/core';
import { type CompactJws, unsignedCompactJwt } from '@s2s/jwt';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { InvalidTargetError, UnauthorizedClientError } from '@s2s/oauth-wire';
import { AD_IDENTITY_PROVIDER, ADDRESS_IDENTITY_PROVIDER, allowsUsers, type PartnerApplication } from '@s2s/partners';
import type { UserIdentity } from './access-token.claims.js';
import { buildActorTokenClaims, buildOuterTokenClaims } from './s2s-token.claims.js';
import { TokenSigner } from './token.signer.js';

/** The token(s) minted for a partner: the signed actor token, and the unsigned outer token when a user was named. */
export interface MintedPartnerTokens {
  actorToken: CompactJws;
  actorLifetimeSeconds: number;
  /** Null for an app-only call. */
  outerToken: CompactJws | null;
  outerLifetimeSeconds: number;
}

/** An unsigned outer token carrying a user, and how long it is valid. */
export interface OuterToken {
  token: CompactJws;
  lifetimeSeconds: number;
}

/**
 * Mints what we send a partner application (SPEC 4.1): the S2S actor token for its principal, host
 * and realm, signed with the current token-issuer key; with a user, the unsigned outer token around
 * it. The one place that decides whether a partner can be sent a token at all (enabled, host
 * authority known, trust level allowing users) and how a user is wrapped around an actor token:
 * the token endpoint's partner grant (directly, or around the actor token a trust broker issued)
 * and the connectivity test both come here.
 */
@Injectable()
export class PartnerTokenMinter {
  constructor(
    private readonly signer: TokenSigner,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether `partner` can be sent a token (for `user`, when one is named): enabled, its host
   * authority known, and, for a user, a trust level that allows users (`Full` or `User`).
   *
   * @throws InvalidTargetError (`partner_disabled`, `partner_host_missing`), UnauthorizedClientError (`partner_refuses_users`).
   */
  assertSendable(partner: PartnerApplication, user: UserIdentity | null): void {
    if (!partner.enabled) throw new InvalidTargetError(`partner application ${partner.identity} is disabled`, 'partner_disabled');
    if (!partner.hostAuthority) throw new InvalidTargetError(`partner application ${partner.identity} has no host authority configured`, 'partner_host_missing');
    if (user && !allowsUsers(partner.trustLevel)) {
      throw new UnauthorizedClientError(`partner application ${partner.identity} (trust level ${partner.trustLevel}) does not accept user delegation`, 'partner_refuses_users');
    }
  }

  /**
   * @param principalId the caller's principal id (`nameid` = `<principalId>@<partner realm>`).
   * @throws what {@link assertSendable} throws, or the signer's errors (no certificate, realm not covered).
   */
  async mint(partner: PartnerApplication, principalId: string, user: UserIdentity | null): Promise<MintedPartnerTokens> {
    this.assertSendable(partner, user);
    const configuration = this.oauthConfiguration.cached();
    const key = this.signer.keyFor(partner.realm);
    const now = this.clock.now();
    const actorClaims = buildActorTokenClaims({
      serviceName: configuration.serviceName,
      clientPrincipalId: principalId,
      audience: { principalId: partner.applicationIdentifier, hostAuthority: partner.hostAuthority!, realm: partner.realm },
      now,
      lifetimeSeconds: configuration.actorTokenLifetimeSeconds,
      delegation: user !== null,
    });
    const actorToken = await this.signer.sign(key, 'JWT', actorClaims);
    const minted: MintedPartnerTokens = {
      actorToken,
      actorLifetimeSeconds: configuration.actorTokenLifetimeSeconds,
      outerToken: null,
      outerLifetimeSeconds: configuration.outerTokenLifetimeSeconds,
    };
    if (!user) return minted;
    const outer = this.wrap(actorToken, actorClaims, user);
    minted.outerToken = outer.token;
    minted.outerLifetimeSeconds = outer.lifetimeSeconds;
    return minted;
  }

  /**
   * The unsigned outer token carrying `user` around an actor token trusted for delegation, ours or
   * one a trust broker issued for us (SPEC 4.1, ms-s2s research 1.3): `aud` and `iss` from the
   * actor's `aud` and `nameid`, the user as `nameid` + `nii` (a SID under
   * `urn:office:idp:activedirectory`, else the first address) and its addresses, valid for the outer
   * token lifetime but never beyond the actor token.
   */
  wrap(actorToken: CompactJws, actorClaims: Record<string, unknown>, user: UserIdentity): OuterToken {
    const nameid = user.sid ?? user.upn ?? user.smtp ?? user.sip!;
    const claims = buildOuterTokenClaims({
      actorToken,
      actorClaims,
      user: { nameid, nii: user.sid ? AD_IDENTITY_PROVIDER : ADDRESS_IDENTITY_PROVIDER, ...user }, // spread last: see the hot-path rule in eslint.config.js
      now: this.clock.now(),
      lifetimeSeconds: this.oauthConfiguration.cached().outerTokenLifetimeSeconds,
    });
    return { token: unsignedCompactJwt(claims), lifetimeSeconds: (claims.exp as number) - (claims.nbf as number) };
  }
}
