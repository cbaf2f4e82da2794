import { Injectable } from '@nestjs/common';
import type { CachedClient } from '@s2s/clients';
import { Clock } from '@s2s/core';
import { unsignedCompactJwt } from '@s2s/jwt';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { InvalidTargetError, UnauthorizedClientError } from '@s2s/oauth-wire';
import { AD_IDENTITY_PROVIDER, ADDRESS_IDENTITY_PROVIDER, allowsUsers, type CachedPartner } from '@s2s/partners';
import type { UserIdentity } from './access-token.claims.js';
import { buildActorTokenClaims, buildOuterTokenClaims } from './s2s-token.claims.js';
import type { GrantResult } from './token-response.js';
import { TokenSigner } from './token.signer.js';

/**
 * Client credentials for a partner application (SPEC 5.4, 4.1): the S2S actor token for the
 * partner's principal, host and realm; with a user (`upn`/`smtp`/`sip`/`sid`), for a client that may
 * act as users and a partner whose trust level allows users, the unsigned outer token around it.
 */
@Injectable()
export class PartnerTokenGrant {
  constructor(
    private readonly signer: TokenSigner,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {}

  async handle(client: CachedClient, target: CachedPartner, user: UserIdentity | null): Promise<GrantResult> {
    const partner = target.partner;
    if (!partner.enabled) throw new InvalidTargetError(`partner application ${partner.identity} is disabled`, 'partner_disabled');
    if (!partner.hostAuthority) throw new InvalidTargetError(`partner application ${partner.identity} has no host authority configured`, 'partner_host_missing');
    if (user && !client.client.actAsUsers) throw new UnauthorizedClientError('this client may not act as users', 'act_as_users_not_allowed');
    if (user && !allowsUsers(partner.trustLevel)) {
      throw new UnauthorizedClientError(`partner application ${partner.identity} (trust level ${partner.trustLevel}) does not accept user delegation`, 'partner_refuses_users');
    }
    const configuration = this.oauthConfiguration.cached();
    const key = this.signer.keyFor(partner.realm);
    const now = this.clock.now();
    const actorClaims = buildActorTokenClaims({
      serviceName: configuration.serviceName,
      clientPrincipalId: client.client.clientId,
      audience: { principalId: partner.applicationIdentifier, hostAuthority: partner.hostAuthority, realm: partner.realm },
      now,
      lifetimeSeconds: configuration.actorTokenLifetimeSeconds,
      delegation: user !== null,
    });
    const actorToken = await this.signer.sign(key, 'JWT', actorClaims);
    if (!user) {
      return { kind: 'app', response: { access_token: actorToken, token_type: 'Bearer', expires_in: configuration.actorTokenLifetimeSeconds } };
    }
    const nameid = user.sid ?? user.upn ?? user.smtp ?? user.sip!;
    const outer = buildOuterTokenClaims({
      actorToken,
      actorClaims,
      user: { nameid, nii: user.sid ? AD_IDENTITY_PROVIDER : ADDRESS_IDENTITY_PROVIDER, ...user }, // spread last: see the hot-path rule in eslint.config.js
      now,
      lifetimeSeconds: configuration.outerTokenLifetimeSeconds,
    });
    return { kind: 'user', response: { access_token: unsignedCompactJwt(outer), token_type: 'Bearer', expires_in: configuration.outerTokenLifetimeSeconds } };
  }
}
