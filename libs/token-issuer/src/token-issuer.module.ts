import { Module } from '@nestjs/common';
import { CertificatesModule } from '@s2s/certificates';
import { ClientsModule } from '@s2s/clients';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { PartnersModule } from '@s2s/partners';
import { AuthenticationBackoff } from './authentication.backoff.js';
import { ClientAssertionVerifier } from './client-assertion.verifier.js';
import { ClientAuthenticator } from './client.authenticator.js';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { OnBehalfOfGrant } from './on-behalf-of.grant.js';
import { PartnerTokenGrant } from './partner-token.grant.js';
import { TokenEndpointService } from './token-endpoint.service.js';
import { TokenHttpRoute } from './token.http-route.js';
import { TokenMetrics } from './token.metrics.js';
import { TokenSigner } from './token.signer.js';
import { TokenTargetResolver } from './token-target.resolver.js';
import { ReplayStorePurger } from './replay-store.purger.js';

/**
 * The built-in token issuer (SPEC 5.4): the token endpoint and its grants. The endpoint is a
 * {@link TokenHttpRoute} that the server mounts ahead of Fastify (no controller).
 */
@Module({
  imports: [CertificatesModule, ClientsModule, OAuthConfigurationModule, PartnersModule],
  providers: [
    AuthenticationBackoff,
    ClientAssertionVerifier,
    ClientAuthenticator,
    ClientCredentialsGrant,
    OnBehalfOfGrant,
    PartnerTokenGrant,
    TokenEndpointService,
    TokenHttpRoute,
    TokenMetrics,
    TokenSigner,
    TokenTargetResolver,
    ReplayStorePurger,
  ],
  exports: [TokenSigner, AuthenticationBackoff, ClientAuthenticator, TokenHttpRoute],
})
export class TokenIssuerModule {}
