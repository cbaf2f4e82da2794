import { Command, Help, Option, SubCommand } from 'nest-commander';
import { OAuthServerRevokeTokensCommand } from '../revocation/revocation.command.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { OAuthServerTestCommand } from '../lifecycle/lifecycle.command.js';
import { booleanArgument, nonEmptyArgument } from '../common/option-argument.parser.js';
import { identityArgument, refreshExamples, trustedIssuerCommands } from '../trusted-issuer/trusted-issuer.command.js';
import { readMetadataCaFile } from '../trusted-issuer/trusted-issuer.input.js';
import type { OAuthServer, OAuthServerList } from './oauth-server.dto.js';

const ALLOWED_TENANT_DESCRIPTION = 'for a multi-tenant issuer (https://login.microsoftonline.com/{tenantid}/v2.0): a tenant (tid) whose tokens are accepted';
const ALLOW_ANY_TENANT_DESCRIPTION = 'for a multi-tenant issuer: accept tokens of any tenant (audited, flagged in status; only when you mean it)';
import {
  ACS_METADATA_URL_EXAMPLE,
  ENTRA_V1_ISSUER_EXAMPLE,
  ENTRA_V1_METADATA_URL_EXAMPLE,
  OIDC_METADATA_URL_EXAMPLE,
  buildOAuthServerChangeBody,
  buildOAuthServerCreateBody,
  checkOAuthServerNewOptions,
  checkOAuthServerSetOptions,
  oauthMetadataUrlArgument,
  oauthServerPath,
  uniqueRepeatableArgument,
  type OAuthServerNewOptions,
  type OAuthServerSetOptions,
} from './oauth-server.input.js';
import { renderOAuthServer, renderOAuthServerList, renderOAuthServerRefresh, renderOAuthServerRemoved } from './oauth-server.render.js';

/**
 * `s2sctl oauth-server ...`: the external authorization servers (Microsoft Entra ID / ACS, OIDC
 * providers) whose tokens this service accepts (SPEC 5.5, 5.7), managed like
 * `New-/Get-/Set-/Remove-CsOAuthServer`, with the checks of the seeds' ServiceAuthAudience,
 * ServiceAuthTenantId, ServiceApplicationIds, ServiceObjectIds and ServiceAuthRole settings.
 * Registered by metadata URL: the server downloads the issuer and keys, and again on refresh. The
 * plumbing the partner-application commands share is in ../trusted-issuer.
 */

const IDENTITY_ARGUMENT = identityArgument('name of the OAuth server, e.g. microsoft.sts (see s2sctl oauth-server list)');
const AUDIENCE_DESCRIPTION = 'an aud value its tokens may carry, e.g. api://webapi (ServiceAuthAudience); repeatable';
const TENANT_DESCRIPTION = 'the tid its tokens must carry (ServiceAuthTenantId)';
const APPLICATION_ID_DESCRIPTION = 'a calling application allowed (appid/azp; ServiceApplicationIds); repeatable';
const OBJECT_ID_DESCRIPTION = 'an oid allowed (ServiceObjectIds); repeatable';
const ROLE_DESCRIPTION = 'an app role its tokens must carry (ServiceAuthRole)';
const METADATA_HOST_DESCRIPTION = 'host the metadata and keys may be downloaded from (default: the metadata URL host); repeatable';

const RENDER = { list: renderOAuthServerList, one: renderOAuthServer, refresh: renderOAuthServerRefresh, removed: renderOAuthServerRemoved };
/** The bases of the verbs below. */
const OAUTH_SERVER = trustedIssuerCommands<OAuthServer, OAuthServerList>({ collection: '/oauth-servers', path: oauthServerPath, render: RENDER, metadataHostDescription: METADATA_HOST_DESCRIPTION });

