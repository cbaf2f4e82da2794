import { Module } from '@nestjs/common';
import { AdminKeyCommand, AdminKeyCreateCommand, AdminKeyListCommand, AdminKeyRevokeCommand } from './admin-key/admin-key.command.js';
import { AuditCommand, AuditListCommand } from './audit/audit.command.js';
import {
  CertificateAssignCommand,
  CertificateCommand,
  CertificateCompleteCommand,
  CertificateGetCommand,
  CertificateStatusCommand,
  CertificateShowRequestCommand,
  CertificateImportCommand,
  CertificateListCommand,
  CertificateNewSelfSignedCommand,
  CertificateRemoveCommand,
  CertificateRequestCommand,
  CertificateShowCommand,
} from './certificate/certificate.command.js';
import {
  ClientAddCertificateCommand,
  ClientAddSecretCommand,
  ClientCommand,
  ClientGrantRoleCommand,
  ClientGrantScopeCommand,
  ClientListCommand,
  ClientNewCommand,
  ClientRemoveCertificateCommand,
  ClientRemoveCommand,
  ClientRemoveSecretCommand,
  ClientRevokeRoleCommand,
  ClientRevokeScopeCommand,
  ClientSetCommand,
  ClientShowCommand,
} from './client/client.command.js';
import { AdminApiClientFactory } from './common/admin-api-client.factory.js';
import { CliProgramConfigurer } from './common/cli-program.configurer.js';
import { OutputFormatter } from './common/output.formatter.js';
import {
  OAuthConfigurationCommand,
  OAuthConfigurationGetCommand,
  OAuthConfigurationSetCommand,
} from './oauth-configuration/oauth-configuration.command.js';
import {
  OAuthServerCommand,
  OAuthServerGetCommand,
  OAuthServerListCommand,
  OAuthServerNewCommand,
  OAuthServerRefreshCommand,
  OAuthServerRemoveCommand,
  OAuthServerSetCommand,
} from './oauth-server/oauth-server.command.js';
import {
  ResourceCommand,
  ResourceListCommand,
  ResourceNewCommand,
  ResourceRemoveCommand,
  ResourceSetCommand,
  ResourceShowCommand,
} from './resource/resource.command.js';
import {
  PartnerApplicationCommand,
  PartnerApplicationGetCommand,
  PartnerApplicationListCommand,
  PartnerApplicationNewCommand,
  PartnerApplicationRefreshCommand,
  PartnerApplicationRemoveCommand,
  PartnerApplicationSetCommand,
} from './partner-application/partner-application.command.js';
import { OAuthServerTestCommand, PartnerApplicationApproveKeysCommand, PartnerApplicationTestCommand, StatusCommand } from './lifecycle/lifecycle.command.js';
import { TokenCommand, TokenDecodeCommand, TokenGetCommand, TokenValidateCommand } from './token/token.command.js';
import { ClientRevokeTokensCommand, OAuthServerRevokeTokensCommand, PartnerApplicationRevokeTokensCommand, TokenRevokeCommand } from './revocation/revocation.command.js';

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
    CertificateStatusCommand,
    CertificateShowRequestCommand,
    ResourceCommand,
    ResourceNewCommand,
    ResourceListCommand,
    ResourceShowCommand,
    ResourceSetCommand,
    ResourceRemoveCommand,
    ClientCommand,
    ClientNewCommand,
    ClientListCommand,
    ClientShowCommand,
    ClientSetCommand,
    ClientRemoveCommand,
    ClientAddSecretCommand,
    ClientRemoveSecretCommand,
    ClientAddCertificateCommand,
    ClientRemoveCertificateCommand,
    ClientGrantRoleCommand,
    ClientRevokeRoleCommand,
    ClientGrantScopeCommand,
    ClientRevokeScopeCommand,
    TokenCommand,
    TokenGetCommand,
    TokenDecodeCommand,
    TokenValidateCommand,
    TokenRevokeCommand,
    ClientRevokeTokensCommand,
    PartnerApplicationRevokeTokensCommand,
    OAuthServerRevokeTokensCommand,
    PartnerApplicationCommand,
    PartnerApplicationNewCommand,
    PartnerApplicationGetCommand,
    PartnerApplicationListCommand,
    PartnerApplicationSetCommand,
    PartnerApplicationRemoveCommand,
    PartnerApplicationRefreshCommand,
    OAuthServerCommand,
    OAuthServerNewCommand,
    OAuthServerGetCommand,
    OAuthServerListCommand,
    OAuthServerSetCommand,
    OAuthServerRemoveCommand,
    OAuthServerRefreshCommand,
    AdminKeyCommand,
    AdminKeyCreateCommand,
    AdminKeyListCommand,
    AdminKeyRevokeCommand,
    AuditCommand,
    AuditListCommand,
    PartnerApplicationTestCommand,
    PartnerApplicationApproveKeysCommand,
    OAuthServerTestCommand,
    StatusCommand,
  ],
})
export class CliModule {}
