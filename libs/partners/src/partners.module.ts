import { Module } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { PartnerApplicationController } from './partner-application.controller.js';
import { PartnerApplicationService } from './partner-application.service.js';
import { PartnerDirectory } from './partner.directory.js';

/** Partner applications (SPEC 5.5): registry, metadata download and refresh, in-memory directory. */
@Module({
  imports: [AuditModule, OAuthConfigurationModule],
  controllers: [PartnerApplicationController],
  providers: [PartnerApplicationService, PartnerDirectory],
  exports: [PartnerApplicationService, PartnerDirectory],
})
export class PartnersModule {}
