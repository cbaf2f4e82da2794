import { Module } from '@nestjs/common';
import { trustedIssuerModule } from '@s2s/trusted-issuers';
import { PartnerApplicationController } from './partner-application.controller.js';
import { PartnerApplicationService } from './partner-application.service.js';
import { PartnerDirectory } from './partner.directory.js';

/** Partner applications (SPEC 5.5): registry, metadata download and refresh, in-memory directory. */
@Module(trustedIssuerModule(PartnerApplicationController, PartnerApplicationService, PartnerDirectory))
export class PartnersModule {}
