import { Injectable } from '@nestjs/common';
import type { CachedClient } from '@s2s/clients';
import { Clock } from '@s2s/core';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { InvalidScopeError, type TokenRequestParameters, UnauthorizedClientError } from '@s2s/oauth-wire';
import { buildAccessTokenClaims } from './access-token.claims.js';
import type { GrantResult, IssuerEndpoints } from './token-response.js';
import { TokenSigner } from './token.signer.js';
import { PartnerTokenGrant } from './partner-token.grant.js';
import { TokenTargetResolver } from './token-target.resolver.js';
import { parseUserIdentity, userSubject } from './user-identity.parser.js';

/**
 * `grant_type=client_credentials` (RFC 6749 4.4). For a partner application: the S2S actor token
 * (+ outer token), see {@link PartnerTokenGrant}. For a registered resource: an RFC 9068 app token
 * with exactly the roles granted to the client; or, for a client allowed to act as users and a
 * request naming a user (`upn`/`smtp`/`sip`/`sid`), a delegated token with the scopes granted to
 * the client and the client recorded as actor.
 */
@Injectable()
export class ClientCredentialsGrant {
  constructor(
    private readonly targets: TokenTargetResolver,
    private readonly signer: TokenSigner,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
    private readonly partnerTokens: PartnerTokenGrant,
  ) {}

  /** `credentialId`: the credential the client authenticated with, recorded in the token (`cred`). */
  async handle(client: CachedClient, credentialId: string, parameters: TokenRequestParameters, endpoints: IssuerEndpoints): Promise<GrantResult> {
    const user = parseUserIdentity(parameters);
    const partner = this.targets.partnerTarget(parameters.get('resource'));
    if (partner) return this.partnerTokens.handle(client, partner, user);
    const { resource } = this.targets.resolve(parameters.get('resource'), parameters.get('scope'), { allowNamedScopes: false });
    const key = this.signer.keyFor(client.client.realm);
    // Spread last, after the grant's own fields (see the hot-path rule in eslint.config.js).
    const base = {
      issuer: endpoints.issuer,
      audience: resource.appIdUri,
      clientId: client.client.clientId,
      credentialId,
      realm: client.client.realm,
      now: this.clock.now(),
      lifetimeSeconds: this.oauthConfiguration.cached().accessTokenLifetimeSeconds,
    };
    if (!user) {
      const roles = [...(client.roles.get(resource.id) ?? [])].sort();
      const token = await this.signer.sign(key, 'at+jwt', buildAccessTokenClaims({ roles, ...base }));
      return { kind: 'app', response: { access_token: token, token_type: 'Bearer', expires_in: base.lifetimeSeconds } };
    }
    if (!client.client.actAsUsers) throw new UnauthorizedClientError('this client may not act as users', 'act_as_users_not_allowed');
    const scopes = [...(client.scopes.get(resource.id) ?? [])].sort();
    if (scopes.length === 0) throw new InvalidScopeError(`no delegated scope of ${resource.appIdUri} is granted to this client`, 'no_scope_granted');
    const claims = buildAccessTokenClaims({ scopes, user: { sub: userSubject(user), ...user }, act: { sub: client.client.clientId }, ...base });
    const token = await this.signer.sign(key, 'at+jwt', claims);
    return { kind: 'user', response: { access_token: token, token_type: 'Bearer', expires_in: base.lifetimeSeconds, scope: scopes.map((s) => `${resource.appIdUri}/${s}`).join(' ') } };
  }
}
