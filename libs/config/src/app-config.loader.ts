import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { AppConfig, type HttpLimits, type LogLevel, type MasterKeySource, type TlsSettings } from './app-config.js';
import { ConfigurationError } from './configuration.error.js';

/** The environment as a plain map; passed in so tests never touch `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Every variable the server reads, for documentation and for `--help`-style listings. */
export const CONFIGURATION_VARIABLES = [
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'DATABASE_URL',
  'DATA_DIR',
  'CERTS_DIR',
  'TLS_MODE',
  'TLS_CERT_FILE',
  'TLS_KEY_FILE',
  'TLS_PFX_FILE',
  'TLS_PFX_PASSWORD',
  'MASTER_KEY',
  'MASTER_KEY_FILE',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'HTTP_HEADERS_TIMEOUT_MS',
  'HTTP_REQUEST_TIMEOUT_MS',
  'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  'MAX_CONNECTIONS_PER_ADDRESS',
  'SHUTDOWN_TIMEOUT_MS',
  'AUTH_BACKOFF_CLIENT_FAILURES',
  'AUTH_BACKOFF_ADDRESS_FAILURES',
  'DATABASE_OUTAGE_TOLERANCE_SECONDS',
  'CHANGE_NOTIFY',
  'UV_THREADPOOL_SIZE',
  'CREDENTIAL_EXPIRY_WARNING_DAYS',
  'TOKEN_CACHE_MAX_ENTRIES',
  'TOKEN_CACHE_MAX_BYTES',
  'WORKERS',
  'CONSOLE',
] as const;

/**
 * Reads and validates the whole configuration once. Throws {@link ConfigurationError} naming the
 * first bad variable. Empty strings count as unset.
 */
