import { Module } from '@nestjs/common';
import { CertificatesModule } from '@s2s/certificates';
import { ClientsModule } from '@s2s/clients';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { OAuthServersModule } from '@s2s/oauth-servers';
import { PartnersModule } from '@s2s/partners';
import { TokenIssuerModule } from '@s2s/token-issuer';
import { IntrospectionController } from './introspection.controller.js';
import { TokenValidationController } from './token-validation.controller.js';
import { TokenValidator } from './token.validator.js';

/** Validation (SPEC 5.6): the validator, introspection and explain. */
@Module({
  imports: [CertificatesModule, ClientsModule, PartnersModule, OAuthServersModule, OAuthConfigurationModule, TokenIssuerModule],
  controllers: [IntrospectionController, TokenValidationController],
  providers: [TokenValidator],
  exports: [TokenValidator],
})
export class ValidationModule {}
