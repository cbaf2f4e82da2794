export { type AdminApiKey, type AdminRole, ADMIN_ROLES } from './admin-api-key.js';
export { AdminApiKeyRepository } from './admin-api-key.repository.js';
export { AdminApiKeyService, type CreatedAdminApiKey } from './admin-api-key.service.js';
export { parseAdminApiKey, mintAdminApiKey, hashAdminApiKeySecret } from './admin-api-key.token.js';
export { AdminAuthGuard } from './admin-auth.guard.js';
export { Public, PUBLIC_ROUTE } from './public-route.decorator.js';
export { CurrentActor } from './current-actor.decorator.js';
export { AdminAccessModule } from './admin-access.module.js';
