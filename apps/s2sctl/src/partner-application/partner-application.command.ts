import { Command, Help, Option, SubCommand } from 'nest-commander';
import { PartnerApplicationRevokeTokensCommand } from '../revocation/revocation.command.js';
import type { InputFile } from '../certificate/certificate.input.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { PartnerApplicationApproveKeysCommand, PartnerApplicationTestCommand } from '../lifecycle/lifecycle.command.js';
import { readInputFile } from '../common/input-file.reader.js';
import { booleanArgument, nonEmptyArgument, repeatableArgument } from '../common/option-argument.parser.js';
import { identityArgument, refreshExamples, trustedIssuerCommands } from '../trusted-issuer/trusted-issuer.command.js';
import { readMetadataCaFile } from '../trusted-issuer/trusted-issuer.input.js';
import type { PartnerApplication, PartnerApplicationList, TrustLevel } from './partner-application.dto.js';
import {
  METADATA_URL_EXAMPLE,
  applicationIdentifierArgument,
  acceptedDomainArgument,
  keyChangePolicyArgument,
  buildPartnerChangeBody,
  buildPartnerCreateBody,
  checkPartnerSetOptions,
  metadataUrlArgument,
  partnerParameterSet,
  partnerPath,
  trustLevelArgument,
  type PartnerFiles,
  type PartnerNewOptions,
  type PartnerSetOptions,
} from './partner-application.input.js';
import {
  renderPartnerApplication,
  renderPartnerApplicationList,
  renderPartnerRefresh,
  renderPartnerRemoved,
} from './partner-application.render.js';


const SOURCE_ADDRESS_DESCRIPTION =
  'an address the partner downloads our metadata from, besides those of its metadata host name (rollover evidence); repeatable';
/**
 * `s2sctl partner-application ...`: the peer servers this service trusts (SPEC 5.5, 5.7), managed
 * like `New-/Get-/Set-/Remove-CsPartnerApplication`: registered by metadata URL (the server
 * downloads the partner's signing keys, and again on refresh) or by application identifier, realm
 * and pinned certificates. The plumbing the OAuth server commands share is in ../trusted-issuer.
 */

const IDENTITY_ARGUMENT = identityArgument('name of the partner application, e.g. microsoft.exchange (see s2sctl partner-application list)');
const TRUST_LEVEL_DESCRIPTION = 'Full (as itself and as any user of its realm), Application (only as itself) or User (only on behalf of users); any case';
const CERTIFICATE_DESCRIPTION = "the partner's signing certificate: PEM, DER (.cer) or base64 DER; repeatable";
const ACCEPTED_DOMAIN_DESCRIPTION = 'a domain whose users the partner may act for where its realm is a tenant id (contoso.com, or *.contoso.com for subdomains); repeatable';
const KEY_CHANGE_POLICY_DESCRIPTION = 'accept (keys new in refreshed metadata are trusted at once; default) or review (held until approve-keys)';
const METADATA_HOST_DESCRIPTION = 'host the metadata may be downloaded from (default: the metadata URL host); repeatable';

/** The bases of the verbs below; keys are marked expired against this machine's clock. */
const PARTNER = trustedIssuerCommands<PartnerApplication, PartnerApplicationList>({
  collection: '/partner-applications',
  path: partnerPath,
  metadataHostDescription: METADATA_HOST_DESCRIPTION,
  render: {
    list: renderPartnerApplicationList,
    one: (formatter, partner) => renderPartnerApplication(formatter, partner, new Date()),
    refresh: (formatter, partner) => renderPartnerRefresh(formatter, partner, new Date()),
    removed: renderPartnerRemoved,
  },
});

/** Reads the `--certificate` and `--metadata-ca-file` files named by the options (1 MiB each at most). */
async function readPartnerFiles(options: { readonly certificate?: readonly string[]; readonly metadataCaFile?: string }): Promise<PartnerFiles> {
  const certificates: InputFile[] = [];
  for (const path of options.certificate ?? []) certificates.push({ option: '--certificate', path, bytes: await readInputFile(path, '--certificate') });
  return { ...(options.certificate === undefined ? {} : { certificates }), ...(await readMetadataCaFile(options)) };
}

/** A note for each certificate file of which only the first certificate was sent. */
function ignoredChainNotes(ignoredChains: readonly string[]): string[] {
  return ignoredChains.map((path) => `only the first certificate of ${path} was pinned; the others in the file were not sent`);
}

