import { Command, Help, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import { UsageError } from '../common/cli-errors.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { DURATION_SYNTAX, formatDuration } from '../common/duration.parser.js';
import { choiceArgument, durationArgument, nonEmptyArgument } from '../common/option-argument.parser.js';
import type { OutputFormatter } from '../common/output.formatter.js';

/** Body of GET/PUT /admin/v1/oauth-configuration. */
export interface OAuthConfiguration {
  readonly serviceName: string;
  readonly realm: string | null;
  readonly publicHost: string | null;
  readonly actorTokenLifetimeSeconds: number;
  readonly outerTokenLifetimeSeconds: number;
  readonly accessTokenLifetimeSeconds: number;
  readonly clockSkewSeconds: number;
  readonly metadataRefreshIntervalSeconds: number;
  readonly minimumRollLeadSeconds: number;
  readonly autoRenew: AutoRenewMode;
  readonly renewBeforeSeconds: number;
  readonly updatedAt: string;
}

/** oauth-configuration `autoRenew`: automatic renewal of the token-issuer certificate. */
export const AUTO_RENEW_MODES = ['off', 'self-signed', 'csr'] as const;
export type AutoRenewMode = (typeof AUTO_RENEW_MODES)[number];

/** PUT body: only the fields the user gave. */
export type OAuthConfigurationChange = Partial<Omit<OAuthConfiguration, 'updatedAt'>>;

/** Options of `set`, keyed as nest-commander names them (camel-cased long flag). */
interface SetOptions {
  readonly realm?: string;
  readonly serviceName?: string;
  readonly publicHost?: string;
  readonly actorTokenLifetime?: number;
  readonly outerTokenLifetime?: number;
  readonly accessTokenLifetime?: number;
  readonly clockSkew?: number;
  readonly metadataRefreshInterval?: number;
  readonly minimumRollLead?: number;
  readonly autoRenew?: AutoRenewMode;
  readonly renewBefore?: number;
  readonly force?: boolean;
}

/** `set` option -> field of the PUT body. */
const STRING_FIELDS = [
  ['serviceName', 'serviceName'],
  ['realm', 'realm'],
  ['publicHost', 'publicHost'],
  ['autoRenew', 'autoRenew'],
] as const satisfies readonly (readonly [keyof SetOptions, keyof OAuthConfigurationChange])[];
const DURATION_FIELDS = [
  ['actorTokenLifetime', 'actorTokenLifetimeSeconds'],
  ['outerTokenLifetime', 'outerTokenLifetimeSeconds'],
  ['accessTokenLifetime', 'accessTokenLifetimeSeconds'],
  ['clockSkew', 'clockSkewSeconds'],
  ['metadataRefreshInterval', 'metadataRefreshIntervalSeconds'],
  ['minimumRollLead', 'minimumRollLeadSeconds'],
  ['renewBefore', 'renewBeforeSeconds'],
] as const satisfies readonly (readonly [keyof SetOptions, keyof OAuthConfigurationChange])[];

/** The PUT body: exactly the fields whose options were given. */
export function buildConfigurationChange(options: SetOptions): OAuthConfigurationChange {
  const change: Record<string, string | number> = {};
  for (const [option, field] of [...STRING_FIELDS, ...DURATION_FIELDS]) {
    const value = options[option];
    if (value !== undefined) change[field] = value;
  }
  return change as OAuthConfigurationChange;
}

/** Key/value rendering shared by `get` and `set`; labels are the `set` option names. */
export function renderConfiguration(formatter: OutputFormatter, config: OAuthConfiguration): string {
  const duration = (seconds: number): string => `${formatDuration(seconds)} (${seconds}s)`;
  return formatter.keyValue([
    ['service-name', config.serviceName],
    ['realm', config.realm ?? '(not set)'],
    ['public-host', config.publicHost ?? '(not set)'],
    ['actor-token-lifetime', duration(config.actorTokenLifetimeSeconds)],
    ['outer-token-lifetime', duration(config.outerTokenLifetimeSeconds)],
    ['access-token-lifetime', duration(config.accessTokenLifetimeSeconds)],
    ['clock-skew', duration(config.clockSkewSeconds)],
    ['metadata-refresh-interval', duration(config.metadataRefreshIntervalSeconds)],
    ['minimum-roll-lead', duration(config.minimumRollLeadSeconds)],
    ['auto-renew', config.autoRenew],
    ['renew-before', duration(config.renewBeforeSeconds)],
    ['updated-at', config.updatedAt],
  ]);
}

/** `s2sctl oauth-configuration get`: GET /admin/v1/oauth-configuration. */
@SubCommand({ name: 'get', description: 'Show the OAuth configuration: realm, service name, public host, token lifetimes' })
export class OAuthConfigurationGetCommand extends AdminCommandRunner {
  async run(): Promise<void> {
    const { settings, client } = this.openSession();
    const config = await client.get<OAuthConfiguration>('/oauth-configuration');
    this.print(settings, config, (body) => renderConfiguration(this.formatter, body));
  }
}

/** `s2sctl oauth-configuration set`: PUT /admin/v1/oauth-configuration with only the given fields. */
@SubCommand({
  name: 'set',
  description:
    'Change OAuth configuration fields; only the options given are changed. Changing the service name or ' +
    'realm requires --force, because partners must re-register',
})
export class OAuthConfigurationSetCommand extends AdminCommandRunner {
  async run(_params: string[], options: SetOptions = {}): Promise<void> {
    const change = buildConfigurationChange(options);
    if (Object.keys(change).length === 0) {
      throw new UsageError('nothing to change: give at least one option such as --realm (see s2sctl oauth-configuration set --help)');
    }
    const { settings, client } = this.openSession();
    const config = await client.put<OAuthConfiguration>('/oauth-configuration', change, options.force ? { force: true } : undefined);
    this.print(settings, config, (body) => renderConfiguration(this.formatter, body));
  }

  @Help('after')
  durationHelp(): string {
    return `\nDurations: ${DURATION_SYNTAX}.\nExample: s2sctl oauth-configuration set --access-token-lifetime 1h --clock-skew 5m`;
  }

  @Option({ flags: '--realm <realm>', description: 'OAuth realm: a lowercase DNS name (e.g. contoso.com) or GUID' })
  parseRealm(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--service-name <guid>', description: 'service principal name (GUID) of this trust service' })
  parseServiceName(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--public-host <host>', description: 'host name partners use to reach this service, e.g. s2s.contoso.com' })
  parsePublicHost(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--actor-token-lifetime <duration>', description: 'lifetime of issued actor tokens (at most 24h)' })
  parseActorTokenLifetime(value: string): number {
    return durationArgument(value);
  }

  @Option({ flags: '--outer-token-lifetime <duration>', description: 'lifetime of outer (user delegation) tokens' })
  parseOuterTokenLifetime(value: string): number {
    return durationArgument(value);
  }

  @Option({ flags: '--access-token-lifetime <duration>', description: 'lifetime of issued access tokens' })
  parseAccessTokenLifetime(value: string): number {
    return durationArgument(value);
  }

  @Option({ flags: '--clock-skew <duration>', description: 'clock difference tolerated when validating tokens' })
  parseClockSkew(value: string): number {
    return durationArgument(value);
  }

  @Option({ flags: '--metadata-refresh-interval <duration>', description: 'how often partner metadata is downloaded again' })
  parseMetadataRefreshInterval(value: string): number {
    return durationArgument(value);
  }

  @Option({ flags: '--minimum-roll-lead <duration>', description: 'shortest time between staging a certificate roll and its effective date (default 24h; 0 to 30d)' })
  parseMinimumRollLead(value: string): number {
    return durationArgument(value);
  }

  @Option({ flags: '--auto-renew <mode>', description: `automatic renewal of the token-issuer certificate: ${AUTO_RENEW_MODES.join(', ')}` })
  parseAutoRenew(value: string): AutoRenewMode {
    return choiceArgument(value, AUTO_RENEW_MODES);
  }

  @Option({ flags: '--renew-before <duration>', description: 'start automatic renewal this long before the current certificate expires (default 30d; 1d to 365d)' })
  parseRenewBefore(value: string): number {
    return durationArgument(value);
  }

  @Option({ flags: '--force', description: 'allow changing the service name or realm (partners must then re-register)' })
  parseForce(): boolean {
    // commander calls a flag's parser with no value; presence means true.
    return true;
  }
}

/** `s2sctl oauth-configuration`: groups get and set. */
@Command({
  name: 'oauth-configuration',
  description: 'Show or change the OAuth configuration (realm, service name, token lifetimes)',
  subCommands: [OAuthConfigurationGetCommand, OAuthConfigurationSetCommand],
})
export class OAuthConfigurationCommand extends CommandGroupRunner {}
