import { Module } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';
import { ClientController } from './client.controller.js';
import { ClientDirectory } from './client.directory.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { ClientService } from './client.service.js';
import { ResourceController } from './resource.controller.js';
import { ResourceService } from './resource.service.js';

/** Clients and resources (SPEC 5.4, 5.7): the registry and its in-memory directory. */
@Module({
  imports: [AuditModule, OAuthConfigurationModule],
  controllers: [ResourceController, ClientController],
  providers: [ResourceService, ClientService, ClientSecretHasher, ClientDirectory],
  exports: [ClientDirectory, ClientSecretHasher, ClientService, ResourceService],
})
export class ClientsModule {}
