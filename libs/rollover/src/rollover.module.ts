import { Module } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { CertificatesModule } from '@s2s/certificates';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { PartnersModule } from '@s2s/partners';
import { MetadataDownloadLog } from './metadata-download.log.js';
import { RolloverEvidenceService } from './rollover-evidence.service.js';
import { RolloverScheduler } from './rollover.scheduler.js';
import { TokenIssuerRenewalService } from './token-issuer-renewal.service.js';
import { TokenIssuerRolloverController } from './token-issuer-rollover.controller.js';

/**
 * Trust that never breaks a partner (issue 16): evidence of who downloaded our metadata, the
 * activation gate, automatic removal of the previous certificate and automatic renewal.
 */
@Module({
  imports: [AuditModule, OAuthConfigurationModule, CertificatesModule, PartnersModule],
  controllers: [TokenIssuerRolloverController],
  providers: [MetadataDownloadLog, RolloverEvidenceService, TokenIssuerRenewalService, RolloverScheduler],
  exports: [MetadataDownloadLog, RolloverScheduler],
})
export class RolloverModule {}
