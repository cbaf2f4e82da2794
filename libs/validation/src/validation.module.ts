import { Module } from '@nestjs/common';
import { CertificatesModule } from '@s2s/certificates';
import { ClientsModule } from '@s2s/clients';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { OAuthServersModule } from '@s2s/oauth-servers';
import { OAuthWireModule } from '@s2s/oauth-wire';
import { PartnersModule } from '@s2s/partners';
import { RevocationModule } from '@s2s/revocation';
import { IntrospectionHttpRoute } from './introspection.http-route.js';
import { TokenValidationController } from './token-validation.controller.js';
import { AcsTokenVerifier } from './acs-token.verifier.js';
import { OAuthServerTokenVerifier } from './oauth-server-token.verifier.js';
import { PartnerTokenVerifier } from './partner-token.verifier.js';
import { SelfTokenVerifier } from './self-token.verifier.js';
import { TokenValidator } from './token.validator.js';
import { BearerChallenge } from './bearer-challenge.js';
import { BearerTokenFilter } from './bearer-token.filter.js';
import { S2sBearerGuard } from './s2s-bearer.guard.js';
import { WhoAmIController } from './whoami.controller.js';
import { RevocableTokenReader } from './revocable-token.reader.js';
import { AdminTokenRevocationController } from './admin-token-revocation.controller.js';
import { TokenRevocationHttpRoute } from './token-revocation.http-route.js';
import { ValidationMetrics } from './validation.metrics.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

/** Validation (SPEC 5.6): the validator, introspection and RFC 7009 revocation (routes the server mounts on Fastify, no controllers), explain, admin revocation, and the guard resource servers import. */
@Module({
  imports: [CertificatesModule, ClientsModule, PartnersModule, OAuthServersModule, OAuthConfigurationModule, OAuthWireModule, RevocationModule],
  controllers: [TokenValidationController, AdminTokenRevocationController, WhoAmIController],
  providers: [RevocableTokenReader, TokenValidator, VerifiedTokenCache, IntrospectionHttpRoute, TokenRevocationHttpRoute, SelfTokenVerifier, PartnerTokenVerifier, OAuthServerTokenVerifier, AcsTokenVerifier, ValidationMetrics, S2sBearerGuard, BearerChallenge, BearerTokenFilter],
  exports: [TokenValidator, VerifiedTokenCache, IntrospectionHttpRoute, TokenRevocationHttpRoute, S2sBearerGuard, BearerChallenge, BearerTokenFilter],
})
export class ValidationModule {}
