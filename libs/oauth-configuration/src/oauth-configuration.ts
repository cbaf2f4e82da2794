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
  /** Shortest time between staging a roll and its effective date (partners cache metadata); earlier only with force and a reason. */
  minimumRollLeadSeconds: number;
  /** Automatic renewal of the token-issuer certificate. */
  autoRenew: AutoRenewMode;
  /** How long before the current certificate expires automatic renewal starts. */
  renewBeforeSeconds: number;
  updatedAt: Date;
}

/**
 * Automatic renewal of the token-issuer certificate: `off`; `self-signed` (the service makes the
 * successor itself, for labs and private trust); `csr` (it creates a certificate request for a CA
 * and raises an alert; an operator completes it, then staging continues by itself).
 */
export type AutoRenewMode = 'off' | 'self-signed' | 'csr';
export const AUTO_RENEW_MODES: readonly AutoRenewMode[] = ['off', 'self-signed', 'csr'];

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
  // Issue 16: a roll is published at least 24 h ahead (Exchange caches partner metadata for hours).
  minimumRollLeadSeconds: { min: 0, max: 2_592_000, default: 86_400 },
  // Issue 16: renewal starts 30 days before the current certificate expires.
  renewBeforeSeconds: { min: 86_400, max: 31_536_000, default: 2_592_000 },
} as const;

/** The longest a token signed by this service stays valid, with the skew validators allow: how long a retired certificate must stay published. */
export function longestTokenLifetimeSeconds(configuration: OAuthConfiguration): number {
  return Math.max(configuration.actorTokenLifetimeSeconds, configuration.outerTokenLifetimeSeconds, configuration.accessTokenLifetimeSeconds) + configuration.clockSkewSeconds;
}

export type DurationSetting = keyof typeof DURATION_SETTINGS;
