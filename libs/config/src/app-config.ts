/** TLS settings of the HTTPS listener (SPEC 3). */
export interface TlsSettings {
  /** `off` serves plain HTTP: only behind a TLS-terminating proxy, or in tests. */
  mode: 'on' | 'off';
  certFile?: string;
  keyFile?: string;
  pfxFile?: string;
  pfxPassword?: string;
}

/** Where the master key (which encrypts private keys at rest) comes from. */
export type MasterKeySource =
  | { kind: 'env'; key: Buffer }
  | { kind: 'file'; path: string; explicit: boolean };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * What a client may hold of the server: time limits and the per-address connection cap
 * (`HTTP_HEADERS_TIMEOUT_MS`, `HTTP_REQUEST_TIMEOUT_MS`, `HTTP_KEEP_ALIVE_TIMEOUT_MS`,
 * `MAX_CONNECTIONS_PER_ADDRESS`).
 */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnectionsPerAddress: number;
}

/**
 * The validated configuration of one server process. Built once at start from the environment by
 * {@link loadAppConfig}; everything else receives it injected, typed (STYLE habit 4).
 */
export class AppConfig {
  port!: number;
  host!: string;
  /** External base URL (no trailing slash): used in metadata, discovery and audience checks. */
  publicUrl!: string;
  /** PostgreSQL connection string, or null for the embedded PGlite database. */
  databaseUrl!: string | null;
  /** Absolute path of the data directory (PGlite files, bootstrap key, generated master key). */
  dataDir!: string;
  /** Absolute path of the certificate drop folder (generated TLS certificate lives here). */
  certsDir!: string;
  tls!: TlsSettings;
  masterKey!: MasterKeySource;
  logLevel!: LogLevel;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes!: number;
  /** Time limits and the per-address connection cap of the HTTP(S) listener. */
  http!: HttpLimits;
  /** Threads that sign tokens (libuv's pool, UV_THREADPOOL_SIZE; `npm start` defaults it to one per core). */
  signingThreads!: number;
  /** How long graceful shutdown waits for in-flight requests, in milliseconds. */
  shutdownTimeoutMs!: number;
  /** How long issuance and validation keep serving from memory while the database is unreachable (then fail closed). */
  databaseOutageToleranceSeconds!: number;
  /** Warning tiers of credential expiry, in days before it, descending (`CREDENTIAL_EXPIRY_WARNING_DAYS`, default 120,60,30,7). */
  credentialExpiryWarningDays!: number[];
  /** Whether the browser console is served at /console (`CONSOLE`, default on). */
  console!: boolean;
  /** Failed client authentications tolerated (per client id, per remote address) before back-off starts. */
  authBackoff!: { clientFailures: number; addressFailures: number };
  /** The verified-token cache of validation and introspection (`TOKEN_CACHE_MAX_ENTRIES`, `TOKEN_CACHE_MAX_BYTES`; 0 entries = off). */
  tokenCache!: { maxEntries: number; maxBytes: number };
  /** Server processes sharing the port (`WORKERS`: a number, or `auto` = one per core; default 1). */
  workers!: number;
  /** PostgreSQL only: learn about other instances' changes through LISTEN/NOTIFY (CHANGE_NOTIFY, default on); the counter poll runs either way. */
  changeNotify!: boolean;
}
