export { type OAuthServer, type OAuthServerKey, TENANT_PLACEHOLDER, isIssuerTemplate, tenantOfIssuer } from './oauth-server.js';
export { OAuthServerRepository, OAUTH_SERVERS_TOPIC } from './oauth-server.repository.js';
export { OAuthServerService, type OAuthServerInput, type OAuthServerChanges } from './oauth-server.service.js';
export { OAuthServerDirectory, type CachedOAuthServer, type CachedOAuthServerKey } from './oauth-server.directory.js';
export { OAuthServersModule } from './oauth-servers.module.js';
