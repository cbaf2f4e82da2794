import type { OAuthConfiguration } from './oauth-configuration.js';

/** Storage port of the OAuth configuration singleton (implemented by the persistence library). */
export abstract class OAuthConfigurationRepository {
  /** The stored configuration, or null before first start completed. */
  abstract find(): Promise<OAuthConfiguration | null>;
  /** Stores `configuration` unless one exists; returns whether it was stored. */
  abstract insertIfAbsent(configuration: OAuthConfiguration): Promise<boolean>;
  /** Replaces the stored configuration. */
  abstract update(configuration: OAuthConfiguration): Promise<void>;
}
