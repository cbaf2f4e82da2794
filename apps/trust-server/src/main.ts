import 'reflect-metadata';
import cluster from 'node:cluster';
import { ConfigurationError, loadAppConfig, loadMasterKey, MasterKey } from '@s2s/config';
import { TlsConfigurationError } from '@s2s/tls';
import type { RunningServer } from './server.factory.js';
import { superviseWorkers } from './worker.supervisor.js';

/**
 * Entry point of `npm start`: validate the configuration (a bad value stops the server with a
 * message naming the variable), then start. Exit codes: 1 configuration, 2 other start failure.
 */
async function main(): Promise<void> {
  let config;
  let masterKey;
  try {
    config = loadAppConfig(process.env);
    masterKey = await loadMasterKey(config.masterKey);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`s2s-trust: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    // WORKERS=N: this process only supervises; the master key file exists before any worker starts.
    if (masterKey.generatedFile) process.stderr.write(`s2s-trust: master key generated at ${masterKey.generatedFile} (mode 0600): back it up\n`);
    superviseWorkers(config.workers, config.shutdownTimeoutMs, config.logLevel);
    return;
  }
  try {
    // Loaded here, not above: a WORKERS=N primary never loads the application (it stays small).
    const { startServer } = await import('./server.factory.js');
    const server = await startServer(config, { masterKey: new MasterKey(masterKey.key) });
    if (masterKey.generatedFile) {
      server.logger.warn({ path: masterKey.generatedFile }, 'master key generated (mode 0600): back it up; the stored private keys cannot be read without it');
    }
    server.logger.info({ url: server.url, publicUrl: config.publicUrl, database: config.databaseUrl ? 'postgresql' : 'pglite', signingThreads: config.signingThreads, ...(cluster.isWorker ? { workers: config.workers } : {}) }, 's2s-trust listening');
    stopGracefullyOnSignal(server, config.shutdownTimeoutMs);
  } catch (error) {
    const message = error instanceof TlsConfigurationError ? `invalid TLS configuration: ${error.message}` : `failed to start: ${(error as Error).message}`;
    process.stderr.write(`s2s-trust: ${message}\n`);
    process.exit(2);
  }
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the database,
 * exit 0. A shutdown that takes longer than SHUTDOWN_TIMEOUT_MS exits 1.
 */
function stopGracefullyOnSignal(server: RunningServer, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 's2s-trust shutting down');
    const deadline = setTimeout(() => {
      server.logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    server.app.close().then(
      () => {
        server.logger.info('s2s-trust stopped');
        process.exit(0);
      },
      (error: Error) => {
        server.logger.error({ err: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
