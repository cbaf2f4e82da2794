import { Injectable } from '@nestjs/common';
import type { CachedClient } from '@s2s/clients';
import { UnauthorizedClientError } from '@s2s/oauth-wire';
import type { CachedPartner } from '@s2s/partners';
import type { UserIdentity } from './access-token.claims.js';
import { PartnerTokenMinter } from './partner-token.minter.js';
import type { GrantResult } from './token-response.js';
import { TrustBrokerClient } from './trust-broker.client.js';

/**
 * Client credentials for a partner application (SPEC 5.4, 4.1): the S2S actor token for the
 * partner's principal, host and realm; with a user (`upn`/`smtp`/`sip`/`sid`), for a client that may
 * act as users and a partner whose trust level allows users, the unsigned outer token around it.
 * For a partner that uses an OAuth server, the actor token comes from that server's trust broker
 * (asked for delegation when a user is named) and the outer token is wrapped around it here.
 * What the partner accepts is the {@link PartnerTokenMinter}'s; the client's own right here.
 */
@Injectable()
export class PartnerTokenGrant {
  constructor(
    private readonly minter: PartnerTokenMinter,
    private readonly broker: TrustBrokerClient,
  ) {}

  async handle(client: CachedClient, target: CachedPartner, user: UserIdentity | null): Promise<GrantResult> {
    if (user && !client.client.actAsUsers && target.partner.enabled && target.partner.hostAuthority) throw new UnauthorizedClientError('this client may not act as users', 'act_as_users_not_allowed');
    if (target.partner.useOAuthServer !== null) return this.throughBroker(target, user);
    const minted = await this.minter.mint(target.partner, client.client.clientId, user);
    if (minted.outerToken === null) {
      return { kind: 'app', response: { access_token: minted.actorToken, token_type: 'Bearer', expires_in: minted.actorLifetimeSeconds } };
    }
    return { kind: 'user', response: { access_token: minted.outerToken, token_type: 'Bearer', expires_in: minted.outerLifetimeSeconds } };
  }

  /**
   * A partner that uses an OAuth server accepts only what that server issues: the actor token comes
   * from its broker ([MS-XOAUTH] 3.2.5.2), app-only as it came, or, for a user, trusted for delegation
   * and wrapped in our unsigned outer token carrying the user (ms-s2s research 1.3, 1.4).
   */
  private async throughBroker(target: CachedPartner, user: UserIdentity | null): Promise<GrantResult> {
    const partner = target.partner;
    this.minter.assertSendable(partner, user);
    const actor = await this.broker.obtain(partner, user !== null);
    if (!user) return { kind: 'app', response: { access_token: actor.accessToken, token_type: 'Bearer', expires_in: actor.expiresIn } };
    const outer = this.minter.wrap(actor.accessToken, actor.claims!, user);
    return { kind: 'user', response: { access_token: outer.token, token_type: 'Bearer', expires_in: outer.lifetimeSeconds } };
  }
}
