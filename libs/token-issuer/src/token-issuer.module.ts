import { Module } from '@nestjs/common';
import { CertificatesModule } from '@s2s/certificates';
import { ClientsModule } from '@s2s/clients';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { OAuthServersModule } from '@s2s/oauth-servers';
import { OAuthWireModule } from '@s2s/oauth-wire';
import { PartnersModule } from '@s2s/partners';
import { RevocationModule } from '@s2s/revocation';
import { ValidationModule } from '@s2s/validation';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { OnBehalfOfGrant } from './on-behalf-of.grant.js';
import { PartnerTokenGrant } from './partner-token.grant.js';
import { PartnerTokenMinter } from './partner-token.minter.js';
import { TokenEndpointService } from './token-endpoint.service.js';
import { TokenHttpRoute } from './token.http-route.js';
import { TokenMetrics } from './token.metrics.js';
import { TokenSigner } from './token.signer.js';
import { TokenTargetResolver } from './token-target.resolver.js';
import { ReplayStorePurger } from './replay-store.purger.js';
import { TrustBrokerClient } from './trust-broker.client.js';

/**
 * The built-in token issuer (SPEC 5.4): the token endpoint and its grants. The endpoint is a
 * {@link TokenHttpRoute} that the server mounts as a Fastify route (no controller). Client
 * authentication and its back-off come from {@link OAuthWireModule}, shared with introspection.
 */
@Module({
  imports: [CertificatesModule, ClientsModule, OAuthConfigurationModule, OAuthWireModule, PartnersModule, OAuthServersModule, ValidationModule, RevocationModule],
  providers: [
    ClientCredentialsGrant,
    OnBehalfOfGrant,
    PartnerTokenGrant,
    PartnerTokenMinter,
    TokenEndpointService,
    TokenHttpRoute,
    TokenMetrics,
    TokenSigner,
    TokenTargetResolver,
    ReplayStorePurger,
    TrustBrokerClient,
  ],
  exports: [TokenSigner, TokenHttpRoute, PartnerTokenMinter],
})
export class TokenIssuerModule {}
