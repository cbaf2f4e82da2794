import { AdminApiKeyEntity } from './admin-api-key.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { OAuthConfigurationEntity } from './oauth-configuration.entity.js';

export { AdminApiKeyEntity, AuditEventEntity, OAuthConfigurationEntity };

/** Every entity the data source maps. */
export const ENTITIES = [OAuthConfigurationEntity, AdminApiKeyEntity, AuditEventEntity];
