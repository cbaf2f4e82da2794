import type { CommandRunner } from 'nest-commander';
import { choiceArgument } from './option-argument.parser.js';
import {
  BOOTSTRAP_KEY_FILE_NAME,
  DEFAULT_SERVER_URL,
  ENV_ADMIN_KEY,
  ENV_DATA_DIR,
  ENV_SERVER,
  OUTPUT_FORMATS,
  type GlobalOptionValues,
} from './cli-settings.js';

/**
 * nest-commander's own commander `Command` type (it bundles commander 11; the top-level
 * `commander` package is a different major version, so it is not imported directly).
 */
export type CliCommand = Parameters<CommandRunner['setCommand']>[0];

interface GlobalOptionDefinition {
  readonly flags: string;
  readonly key: keyof GlobalOptionValues;
  readonly description: string;
  readonly parse?: (value: string) => string;
}

/**
 * Options every command accepts. They carry no commander default: "not given" must stay
 * distinguishable so {@link collectGlobalOptions} can merge levels and `resolveCliSettings`
 * can fall back to the environment.
 */
export const GLOBAL_OPTIONS: readonly GlobalOptionDefinition[] = [
  {
    flags: '--server <url>',
    key: 'server',
    description: `server base URL (env ${ENV_SERVER}; default ${DEFAULT_SERVER_URL})`,
  },
  {
    flags: '--admin-key <key>',
    key: 'adminKey',
    description: `admin API key (env ${ENV_ADMIN_KEY}; default: contents of $${ENV_DATA_DIR}/${BOOTSTRAP_KEY_FILE_NAME})`,
  },
  { flags: '--admin-key-file <path>', key: 'adminKeyFile', description: 'read the admin API key from this file' },
  {
    flags: '--ca-file <pem>',
    key: 'caFile',
    description:
      "extra CA certificate (PEM) to trust, e.g. the server's self-signed one (env S2S_CA_FILE; default for a localhost server: $CERTS_DIR/localhost-tls.crt when present)",
  },
  {
    flags: '-o, --output <format>',
    key: 'output',
    description: `output format: ${OUTPUT_FORMATS.join(' or ')} (default: table)`,
    parse: (value) => choiceArgument(value, OUTPUT_FORMATS),
  },
];

/**
 * Declares the global options on `command`. `CliProgramConfigurer` does this for every command,
 * not only the root, so that each command's `--help` lists them with its own options and every
 * level accepts them wherever they are written (commander usually lets the root pick them out of
 * the whole argument list; {@link collectGlobalOptions} copes with either level).
 */
export function addGlobalOptions(command: CliCommand): void {
  for (const option of GLOBAL_OPTIONS) {
    if (option.parse) command.option(option.flags, option.description, option.parse);
    else command.option(option.flags, option.description);
  }
}

/**
 * Global option values for the command being run. Depending on its position a global option is
 * parsed by the root or by a subcommand, so walk from the leaf up and take the most specific level
 * that has it (the leaf, i.e. what was written after the subcommand, wins).
 */
export function collectGlobalOptions(command: CliCommand): GlobalOptionValues {
  const values: Record<string, string> = {};
  for (let level: CliCommand | null = command; level; level = level.parent) {
    const given = level.opts<Record<string, unknown>>();
    for (const { key } of GLOBAL_OPTIONS) {
      const value = given[key];
      if (values[key] === undefined && typeof value === 'string') values[key] = value;
    }
  }
  return values as GlobalOptionValues;
}
