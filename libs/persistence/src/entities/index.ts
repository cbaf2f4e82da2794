import { AdminApiKeyEntity } from './admin-api-key.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { CertificateAssignmentEntity } from './certificate-assignment.entity.js';
import { ClientCertificateEntity, ClientEntity, ClientRoleGrantEntity, ClientScopeGrantEntity, ClientSecretEntity, ResourceEntity } from './client.entities.js';
import { CertificateRequestEntity } from './certificate-request.entity.js';
import { CertificateEntity } from './certificate.entity.js';
import { OAuthConfigurationEntity } from './oauth-configuration.entity.js';
import { PartnerApplicationEntity } from './partner-application.entity.js';
import { OAuthServerEntity } from './oauth-server.entity.js';
import { InstanceHeartbeatEntity } from './instance-heartbeat.entity.js';

export { PartnerApplicationEntity, OAuthServerEntity, InstanceHeartbeatEntity };
export { ClientCertificateEntity, ClientEntity, ClientRoleGrantEntity, ClientScopeGrantEntity, ClientSecretEntity, ResourceEntity };
export { AdminApiKeyEntity, AuditEventEntity, CertificateAssignmentEntity, CertificateEntity, CertificateRequestEntity, OAuthConfigurationEntity };

/** Every entity the data source maps. */
export const ENTITIES = [
  OAuthConfigurationEntity,
  AdminApiKeyEntity,
  AuditEventEntity,
  CertificateEntity,
  CertificateRequestEntity,
  CertificateAssignmentEntity,
  ClientEntity,
  ClientSecretEntity,
  ClientCertificateEntity,
  ResourceEntity,
  ClientRoleGrantEntity,
  ClientScopeGrantEntity,
  PartnerApplicationEntity,
  OAuthServerEntity,
  InstanceHeartbeatEntity,
];
