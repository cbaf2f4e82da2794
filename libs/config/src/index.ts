export { AppConfig, type TlsSettings, type MasterKeySource, type LogLevel, type HttpLimits } from './app-config.js';
export { loadAppConfig, decodeMasterKey, CONFIGURATION_VARIABLES, type Environment } from './app-config.loader.js';
export { loadMasterKey, type LoadedMasterKey } from './master-key.loader.js';
export { ConfigurationError } from './configuration.error.js';
export { AppConfigModule } from './config.module.js';
export { MasterKey } from './master-key.js';