/** `s2sctl partner-application new`: POST /admin/v1/partner-applications. */
@SubCommand({
  name: 'new',
  description:
    'Register a partner application by its metadata URL (downloaded now; refused if it cannot be) ' +
    'or by application identifier, realm and certificate (New-CsPartnerApplication)',
})
export class PartnerApplicationNewCommand extends PARTNER.New {
  async run(_params: string[], options: PartnerNewOptions): Promise<void> {
    // Usage errors before any file is read or request sent.
    partnerParameterSet(options);
    const { body, ignoredChains } = buildPartnerCreateBody(options, await readPartnerFiles(options));
    const { settings, client } = this.openSession();
    this.printIssuer(settings, await client.post<PartnerApplication>('/partner-applications', body), ignoredChainNotes(ignoredChains));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'Give either --metadata-url (the application identifier, realm and certificates come from the document) or',
      '--application-identifier, --realm and --certificate, or --application-identifier and --use-oauth-server (a partner whose',
      'tokens an ACS / Entra OAuth server issues; its realm is the server\'s tenant). --metadata-ca-file, --metadata-host and',
      '--allow-http-metadata only go with --metadata-url. The trust level is Application unless --trust-level says otherwise.',
      '',
      'Examples:',
      `  s2sctl partner-application new --identity microsoft.exchange --metadata-url ${METADATA_URL_EXAMPLE} --trust-level Full`,
      '  s2sctl partner-application new --identity lab.sharepoint --metadata-url https://sp.lab.local/_layouts/15/metadata/json/1 \\',
      '      --metadata-ca-file lab-root.pem --host sp.lab.local',
      '  s2sctl partner-application new --identity fabrikam.app --application-identifier 2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f \\',
      '      --realm fabrikam.com --certificate fabrikam-signing.cer --host app.fabrikam.com',
      '  s2sctl partner-application new --identity microsoft.exchange --application-identifier 00000002-0000-0ff1-ce00-000000000000 \\',
      '      --use-oauth-server microsoft.sts --trust-level Full --accepted-domain contoso.com',
    ].join('\n');
  }

  @Option({ flags: '--identity <name>', description: 'unique name of the partner, e.g. microsoft.exchange (lowercase)', required: true })
  parseIdentity(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--metadata-url <url>', description: `the partner's authentication metadata document, e.g. ${METADATA_URL_EXAMPLE}` })
  parseMetadataUrl(value: string): string {
    return metadataUrlArgument(value);
  }

  @Option({ flags: '--application-identifier <guid>', description: "the partner's principal id (GUID), without --metadata-url" })
  parseApplicationIdentifier(value: string): string {
    return applicationIdentifierArgument(value);
  }

  @Option({ flags: '--realm <realm>', description: "the partner's realm, without --metadata-url" })
  parseRealm(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--certificate <file>', description: `${CERTIFICATE_DESCRIPTION}, without --metadata-url` })
  parseCertificate(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--host <authority>', description: 'host authority of the partner (host[:port]), used in the audience of tokens sent to it' })
  parseHost(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--trust-level <level>', description: `${TRUST_LEVEL_DESCRIPTION} (default: Application)` })
  parseTrustLevel(value: string): TrustLevel {
    return trustLevelArgument(value);
  }

  @Option({ flags: '--accept-security-identifier-information', description: 'accept Windows security identifiers (SIDs) of users in its tokens' })
  parseAcceptSecurityIdentifierInformation(): boolean {
    return true;
  }

  @Option({ flags: '--source-address <ip>', description: SOURCE_ADDRESS_DESCRIPTION })
  parseSourceAddress(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--key-change-policy <policy>', description: KEY_CHANGE_POLICY_DESCRIPTION })
  parseKeyChangePolicy(value: string): 'accept' | 'review' {
    return keyChangePolicyArgument(value);
  }

  @Option({ flags: '--use-oauth-server <identity>', description: 'the OAuth server (type acs, e.g. microsoft.sts) whose actor tokens speak for this partner, with --application-identifier (New-CsPartnerApplication -UseOAuthServer)' })
  parseUseOAuthServer(value: string): string {
    return nonEmptyArgument(value).trim().toLowerCase();
  }

  @Option({ flags: '--accepted-domain <domain>', description: ACCEPTED_DOMAIN_DESCRIPTION })
  parseAcceptedDomain(value: string, previous?: string[]): string[] {
    return repeatableArgument(acceptedDomainArgument(value), previous);
  }
}

/** `s2sctl partner-application list`: GET /admin/v1/partner-applications. */
@SubCommand({ name: 'list', description: 'List the partner applications with their trust level, keys and metadata status' })
export class PartnerApplicationListCommand extends PARTNER.List {}

/** `s2sctl partner-application get <identity>`: GET /admin/v1/partner-applications/{identity}. */
@SubCommand({
  name: 'get',
  ...IDENTITY_ARGUMENT,
  description: 'Show one partner application: settings, signing keys and metadata status (Get-CsPartnerApplication)',
})
export class PartnerApplicationGetCommand extends PARTNER.Get {}

/** `s2sctl partner-application set <identity>`: PATCH /admin/v1/partner-applications/{identity}. */
@SubCommand({
  name: 'set',
  ...IDENTITY_ARGUMENT,
  description: 'Change a partner application; only the options given are changed (Set-CsPartnerApplication)',
})
export class PartnerApplicationSetCommand extends PARTNER.Set {
  async run([identity]: string[], options: PartnerSetOptions = {}): Promise<void> {
    const path = partnerPath(identity);
    checkPartnerSetOptions(options);
    const { body, ignoredChains } = buildPartnerChangeBody(options, await readPartnerFiles(options));
    const { settings, client } = this.openSession();
    this.printIssuer(settings, await client.patch<PartnerApplication>(path, body), ignoredChainNotes(ignoredChains));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The application identifier and realm cannot change (remove the partner and create it again); given, they must',
      'equal the current ones. --certificate replaces the pinned certificates, --metadata-host the list of hosts.',
      'A new --metadata-url is downloaded at once and must name the same application identifier and realm.',
      '',
      'Examples:',
      '  s2sctl partner-application set microsoft.exchange --enabled false',
      '  s2sctl partner-application set microsoft.exchange --trust-level full --accept-security-identifier-information true',
      '  s2sctl partner-application set fabrikam.app --certificate fabrikam-2026.cer --certificate fabrikam-2025.cer',
    ].join('\n');
  }

  @Option({ flags: '--metadata-url <url>', description: 'new metadata URL (downloaded now; must name the same application identifier and realm)' })
  parseMetadataUrl(value: string): string {
    return metadataUrlArgument(value);
  }

  @Option({ flags: '--application-identifier <guid>', description: 'must equal the current one (it cannot change)' })
  parseApplicationIdentifier(value: string): string {
    return applicationIdentifierArgument(value);
  }

  @Option({ flags: '--realm <realm>', description: 'must equal the current one (it cannot change)' })
  parseRealm(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--certificate <file>', description: `${CERTIFICATE_DESCRIPTION}; replaces the pinned certificates` })
  parseCertificate(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--host <authority>', description: 'new host authority (host[:port])' })
  parseHost(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--trust-level <level>', description: TRUST_LEVEL_DESCRIPTION })
  parseTrustLevel(value: string): TrustLevel {
    return trustLevelArgument(value);
  }

  @Option({ flags: '--accept-security-identifier-information <true|false>', description: 'whether SIDs of users in its tokens are accepted' })
  parseAcceptSecurityIdentifierInformation(value: string): boolean {
    return booleanArgument(value);
  }

  @Option({ flags: '--source-address <ip>', description: `${SOURCE_ADDRESS_DESCRIPTION}; replaces the list (--source-address none empties it)` })
  parseSourceAddress(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--key-change-policy <policy>', description: `${KEY_CHANGE_POLICY_DESCRIPTION}; back to accept trusts the held keys at once` })
  parseKeyChangePolicy(value: string): 'accept' | 'review' {
    return keyChangePolicyArgument(value);
  }

  @Option({ flags: '--accepted-domain <domain>', description: `${ACCEPTED_DOMAIN_DESCRIPTION}; replaces the list (--accepted-domain none empties it)` })
  parseAcceptedDomain(value: string, previous?: string[]): string[] {
    return repeatableArgument(value.trim().toLowerCase() === 'none' ? 'none' : acceptedDomainArgument(value), previous);
  }
}

/** `s2sctl partner-application remove <identity>`: DELETE /admin/v1/partner-applications/{identity}. */
@SubCommand({ name: 'remove', ...IDENTITY_ARGUMENT, description: 'Delete a partner application; its tokens are refused from then on (Remove-CsPartnerApplication)' })
export class PartnerApplicationRemoveCommand extends PARTNER.Remove {}

/** `s2sctl partner-application refresh <identity>`: POST /admin/v1/partner-applications/{identity}/refresh. */
@SubCommand({
  name: 'refresh',
  ...IDENTITY_ARGUMENT,
  description: "Download the partner's metadata again now; on failure the last known good keys are kept and the error is reported as a warning",
})
export class PartnerApplicationRefreshCommand extends PARTNER.Refresh {
  @Help('after')
  examples(): string {
    return refreshExamples(['status and on stderr as a warning: line, and the partner keeps its last known good keys.'], 's2sctl partner-application refresh microsoft.exchange');
  }
}

/** `s2sctl partner-application`: groups the partner application commands. */
@Command({
  name: 'partner-application',
  description: 'Register, show, change, refresh and remove the partner applications (peer servers) this service trusts',
  subCommands: [
    PartnerApplicationNewCommand,
    PartnerApplicationGetCommand,
    PartnerApplicationListCommand,
    PartnerApplicationSetCommand,
    PartnerApplicationRemoveCommand,
    PartnerApplicationRefreshCommand,
    PartnerApplicationTestCommand,
    PartnerApplicationApproveKeysCommand,
    PartnerApplicationRevokeTokensCommand,
  ],
})
export class PartnerApplicationCommand extends CommandGroupRunner {}
