import { Module } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { OAuthServerController } from './oauth-server.controller.js';
import { OAuthServerDirectory } from './oauth-server.directory.js';
import { OAuthServerService } from './oauth-server.service.js';

/** External authorization servers (SPEC 5.5). */
@Module({
  imports: [AuditModule, OAuthConfigurationModule],
  controllers: [OAuthServerController],
  providers: [OAuthServerService, OAuthServerDirectory],
  exports: [OAuthServerService, OAuthServerDirectory],
})
export class OAuthServersModule {}
