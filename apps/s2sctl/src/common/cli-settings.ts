import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CliError, UsageError, errorMessage } from './cli-errors.js';

/**
 * The only module of s2sctl that looks at `process.env` / `process.cwd()` (in
 * {@link currentEnvironment}); everything else receives resolved {@link CliSettings}, so tests
 * pass an environment in instead of mutating the real one.
 */

export type OutputFormat = 'table' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json'];

export const DEFAULT_SERVER_URL = 'https://localhost:8443';
export const DEFAULT_DATA_DIR = './data';
export const BOOTSTRAP_KEY_FILE_NAME = 'bootstrap-admin.key';

/** Environment variables s2sctl reads (named in `--help`). */
export const ENV_SERVER = 'S2S_SERVER';
export const ENV_ADMIN_KEY = 'S2S_ADMIN_KEY';
export const ENV_DATA_DIR = 'DATA_DIR';
export const ENV_CA_FILE = 'S2S_CA_FILE';
export const ENV_CERTS_DIR = 'CERTS_DIR';
export const DEFAULT_CERTS_DIR = './certs';
/** The self-signed TLS certificate the server generates on first start (see certs/README.md). */
export const LOCAL_TLS_CERT_FILE_NAME = 'localhost-tls.crt';

/** Values of the global options as given on the command line; `undefined` = not given. */
export interface GlobalOptionValues {
  readonly server?: string;
  readonly adminKey?: string;
  readonly adminKeyFile?: string;
  readonly caFile?: string;
  readonly output?: string;
}

/** What s2sctl needs from its process, passed explicitly so resolution is testable. */
export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Where the admin key came from; used in hints, never the key itself. */
export type AdminKeySource = '--admin-key' | '--admin-key-file' | typeof ENV_ADMIN_KEY | 'bootstrap key file';

/** Fully resolved settings for one invocation. */
export interface CliSettings {
  /** Server base URL without trailing slash, e.g. `https://localhost:8443`. */
  readonly serverUrl: string;
  readonly adminKey: string | undefined;
  readonly adminKeySource: AdminKeySource | undefined;
  /** Where the bootstrap key is looked for; shown when no key is available at all. */
  readonly bootstrapKeyFile: string;
  /** Extra PEM CA certificate(s) to trust besides the system store. */
  readonly ca: Buffer | undefined;
  readonly output: OutputFormat;
}

/** Snapshot of the real process environment. */
export function currentEnvironment(): CliEnvironment {
  return { env: process.env, cwd: process.cwd() };
}

/**
 * Combines command-line flags, environment and the bootstrap key file. Precedence for the admin
 * key: `--admin-key`, `--admin-key-file`, `S2S_ADMIN_KEY`, then `<DATA_DIR>/bootstrap-admin.key`
 * (only when readable, so running elsewhere than the server host just means "no default").
 *
 * @throws UsageError for contradictory or malformed flags; CliError for unreadable files.
 */
export function resolveCliSettings(flags: GlobalOptionValues, environment: CliEnvironment = currentEnvironment()): CliSettings {
  // Like the server's loader: empty variables count as unset.
  const env = (name: string): string | undefined => {
    const value = environment.env[name]?.trim();
    return value ? value : undefined;
  };
  const fromCwd = (path: string): string => (isAbsolute(path) ? path : resolve(environment.cwd, path));

  const serverUrl = normaliseServerUrl(flags.server ?? env(ENV_SERVER) ?? DEFAULT_SERVER_URL, flags.server !== undefined ? '--server' : env(ENV_SERVER) ? ENV_SERVER : 'default');

  const output = (flags.output ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(output)) {
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')} (got "${flags.output}")`);
  }

  const bootstrapKeyFile = resolve(fromCwd(env(ENV_DATA_DIR) ?? DEFAULT_DATA_DIR), BOOTSTRAP_KEY_FILE_NAME);
  let adminKey: string | undefined;
  let adminKeySource: AdminKeySource | undefined;
  if (flags.adminKey !== undefined && flags.adminKeyFile !== undefined) {
    throw new UsageError('use either --admin-key or --admin-key-file, not both');
  }
  if (flags.adminKey !== undefined) {
    adminKey = flags.adminKey.trim();
    adminKeySource = '--admin-key';
    if (!adminKey) throw new UsageError('--admin-key is empty');
  } else if (flags.adminKeyFile !== undefined) {
    adminKey = readTextFile(fromCwd(flags.adminKeyFile), 'admin key file').trim();
    adminKeySource = '--admin-key-file';
    if (!adminKey) throw new CliError(`admin key file ${flags.adminKeyFile} is empty`);
  } else if (env(ENV_ADMIN_KEY) !== undefined) {
    adminKey = env(ENV_ADMIN_KEY);
    adminKeySource = ENV_ADMIN_KEY;
  } else {
    adminKey = readOptionalTextFile(bootstrapKeyFile)?.trim() || undefined;
    adminKeySource = adminKey ? 'bootstrap key file' : undefined;
  }

  let ca: Buffer | undefined;
  const caFile = flags.caFile ?? env(ENV_CA_FILE);
  if (caFile !== undefined) {
    const pem = readTextFile(fromCwd(caFile), 'CA file');
    // Node silently ignores non-PEM input in `ca`, which would surface later as a confusing
    // "self-signed certificate" error; say what is wrong instead.
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new CliError(`CA file ${caFile} contains no PEM certificate (expected "-----BEGIN CERTIFICATE-----")`);
    }
    ca = Buffer.from(pem, 'utf8');
  } else if (LOOPBACK_HOSTS.has(new URL(serverUrl).hostname)) {
    // On the server's own machine, trust the self-signed certificate it generated (like the
    // bootstrap key default): whoever can write that file can read the key file beside it anyway.
    const localCertificate = readOptionalTextFile(resolve(fromCwd(env(ENV_CERTS_DIR) ?? DEFAULT_CERTS_DIR), LOCAL_TLS_CERT_FILE_NAME));
    if (localCertificate?.includes('-----BEGIN CERTIFICATE-----')) ca = Buffer.from(localCertificate, 'utf8');
  }

  return { serverUrl, adminKey, adminKeySource, bootstrapKeyFile, ca, output };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Validates the server URL and strips the trailing slash. Plain `http:` is accepted only for
 * loopback hosts (server run with TLS off, CLI on the same host): anywhere else it would send the
 * admin key in clear text, and there is deliberately no switch to allow that.
 */
export function normaliseServerUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`server URL "${raw}" (${source}) is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`server URL "${raw}" (${source}) must start with https://`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname) && !url.hostname.startsWith('127.')) {
    throw new UsageError(`server URL "${raw}" (${source}) uses plain http to a non-loopback host; use https so the admin key is not sent in clear text`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError(`server URL "${raw}" (${source}) must not contain credentials, a query or a fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Human wording for the usual fs error codes; the raw Node message repeats the path. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return errorMessage(error);
  }
}

function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(error)}`);
  }
}

function readOptionalTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