export function loadAppConfig(env: Environment, cwd: string = process.cwd()): AppConfig {
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const port = integer(read('PORT'), 'PORT', 8443, 0, 65535);
  const host = read('HOST') ?? '0.0.0.0';
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) throw new ConfigurationError('HOST', `must be a host name or IP address (got "${host}")`);

  const tls = tlsSettings(read);
  const databaseUrl = read('DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigurationError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const dataDir = path(read('DATA_DIR') ?? 'data', cwd);
  const certsDir = path(read('CERTS_DIR') ?? 'certs', cwd);

  const logLevel = (read('LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigurationError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${read('LOG_LEVEL')}")`);
  }

  const defaultScheme = tls.mode === 'off' ? 'http' : 'https';
  const publicUrl = publicBaseUrl(read('PUBLIC_URL') ?? `${defaultScheme}://localhost:${port === 0 ? 8443 : port}`);

  const config = new AppConfig();
  Object.assign(config, {
    port,
    host,
    publicUrl,
    databaseUrl,
    dataDir,
    certsDir,
    tls,
    masterKey: masterKeySource(read, dataDir, cwd),
    logLevel,
    bodyLimitBytes: integer(read('BODY_LIMIT_BYTES'), 'BODY_LIMIT_BYTES', 256 * 1024, 1024, 16 * 1024 * 1024),
    http: httpLimits(read),
    shutdownTimeoutMs: integer(read('SHUTDOWN_TIMEOUT_MS'), 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    // Read by libuv itself (the launcher sets it before anything starts); here it is only checked
    // and reported. Unset means libuv's own default of 4 (a server started without the launcher).
    signingThreads: integer(read('UV_THREADPOOL_SIZE'), 'UV_THREADPOOL_SIZE', 4, 1, 1024),
    databaseOutageToleranceSeconds: integer(read('DATABASE_OUTAGE_TOLERANCE_SECONDS'), 'DATABASE_OUTAGE_TOLERANCE_SECONDS', 3600, 0, 7 * 86_400),
    credentialExpiryWarningDays: warningDays(read('CREDENTIAL_EXPIRY_WARNING_DAYS')),
    console: onOff(read('CONSOLE'), 'CONSOLE', true),
    authBackoff: {
      clientFailures: integer(read('AUTH_BACKOFF_CLIENT_FAILURES'), 'AUTH_BACKOFF_CLIENT_FAILURES', 5, 1, 1_000_000),
      addressFailures: integer(read('AUTH_BACKOFF_ADDRESS_FAILURES'), 'AUTH_BACKOFF_ADDRESS_FAILURES', 20, 1, 1_000_000),
    },
    tokenCache: {
      maxEntries: integer(read('TOKEN_CACHE_MAX_ENTRIES'), 'TOKEN_CACHE_MAX_ENTRIES', 10_000, 0, 10_000_000),
      maxBytes: integer(read('TOKEN_CACHE_MAX_BYTES'), 'TOKEN_CACHE_MAX_BYTES', 16 * 1024 * 1024, 0, 4 * 1024 * 1024 * 1024),
    },
    workers: workerCount(read('WORKERS'), databaseUrl),
    changeNotify: onOff(read('CHANGE_NOTIFY'), 'CHANGE_NOTIFY', true),
  } satisfies AppConfig);
  return config;
}

/**
 * `WORKERS`: server processes sharing the port, a whole number (1-256) or `auto` (one per core).
 * More than one needs PostgreSQL: the embedded database belongs to one process.
 */
function workerCount(raw: string | undefined, databaseUrl: string | null): number {
  if (raw === undefined) return 1;
  const count = raw.toLowerCase() === 'auto' ? availableParallelism() : integer(raw, 'WORKERS', 1, 1, 256);
  if (count > 1 && databaseUrl === null) {
    throw new ConfigurationError('WORKERS', `${count} workers need a shared PostgreSQL database: set DATABASE_URL, or WORKERS=1 for the embedded PGlite database (one process only)`);
  }
  return count;
}

/** `CREDENTIAL_EXPIRY_WARNING_DAYS`: comma-separated whole days (1-3650), e.g. `120,60,30,7`; kept in descending order. */
function warningDays(raw: string | undefined): number[] {
  if (raw === undefined) return [120, 60, 30, 7];
  const parts = raw.split(',').map((part) => part.trim());
  const problem = `must be a comma-separated list of 1 to 10 different whole days between 1 and 3650, e.g. 120,60,30,7 (got "${raw}")`;
  if (parts.length > 10 || parts.some((part) => !/^\d+$/.test(part))) throw new ConfigurationError('CREDENTIAL_EXPIRY_WARNING_DAYS', problem);
  const days = parts.map(Number);
  if (days.some((day) => day < 1 || day > 3650) || new Set(days).size !== days.length) throw new ConfigurationError('CREDENTIAL_EXPIRY_WARNING_DAYS', problem);
  return days.sort((a, b) => b - a);
}

/** An `on`/`off` switch (any case). */
function onOff(raw: string | undefined, name: string, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (value !== 'on' && value !== 'off') throw new ConfigurationError(name, `must be "on" or "off" (got "${raw}")`);
  return value === 'on';
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigurationError(name, `must be an integer between ${min} and ${max} (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigurationError(name, `must be an integer between ${min} and ${max} (got "${raw}")`);
  return value;
}

/**
 * Time limits and the per-address connection cap (issue "Nothing a client sends makes the server
 * answer 500 or hold a connection forever"). Node refuses a headers limit above the request limit.
 */
function httpLimits(read: (name: string) => string | undefined): HttpLimits {
  const headersTimeoutMs = integer(read('HTTP_HEADERS_TIMEOUT_MS'), 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = integer(read('HTTP_REQUEST_TIMEOUT_MS'), 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new ConfigurationError('HTTP_REQUEST_TIMEOUT_MS', `must not be less than HTTP_HEADERS_TIMEOUT_MS (${headersTimeoutMs}; got "${requestTimeoutMs}")`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(read('HTTP_KEEP_ALIVE_TIMEOUT_MS'), 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 3_600_000),
    maxConnectionsPerAddress: integer(read('MAX_CONNECTIONS_PER_ADDRESS'), 'MAX_CONNECTIONS_PER_ADDRESS', 256, 1, 1_000_000),
  };
}

function path(raw: string, cwd: string): string {
  return isAbsolute(raw) ? raw : resolve(cwd, raw);
}

function tlsSettings(read: (name: string) => string | undefined): TlsSettings {
  const mode = (read('TLS_MODE') ?? 'on').toLowerCase();
  if (mode !== 'on' && mode !== 'off') throw new ConfigurationError('TLS_MODE', `must be "on" or "off" (got "${mode}")`);
  const settings: TlsSettings = {
    mode,
    certFile: read('TLS_CERT_FILE'),
    keyFile: read('TLS_KEY_FILE'),
    pfxFile: read('TLS_PFX_FILE'),
    pfxPassword: read('TLS_PFX_PASSWORD'),
  };
  if (settings.certFile && !settings.keyFile) throw new ConfigurationError('TLS_KEY_FILE', 'must be set when TLS_CERT_FILE is set');
  if (settings.keyFile && !settings.certFile) throw new ConfigurationError('TLS_CERT_FILE', 'must be set when TLS_KEY_FILE is set');
  if (settings.pfxFile && settings.certFile) {
    throw new ConfigurationError('TLS_PFX_FILE', 'cannot be combined with TLS_CERT_FILE/TLS_KEY_FILE: configure one of the two');
  }
  if (settings.pfxPassword && !settings.pfxFile) throw new ConfigurationError('TLS_PFX_PASSWORD', 'is set but TLS_PFX_FILE is not');
  if (mode === 'off' && (settings.certFile || settings.pfxFile)) {
    throw new ConfigurationError('TLS_MODE', 'is "off" but a TLS certificate is configured: remove one of the two');
  }
  return settings;
}

function publicBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError('PUBLIC_URL', `must be an absolute URL (got "${raw}")`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigurationError('PUBLIC_URL', 'must use https (or http in labs)');
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigurationError('PUBLIC_URL', 'must not carry credentials, a query or a fragment');
  }
  return url.toString().replace(/\/+$/, '');
}

function masterKeySource(read: (name: string) => string | undefined, dataDir: string, cwd: string): MasterKeySource {
  const inline = read('MASTER_KEY');
  const file = read('MASTER_KEY_FILE');
  if (inline && file) throw new ConfigurationError('MASTER_KEY', 'cannot be combined with MASTER_KEY_FILE: configure one of the two');
  if (inline) return { kind: 'env', key: decodeMasterKey(inline, 'MASTER_KEY') };
  if (file) return { kind: 'file', path: path(file, cwd), explicit: true };
  return { kind: 'file', path: resolve(dataDir, 'master.key'), explicit: false };
}

/**
 * A master key is 32 random bytes (AES-256), written as 64 hex digits or as base64/base64url.
 * Exported for the file loader, which applies the same rule to the file's content.
 */
export function decodeMasterKey(text: string, variable: string): Buffer {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== 32) {
    throw new ConfigurationError(variable, 'must hold a 32-byte key as 64 hex digits or 44 base64 characters');
  }
  return key;
}
