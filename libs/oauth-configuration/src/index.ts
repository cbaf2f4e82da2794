export type { OAuthConfiguration, OAuthConfigurationChanges, DurationSetting, AutoRenewMode } from './oauth-configuration.js';
export { DURATION_SETTINGS, AUTO_RENEW_MODES, longestTokenLifetimeSeconds } from './oauth-configuration.js';
export { initialOAuthConfiguration, validateOAuthConfigurationChanges } from './oauth-configuration.rules.js';
export { OAuthConfigurationRepository } from './oauth-configuration.repository.js';
export { OAuthConfigurationService } from './oauth-configuration.service.js';
export { IdentityChangeGuard, type IdentityDependentCheck } from './identity-change.guard.js';
export { OAuthConfigurationModule } from './oauth-configuration.module.js';
