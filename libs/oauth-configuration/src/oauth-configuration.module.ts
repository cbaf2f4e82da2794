import { Module } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { IdentityChangeGuard } from './identity-change.guard.js';
import { OAuthConfigurationController } from './oauth-configuration.controller.js';
import { OAuthConfigurationService } from './oauth-configuration.service.js';

/** The global OAuth configuration (SPEC 5.1). */
@Module({
  imports: [AuditModule],
  controllers: [OAuthConfigurationController],
  providers: [OAuthConfigurationService, IdentityChangeGuard],
  exports: [OAuthConfigurationService, IdentityChangeGuard],
})
export class OAuthConfigurationModule {}
