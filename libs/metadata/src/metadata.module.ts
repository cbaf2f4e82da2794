import { Module } from '@nestjs/common';
import { CertificatesModule } from '@s2s/certificates';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { RolloverModule } from '@s2s/rollover';
import { MetadataController } from './metadata.controller.js';

/** Metadata publishing (SPEC 5.3): anonymous, cacheable, served from memory. */
@Module({
  imports: [CertificatesModule, OAuthConfigurationModule, RolloverModule],
  controllers: [MetadataController],
})
export class MetadataModule {}
