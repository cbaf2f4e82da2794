/**
 * The one global settings object of an installation (SPEC 5.1), like `Set-CsOAuthConfiguration`.
 */
export interface OAuthConfiguration {
  /** This installation's principal id: a lowercase GUID. Its issuer name is `<serviceName>@<realm>`. */
  serviceName: string;
  /** Default realm tokens are issued for; null until an administrator sets it. */
  realm: string | null;
  /** Host authority partners address us by; null means the host of PUBLIC_URL. */
  publicHost: string | null;
  actorTokenLifetimeSeconds: number;
  outerTokenLifetimeSeconds: number;
  accessTokenLifetimeSeconds: number;
  clockSkewSeconds: number;
  metadataRefreshIntervalSeconds: number;
  updatedAt: Date;
}

/** The settable part of the configuration. */
export type OAuthConfigurationChanges = Partial<Omit<OAuthConfiguration, 'updatedAt'>>;

/** Allowed range and default of each lifetime-like setting, in seconds. */
export const DURATION_SETTINGS = {
  // SPEC 4.1: actor tokens 12 h by default, never above 24 h.
  actorTokenLifetimeSeconds: { min: 60, max: 86_400, default: 43_200 },
  // SPEC 4.1: outer tokens live minutes.
  outerTokenLifetimeSeconds: { min: 60, max: 3_600, default: 300 },
  // SPEC 4.2: RFC 9068 access tokens, 60 min by default.
  accessTokenLifetimeSeconds: { min: 60, max: 86_400, default: 3_600 },
  // SPEC 5.6: nbf/exp skew, 300 s by default.
  clockSkewSeconds: { min: 0, max: 900, default: 300 },
  // SPEC 5.5: partner metadata refresh, 1 h by default.
  metadataRefreshIntervalSeconds: { min: 60, max: 604_800, default: 3_600 },
} as const;

export type DurationSetting = keyof typeof DURATION_SETTINGS;
