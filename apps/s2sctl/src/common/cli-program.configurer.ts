import { Injectable } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';
import { formatUsageErrorLine } from './cli-errors.js';
import { ENV_ADMIN_KEY, ENV_DATA_DIR, ENV_SERVER } from './cli-settings.js';
import { addGlobalOptions, type CliCommand } from './global-options.js';

const PROGRAM_DESCRIPTION = 'Administer an s2s-trust server through its admin REST API (/admin/v1).';
const ROOT_HELP_FOOTER = `
Environment:
  ${ENV_SERVER.padEnd(15)}default for --server
  ${ENV_ADMIN_KEY.padEnd(15)}default for --admin-key
  ${ENV_DATA_DIR.padEnd(15)}where the bootstrap admin key file is looked for (default ./data)

Examples:
  s2sctl oauth-configuration get --ca-file server.pem
  s2sctl oauth-configuration set --realm contoso.com --access-token-lifetime 1h
  s2sctl certificate import --pfx s2s.pfx --password-file pfx-password.txt
  s2sctl certificate assign --type OAuthTokenIssuer --thumbprint <T> --roll --effective-date 2025-03-01T09:00:00Z
  s2sctl resource new --app-id-uri api://webapi --role Read.All --scope user_impersonation
  s2sctl client new --name "batch daemon" --realm contoso.com
  s2sctl client grant-role --client <client-id> --resource api://webapi --role Read.All
  TOKEN=$(s2sctl token get --client <client-id> --resource api://webapi --secret-file daemon.secret)
  s2sctl token decode "$TOKEN"
  s2sctl token validate "$TOKEN" --explain
  s2sctl partner-application new --identity microsoft.exchange --metadata-url https://mail.contoso.com/autodiscover/metadata/json/1
  s2sctl partner-application refresh microsoft.exchange
  s2sctl oauth-server new --identity microsoft.sts --metadata-url https://accounts.accesscontrol.windows.net/<tenant>/metadata/json/1 --audience <aud>
  s2sctl oauth-server list
  s2sctl admin-key create --name ci --role reader -o json
  s2sctl audit list --action admin-key.create --since 2025-01-01`;

/**
 * Finishes the commander tree that nest-commander built from the decorators: program name, the
 * global options on every command, one-line usage errors, and `exitOverride` so usage errors
 * become exceptions that `runS2sctl` turns into an exit code instead of commander calling
 * `process.exit` mid-flight.
 */
@Injectable()
export class CliProgramConfigurer {
  constructor(@InjectCommander() private readonly root: CliCommand) {}

  configure(): CliCommand {
    this.root.name('s2sctl').description(PROGRAM_DESCRIPTION).addHelpText('after', ROOT_HELP_FOOTER);
    configureTree(this.root);
    return this.root;
  }
}

function configureTree(command: CliCommand): void {
  addGlobalOptions(command);
  command.exitOverride();
  command.configureOutput({ outputError: (text, write) => write(formatUsageErrorLine(text)) });
  command.showSuggestionAfterError(true);
  // Leaf commands reject stray arguments (typos would otherwise be ignored silently); groups
  // receive them so they can report an unknown subcommand.
  if (command.commands.length === 0) command.allowExcessArguments(false);
  for (const child of command.commands) configureTree(child);
}