/** `s2sctl oauth-server new`: POST /admin/v1/oauth-servers. */
@SubCommand({
  name: 'new',
  description: 'Register an OAuth server by its OIDC discovery or ACS metadata URL (downloaded now; refused if it cannot be) (New-CsOAuthServer)',
})
export class OAuthServerNewCommand extends OAUTH_SERVER.New {
  async run(_params: string[], options: OAuthServerNewOptions): Promise<void> {
    // Usage errors before the file is read or the request sent.
    checkOAuthServerNewOptions(options);
    const body = buildOAuthServerCreateBody(options, await readMetadataCaFile(options));
    const { settings, client } = this.openSession();
    this.printIssuer(settings, await client.post<OAuthServer>('/oauth-servers', body));
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
      `  s2sctl oauth-server new --identity entra.v1 --metadata-url ${ENTRA_V1_METADATA_URL_EXAMPLE} \\`,
      `      --issuer '${ENTRA_V1_ISSUER_EXAMPLE}' --allowed-tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 --audience api://webapi`,
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
  @Option({ flags: '--allowed-tenant <tid>', description: `${ALLOWED_TENANT_DESCRIPTION}; repeatable` })
  parseAllowedTenant(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--allow-any-tenant', description: ALLOW_ANY_TENANT_DESCRIPTION })
  parseAllowAnyTenant(): boolean {
    return true;
  }

  @Option({
    flags: '--issuer <issuer>',
    description: `the issuer its tokens carry, when the discovery document names one that is not its own URL (${ENTRA_V1_ISSUER_EXAMPLE}); the document must name exactly this one`,
  })
  parseIssuer(value: string): string {
    return nonEmptyArgument(value).trim();
  }
}

/** `s2sctl oauth-server list`: GET /admin/v1/oauth-servers. */
@SubCommand({ name: 'list', description: 'List the OAuth servers with their issuer, audiences, keys and metadata status' })
export class OAuthServerListCommand extends OAUTH_SERVER.List {}

/** `s2sctl oauth-server get <identity>`: GET /admin/v1/oauth-servers/{identity}. */
@SubCommand({
  name: 'get',
  ...IDENTITY_ARGUMENT,
  description: 'Show one OAuth server: settings, signing keys and metadata status (Get-CsOAuthServer)',
})
export class OAuthServerGetCommand extends OAUTH_SERVER.Get {}

/** `s2sctl oauth-server set <identity>`: PATCH /admin/v1/oauth-servers/{identity}. */
@SubCommand({
  name: 'set',
  ...IDENTITY_ARGUMENT,
  description: 'Change an OAuth server; only the options given are changed (Set-CsOAuthServer)',
})
export class OAuthServerSetCommand extends OAUTH_SERVER.Set {
  async run([identity]: string[], options: OAuthServerSetOptions = {}): Promise<void> {
    const path = oauthServerPath(identity);
    checkOAuthServerSetOptions(options);
    const body = buildOAuthServerChangeBody(options, await readMetadataCaFile(options));
    const { settings, client } = this.openSession();
    this.printIssuer(settings, await client.patch<OAuthServer>(path, body));
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

  @Option({ flags: '--allowed-tenant <tid>', description: `${ALLOWED_TENANT_DESCRIPTION}; replaces the list (--allowed-tenant none empties it)` })
  parseAllowedTenant(value: string, previous?: string[]): string[] {
    return uniqueRepeatableArgument(value, previous);
  }

  @Option({ flags: '--allow-any-tenant <true|false>', description: ALLOW_ANY_TENANT_DESCRIPTION })
  parseAllowAnyTenant(value: string): boolean {
    return booleanArgument(value);
  }
}

/** `s2sctl oauth-server remove <identity>`: DELETE /admin/v1/oauth-servers/{identity}. */
@SubCommand({ name: 'remove', ...IDENTITY_ARGUMENT, description: 'Delete an OAuth server; its tokens are refused from then on (Remove-CsOAuthServer)' })
export class OAuthServerRemoveCommand extends OAUTH_SERVER.Remove {}

/** `s2sctl oauth-server refresh <identity>`: POST /admin/v1/oauth-servers/{identity}/refresh. */
@SubCommand({
  name: 'refresh',
  ...IDENTITY_ARGUMENT,
  description: "Download the server's metadata and keys again now; on failure the last known good keys are kept and the error is reported as a warning",
})
export class OAuthServerRefreshCommand extends OAUTH_SERVER.Refresh {
  @Help('after')
  examples(): string {
    const keeps = ['status and on stderr as a warning: line, and the OAuth server keeps its last known good keys. Metadata naming', 'another issuer is not applied (status review).'];
    return refreshExamples(keeps, 's2sctl oauth-server refresh microsoft.sts');
  }
}

/** `s2sctl oauth-server`: groups the OAuth server commands. */
@Command({
  name: 'oauth-server',
  description: 'Register, show, change, refresh and remove the OAuth servers (external authorization servers) whose tokens this service accepts',
  subCommands: [OAuthServerNewCommand, OAuthServerGetCommand, OAuthServerListCommand, OAuthServerSetCommand, OAuthServerRemoveCommand, OAuthServerRefreshCommand, OAuthServerTestCommand, OAuthServerRevokeTokensCommand],
})
export class OAuthServerCommand extends CommandGroupRunner {}
