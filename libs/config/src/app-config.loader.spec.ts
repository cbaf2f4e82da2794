import { availableParallelism } from 'node:os';
import { loadAppConfig } from './app-config.loader.js';
import { ConfigurationError } from './configuration.error.js';

const CWD = '/srv/s2s';

describe('loadAppConfig', () => {
  it('uses documented defaults on an empty environment', () => {
    const config = loadAppConfig({}, CWD);
    expect(config).toMatchObject({
      port: 8443,
      host: '0.0.0.0',
      publicUrl: 'https://localhost:8443',
      databaseUrl: null,
      dataDir: '/srv/s2s/data',
      certsDir: '/srv/s2s/certs',
      tls: { mode: 'on' },
      masterKey: { kind: 'file', path: '/srv/s2s/data/master.key', explicit: false },
      logLevel: 'info',
      bodyLimitBytes: 262_144,
      authBackoff: { clientFailures: 5, addressFailures: 20 },
      databaseOutageToleranceSeconds: 3600,
      changeNotify: true,
      signingThreads: 4,
      console: true,
    });
  });

  it('switches the console off with CONSOLE=off, any case', () => {
    expect(loadAppConfig({ CONSOLE: 'OFF' }, CWD).console).toBe(false);
    expect(loadAppConfig({ CONSOLE: 'on' }, CWD).console).toBe(true);
  });

  it('reads every variable', () => {
    const key = 'ab'.repeat(32);
    const config = loadAppConfig(
      {
        PORT: '9443',
        HOST: '127.0.0.1',
        PUBLIC_URL: 'https://s2s.contoso.com/',
        DATABASE_URL: 'postgres://u@db/s2s',
        DATA_DIR: '/var/lib/s2s',
        CERTS_DIR: 'mycerts',
        TLS_CERT_FILE: '/etc/s2s/tls.crt',
        TLS_KEY_FILE: '/etc/s2s/tls.key',
        MASTER_KEY: key,
        LOG_LEVEL: 'DEBUG',
        BODY_LIMIT_BYTES: '65536',
        AUTH_BACKOFF_CLIENT_FAILURES: '3',
        AUTH_BACKOFF_ADDRESS_FAILURES: '1000',
        CHANGE_NOTIFY: 'OFF',
        UV_THREADPOOL_SIZE: '8',
      },
      CWD,
    );
    expect(config).toMatchObject({
      port: 9443,
      host: '127.0.0.1',
      publicUrl: 'https://s2s.contoso.com',
      databaseUrl: 'postgres://u@db/s2s',
      dataDir: '/var/lib/s2s',
      certsDir: '/srv/s2s/mycerts',
      tls: { mode: 'on', certFile: '/etc/s2s/tls.crt', keyFile: '/etc/s2s/tls.key' },
      logLevel: 'debug',
      bodyLimitBytes: 65_536,
      authBackoff: { clientFailures: 3, addressFailures: 1000 },
      changeNotify: false,
      signingThreads: 8,
    });
    expect(config.masterKey).toEqual({ kind: 'env', key: Buffer.from(key, 'hex') });
  });

  it('defaults PUBLIC_URL to http when TLS is off', () => {
    expect(loadAppConfig({ TLS_MODE: 'off', PORT: '8080' }, CWD).publicUrl).toBe('http://localhost:8080');
  });

  it.each([
    [{ CHANGE_NOTIFY: 'yes' }, 'CHANGE_NOTIFY', 'CHANGE_NOTIFY must be "on" or "off" (got "yes")'],
    [{ PORT: 'abc' }, 'PORT', 'PORT must be an integer between 0 and 65535 (got "abc")'],
    [{ UV_THREADPOOL_SIZE: '0' }, 'UV_THREADPOOL_SIZE', 'UV_THREADPOOL_SIZE must be an integer between 1 and 1024 (got "0")'],
    [{ PORT: '70000' }, 'PORT', 'PORT must be an integer between 0 and 65535 (got "70000")'],
    [{ HOST: 'bad host' }, 'HOST', 'HOST must be a host name or IP address (got "bad host")'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL', 'PUBLIC_URL must be an absolute URL (got "not a url")'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL', 'PUBLIC_URL must use https (or http in labs)'],
    [{ PUBLIC_URL: 'https://x/?a=1' }, 'PUBLIC_URL', 'PUBLIC_URL must not carry credentials, a query or a fragment'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ TLS_MODE: 'maybe' }, 'TLS_MODE', 'TLS_MODE must be "on" or "off" (got "maybe")'],
    [{ CONSOLE: 'yes' }, 'CONSOLE', 'CONSOLE must be "on" or "off" (got "yes")'],
    [{ TLS_CERT_FILE: '/c' }, 'TLS_KEY_FILE', 'TLS_KEY_FILE must be set when TLS_CERT_FILE is set'],
    [{ TLS_KEY_FILE: '/k' }, 'TLS_CERT_FILE', 'TLS_CERT_FILE must be set when TLS_KEY_FILE is set'],
    [{ TLS_CERT_FILE: '/c', TLS_KEY_FILE: '/k', TLS_PFX_FILE: '/p' }, 'TLS_PFX_FILE', 'TLS_PFX_FILE cannot be combined with TLS_CERT_FILE/TLS_KEY_FILE: configure one of the two'],
    [{ TLS_PFX_PASSWORD: 'x' }, 'TLS_PFX_PASSWORD', 'TLS_PFX_PASSWORD is set but TLS_PFX_FILE is not'],
    [{ TLS_MODE: 'off', TLS_PFX_FILE: '/p' }, 'TLS_MODE', 'TLS_MODE is "off" but a TLS certificate is configured: remove one of the two'],
    [{ MASTER_KEY: 'short' }, 'MASTER_KEY', 'MASTER_KEY must hold a 32-byte key as 64 hex digits or 44 base64 characters'],
    [{ MASTER_KEY: 'ab'.repeat(32), MASTER_KEY_FILE: '/k' }, 'MASTER_KEY', 'MASTER_KEY cannot be combined with MASTER_KEY_FILE: configure one of the two'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ BODY_LIMIT_BYTES: '10' }, 'BODY_LIMIT_BYTES', 'BODY_LIMIT_BYTES must be an integer between 1024 and 16777216 (got "10")'],
    [{ DATABASE_OUTAGE_TOLERANCE_SECONDS: '-1' }, 'DATABASE_OUTAGE_TOLERANCE_SECONDS', 'DATABASE_OUTAGE_TOLERANCE_SECONDS must be an integer between 0 and 604800 (got "-1")'],
    [{ AUTH_BACKOFF_CLIENT_FAILURES: '0' }, 'AUTH_BACKOFF_CLIENT_FAILURES', 'AUTH_BACKOFF_CLIENT_FAILURES must be an integer between 1 and 1000000 (got "0")'],
  ])('rejects %j naming %s', (env, variable, message) => {
    let thrown: unknown;
    try {
      loadAppConfig(env, CWD);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).variable).toBe(variable);
    expect((thrown as ConfigurationError).message).toBe(message);
  });

  it('defaults the HTTP time limits and the per-address cap', () => {
    expect(loadAppConfig({}, CWD)).toMatchObject({
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000, maxConnectionsPerAddress: 256 },
    });
  });

  it('reads the HTTP time limits and the per-address cap', () => {
    const config = loadAppConfig({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000', MAX_CONNECTIONS_PER_ADDRESS: '4' }, CWD);
    expect(config.http).toEqual({ headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 5000, maxConnectionsPerAddress: 4 });
    expect(loadAppConfig({ HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '2000' }, CWD).http).toMatchObject({ headersTimeoutMs: 2000, requestTimeoutMs: 2000 });
  });

  it.each([
    [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, 'HTTP_HEADERS_TIMEOUT_MS', 'HTTP_HEADERS_TIMEOUT_MS must be an integer between 100 and 600000 (got "0")'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '10s' }, 'HTTP_HEADERS_TIMEOUT_MS', 'HTTP_HEADERS_TIMEOUT_MS must be an integer between 100 and 600000 (got "10s")'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '0' }, 'HTTP_REQUEST_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS must be an integer between 100 and 3600000 (got "0")'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '5000' }, 'HTTP_REQUEST_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS must not be less than HTTP_HEADERS_TIMEOUT_MS (10000; got "5000")'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be an integer between 100 and 3600000 (got "0")'],
    [{ MAX_CONNECTIONS_PER_ADDRESS: '0' }, 'MAX_CONNECTIONS_PER_ADDRESS', 'MAX_CONNECTIONS_PER_ADDRESS must be an integer between 1 and 1000000 (got "0")'],
  ])('rejects %j naming %s', (env, variable, message) => {
    expect(() => loadAppConfig(env, CWD)).toThrow(expect.objectContaining({ name: 'ConfigurationError', variable, message }));
  });

  it('does not echo the master key in its error', () => {
    const secretish = 'zz'.repeat(32);
    expect(() => loadAppConfig({ MASTER_KEY: secretish }, CWD)).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secretish) }));
  });

  it('WORKERS and the verified-token cache: defaults, values, auto, and WORKERS>1 only with DATABASE_URL', () => {
    expect(loadAppConfig({}, CWD)).toMatchObject({ workers: 1, tokenCache: { maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 } });
    expect(loadAppConfig({ TOKEN_CACHE_MAX_ENTRIES: '0', TOKEN_CACHE_MAX_BYTES: '1024' }, CWD).tokenCache).toEqual({ maxEntries: 0, maxBytes: 1024 });
    const pg = { DATABASE_URL: 'postgres://s2s@db/s2s' };
    expect(loadAppConfig({ ...pg, WORKERS: '3' }, CWD).workers).toBe(3);
    expect(loadAppConfig({ ...pg, WORKERS: 'auto' }, CWD).workers).toBe(availableParallelism());
    expect(loadAppConfig({ WORKERS: '1' }, CWD).workers).toBe(1);
    expect(() => loadAppConfig({ WORKERS: '2' }, CWD)).toThrow(
      expect.objectContaining({ variable: 'WORKERS', message: expect.stringContaining('2 workers need a shared PostgreSQL database: set DATABASE_URL, or WORKERS=1 for the embedded PGlite database') }),
    );
    expect(() => loadAppConfig({ ...pg, WORKERS: '0' }, CWD)).toThrow(expect.objectContaining({ variable: 'WORKERS', message: 'WORKERS must be an integer between 1 and 256 (got "0")' }));
    expect(() => loadAppConfig({ TOKEN_CACHE_MAX_ENTRIES: '-1' }, CWD)).toThrow(expect.objectContaining({ variable: 'TOKEN_CACHE_MAX_ENTRIES' }));
  });
});
