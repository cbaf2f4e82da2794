import { Command, Help, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import type { CliSettings } from '../common/cli-settings.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { readInputFile } from '../common/input-file.reader.js';
import { booleanArgument, nonEmptyArgument } from '../common/option-argument.parser.js';
import { metadataHostArgument } from '../partner-application/partner-application.input.js';
import type { OAuthServer, OAuthServerList } from './oauth-server.dto.js';
import {
  ACS_METADATA_URL_EXAMPLE,
  OIDC_METADATA_URL_EXAMPLE,
  buildOAuthServerChangeBody,
  buildOAuthServerCreateBody,
  checkOAuthServerNewOptions,
  checkOAuthServerSetOptions,
  oauthMetadataUrlArgument,
  oauthServerPath,
  uniqueRepeatableArgument,
  type OAuthServerFiles,
  type OAuthServerNewOptions,
  type OAuthServerSetOptions,
} from './oauth-server.input.js';
import { refreshWarning, renderOAuthServer, renderOAuthServerList, renderOAuthServerRefresh, renderOAuthServerRemoved } from './oauth-server.render.js';

/**
 * `s2sctl oauth-server ...`: the external authorization servers (Microsoft Entra ID / ACS, OIDC
 * providers) whose tokens this service accepts (SPEC 5.5, 5.7), managed like
 * `New-/Get-/Set-/Remove-CsOAuthServer`, with the checks of the seeds' ServiceAuthAudience,
 * ServiceAuthTenantId, ServiceApplicationIds, ServiceObjectIds and ServiceAuthRole settings.
 * Registered by metadata URL: the server downloads the issuer and keys, and again on refresh.
 */

const IDENTITY_ARGUMENT = {
  arguments: '<identity>',
  argsDescription: { identity: 'name of the OAuth server, e.g. microsoft.sts (see s2sctl oauth-server list)' },
};
const AUDIENCE_DESCRIPTION = 'an aud value its tokens may carry, e.g. api://webapi (ServiceAuthAudience); repeatable';
const TENANT_DESCRIPTION = 'the tid its tokens must carry (ServiceAuthTenantId)';
const APPLICATION_ID_DESCRIPTION = 'a calling application allowed (appid/azp; ServiceApplicationIds); repeatable';
const OBJECT_ID_DESCRIPTION = 'an oid allowed (ServiceObjectIds); repeatable';
const ROLE_DESCRIPTION = 'an app role its tokens must carry (ServiceAuthRole)';
const METADATA_HOST_DESCRIPTION = 'host the metadata and keys may be downloaded from (default: the metadata URL host); repeatable';
const METADATA_CA_DESCRIPTION = 'PEM CA certificate(s) trusted for the metadata URL, besides the system store';

/** Reads the `--metadata-ca-file` named by the options (1 MiB at most). */
async function readOAuthServerFiles(options: { readonly metadataCaFile?: string }): Promise<OAuthServerFiles> {
  const caFile = options.metadataCaFile;
  return caFile === undefined ? {} : { metadataCaFile: { option: '--metadata-ca-file', path: caFile, bytes: await readInputFile(caFile, '--metadata-ca-file') } };
}

/** Base of `new`, `get` and `set`: prints the OAuth server. */
abstract class OAuthServerPrintCommand extends AdminCommandRunner {
  protected printServer(settings: CliSettings, server: OAuthServer): void {
    this.print(settings, server, (body) => renderOAuthServer(this.formatter, body));
  }
}

/** `s2sctl oauth-server new`: POST /admin/v1/oauth-servers. */
@SubCommand({
  name: 'new',
  description: 'Register an OAuth server by its OIDC discovery or ACS metadata URL (downloaded now; refused if it cannot be) (New-CsOAuthServer)',
})
export class OAuthServerNewCommand extends OAuthServerPrintCommand {
  async run(_params: string[], options: OAuthServerNewOptions): Promise<void> {
    // Usage errors before the file is read or the request sent.
    checkOAuthServerNewOptions(options);
    const body = buildOAuthServerCreateBody(options, await readOAuthServerFiles(options));
    const { settings, client } = this.openSession();
    this.printServer(settings, await client.post<OAuthServer>('/oauth-servers', body));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The issuer, its type (oidc or acs) and the signing keys come from the metadata. Its tokens are accepted when their',
      'aud is one of the --audience values and they pass the optional tenant, application, object and role checks.',
      '',
      'Examples:',
      `  s2sctl oauth-server new --identity microsoft.sts --metadata-url ${ACS_METADATA_URL_EXAMPLE} \\`,
      '      --audience 00000004-0000-0ff1-ce00-000000000000 --tenant-id 72f988bf-86f1-41af-91ab-2d7cd011db47',
      `  s2sctl oauth-server new --identity entra --metadata-url ${OIDC_METADATA_URL_EXAMPLE} \\`,
      '      --audience api://webapi --allowed-application-id 2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f --required-role Read.All',
      '  s2sctl oauth-server new --identity lab.idp --metadata-url https://idp.lab.local/.well-known/openid-configuration \\',
      '      --audience api://webapi --metadata-ca-file lab-root.pem',
    ].join('\n');
  }

  @Option({ flags: '--identity <name>', description: 'unique name of the OAuth server, e.g. microsoft.sts (lowercase)', required: true })
  parseIdentity(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--metadata-url <url>', description: `OIDC discovery or ACS metadata document, e.g. ${ACS_METADATA_URL_EXAMPLE}`, required: true })
  parseMetadataUrl(value: string): string {
    return oauthMetadataUrlArgument(value);
  }

  @Option({ flags: '--audience <aud>', description: `${AUDIENCE_DESCRIPTION}; at least one`, required: true })
  parseAudience(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--tenant-id <tenant>', description: `${TENANT_DESCRIPTION} (default: any tenant)` })
  parseTenantId(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--allowed-application-id <id>', description: `${APPLICATION_ID_DESCRIPTION} (default: any)` })
  parseAllowedApplicationId(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--allowed-object-id <oid>', description: `${OBJECT_ID_DESCRIPTION} (default: any)` })
  parseAllowedObjectId(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--required-role <role>', description: `${ROLE_DESCRIPTION} (default: none)` })
  parseRequiredRole(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--enabled <true|false>', description: 'false: registered, but its tokens are refused until enabled (default: true)' })
  parseEnabled(value: string): boolean {
    return booleanArgument(value);
  }

  @Option({ flags: '--metadata-ca-file <file>', description: METADATA_CA_DESCRIPTION })
  parseMetadataCaFile(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--metadata-host <host>', description: METADATA_HOST_DESCRIPTION })
  parseMetadataHost(value: string, previous?: string[]): string[] {
    return metadataHostArgument(value, previous);
  }

  @Option({ flags: '--allow-http-metadata', description: 'accept an http:// metadata URL (labs only: the keys could be tampered with in transit)' })
  parseAllowHttpMetadata(): boolean {
    return true;
  }
}

/** `s2sctl oauth-server list`: GET /admin/v1/oauth-servers. */
@SubCommand({ name: 'list', description: 'List the OAuth servers with their issuer, audiences, keys and metadata status' })
export class OAuthServerListCommand extends AdminCommandRunner {
  async run(): Promise<void> {
    const { settings, client } = this.openSession();
    const list = await client.get<OAuthServerList>('/oauth-servers');
    this.print(settings, list, (body) => renderOAuthServerList(this.formatter, body));
  }
}

/** `s2sctl oauth-server get <identity>`: GET /admin/v1/oauth-servers/{identity}. */
@SubCommand({
  name: 'get',
  ...IDENTITY_ARGUMENT,
  description: 'Show one OAuth server: settings, signing keys and metadata status (Get-CsOAuthServer)',
})
export class OAuthServerGetCommand extends OAuthServerPrintCommand {
  async run([identity]: string[]): Promise<void> {
    const path = oauthServerPath(identity);
    const { settings, client } = this.openSession();
    this.printServer(settings, await client.get<OAuthServer>(path));
  }
}

/** `s2sctl oauth-server set <identity>`: PATCH /admin/v1/oauth-servers/{identity}. */
@SubCommand({
  name: 'set',
  ...IDENTITY_ARGUMENT,
  description: 'Change an OAuth server; only the options given are changed (Set-CsOAuthServer)',
})
export class OAuthServerSetCommand extends OAuthServerPrintCommand {
  async run([identity]: string[], options: OAuthServerSetOptions = {}): Promise<void> {
    const path = oauthServerPath(identity);
    checkOAuthServerSetOptions(options);
    const body = buildOAuthServerChangeBody(options, await readOAuthServerFiles(options));
    const { settings, client } = this.openSession();
    this.printServer(settings, await client.patch<OAuthServer>(path, body));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      '--audience, --allowed-application-id, --allowed-object-id and --metadata-host replace the whole list (repeat the',
      'values to keep). The --clear-... options remove a restriction: then any tenant, application or object is accepted,',
      'or no role is required. A new --metadata-url is downloaded at once and must name the same issuer.',
      '',
      'Examples:',
      '  s2sctl oauth-server set microsoft.sts --enabled false',
      '  s2sctl oauth-server set entra --audience api://webapi --audience api://webapi-v2 --required-role Read.All',
      '  s2sctl oauth-server set entra --clear-tenant-id --clear-required-role',
    ].join('\n');
  }

  @Option({ flags: '--metadata-url <url>', description: 'new metadata URL (downloaded now; must name the same issuer)' })
  parseMetadataUrl(value: string): string {
    return oauthMetadataUrlArgument(value);
  }

  @Option({ flags: '--audience <aud>', description: `${AUDIENCE_DESCRIPTION}; replaces the list` })
  parseAudience(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--tenant-id <tenant>', description: TENANT_DESCRIPTION })
  parseTenantId(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--clear-tenant-id', description: 'accept tokens of any tenant' })
  parseClearTenantId(): boolean {
    return true;
  }

  @Option({ flags: '--allowed-application-id <id>', description: `${APPLICATION_ID_DESCRIPTION}; replaces the list` })
  parseAllowedApplicationId(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--clear-allowed-application-ids', description: 'accept tokens of any calling application' })
  parseClearAllowedApplicationIds(): boolean {
    return true;
  }

  @Option({ flags: '--allowed-object-id <oid>', description: `${OBJECT_ID_DESCRIPTION}; replaces the list` })
  parseAllowedObjectId(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--clear-allowed-object-ids', description: 'accept tokens of any object id' })
  parseClearAllowedObjectIds(): boolean {
    return true;
  }

  @Option({ flags: '--required-role <role>', description: ROLE_DESCRIPTION })
  parseRequiredRole(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--clear-required-role', description: 'require no app role' })
  parseClearRequiredRole(): boolean {
    return true;
  }

  @Option({ flags: '--enabled <true|false>', description: 'false: its tokens are refused until enabled again' })
  parseEnabled(value: string): boolean {
    return booleanArgument(value);
  }

  @Option({ flags: '--metadata-ca-file <file>', description: `${METADATA_CA_DESCRIPTION}; replaces the bundle` })
  parseMetadataCaFile(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--metadata-host <host>', description: `${METADATA_HOST_DESCRIPTION}; replaces the list` })
  parseMetadataHost(value: string, previous?: string[]): string[] {
    return metadataHostArgument(value, previous);
  }

  @Option({ flags: '--allow-http-metadata <true|false>', description: 'whether an http:// metadata URL is accepted (labs only)' })
  parseAllowHttpMetadata(value: string): boolean {
    return booleanArgument(value);
  }
}

/** `s2sctl oauth-server remove <identity>`: DELETE /admin/v1/oauth-servers/{identity}. */
@SubCommand({ name: 'remove', ...IDENTITY_ARGUMENT, description: 'Delete an OAuth server; its tokens are refused from then on (Remove-CsOAuthServer)' })
export class OAuthServerRemoveCommand extends AdminCommandRunner {
  async run([identity]: string[]): Promise<void> {
    const path = oauthServerPath(identity);
    const { settings, client } = this.openSession();
    const removed = await client.delete<OAuthServer>(path);
    this.print(settings, removed, (body) => renderOAuthServerRemoved(body));
  }
}

/** `s2sctl oauth-server refresh <identity>`: POST /admin/v1/oauth-servers/{identity}/refresh. */
@SubCommand({
  name: 'refresh',
  ...IDENTITY_ARGUMENT,
  description: "Download the server's metadata and keys again now; on failure the last known good keys are kept and the error is reported as a warning",
})
export class OAuthServerRefreshCommand extends AdminCommandRunner {
  async run([identity]: string[]): Promise<void> {
    const path = oauthServerPath(identity, '/refresh');
    const { settings, client } = this.openSession();
    const server = await client.post<OAuthServer>(path);
    this.print(settings, server, (body) => renderOAuthServerRefresh(this.formatter, body));
    // The refresh itself succeeded (exit 0) even when the download failed; say so on stderr, in every output format.
    const warning = refreshWarning(server);
    if (warning !== undefined) this.note(`warning: ${warning}`);
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'Exit code 0 whenever the server recorded the attempt, also when the download failed: the error is then in the',
      'status and on stderr as a warning: line, and the OAuth server keeps its last known good keys. Metadata naming',
      'another issuer is not applied (status review).',
      '',
      'Example:',
      '  s2sctl oauth-server refresh microsoft.sts',
    ].join('\n');
  }
}

/** `s2sctl oauth-server`: groups the OAuth server commands. */
@Command({
  name: 'oauth-server',
  description: 'Register, show, change, refresh and remove the OAuth servers (external authorization servers) whose tokens this service accepts',
  subCommands: [OAuthServerNewCommand, OAuthServerGetCommand, OAuthServerListCommand, OAuthServerSetCommand, OAuthServerRemoveCommand, OAuthServerRefreshCommand],
})
export class OAuthServerCommand extends CommandGroupRunner {}
