import type { ModuleMetadata, Type } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { OAuthConfigurationModule } from '@s2s/oauth-configuration';

/**
 * The Nest module of one trusted-issuer kind: its admin controller, and its service and directory
 * (exported: validation and issuance read the directory). Every kind audits its changes and reads
 * the metadata refresh interval from the OAuth configuration.
 */
export function trustedIssuerModule(controller: Type, service: Type, directory: Type): ModuleMetadata {
  return { imports: [AuditModule, OAuthConfigurationModule], controllers: [controller], providers: [service, directory], exports: [service, directory] };
}
