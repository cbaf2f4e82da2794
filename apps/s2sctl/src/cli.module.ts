import { Module } from '@nestjs/common';
import { AdminKeyCommand, AdminKeyCreateCommand, AdminKeyListCommand, AdminKeyRevokeCommand } from './admin-key/admin-key.command.js';
import { AuditCommand, AuditListCommand } from './audit/audit.command.js';
import {
  CertificateAssignCommand,
  CertificateCommand,
  CertificateCompleteCommand,
  CertificateGetCommand,
  CertificateImportCommand,
  CertificateListCommand,
  CertificateNewSelfSignedCommand,
  CertificateRemoveCommand,
  CertificateRequestCommand,
  CertificateShowCommand,
} from './certificate/certificate.command.js';
import { AdminApiClientFactory } from './common/admin-api-client.factory.js';
import { CliProgramConfigurer } from './common/cli-program.configurer.js';
import { OutputFormatter } from './common/output.formatter.js';
import {
  OAuthConfigurationCommand,
  OAuthConfigurationGetCommand,
  OAuthConfigurationSetCommand,
} from './oauth-configuration/oauth-configuration.command.js';

/**
 * Every s2sctl command class is a provider here (nest-commander discovers them by metadata).
 * A new command group adds its file's classes to this list.
 */
@Module({
  providers: [
    AdminApiClientFactory,
    OutputFormatter,
    CliProgramConfigurer,
    OAuthConfigurationCommand,
    OAuthConfigurationGetCommand,
    OAuthConfigurationSetCommand,
    CertificateCommand,
    CertificateRequestCommand,
    CertificateCompleteCommand,
    CertificateImportCommand,
    CertificateNewSelfSignedCommand,
    CertificateListCommand,
    CertificateShowCommand,
    CertificateRemoveCommand,
    CertificateAssignCommand,
    CertificateGetCommand,
    AdminKeyCommand,
    AdminKeyCreateCommand,
    AdminKeyListCommand,
    AdminKeyRevokeCommand,
    AuditCommand,
    AuditListCommand,
  ],
})
export class CliModule {}
