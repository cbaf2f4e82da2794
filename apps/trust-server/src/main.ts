import 'reflect-metadata';
import { ConfigurationError, loadAppConfig, loadMasterKey } from '@s2s/config';
import { TlsConfigurationError } from '@s2s/tls';
import { startServer } from './server.factory.js';

/**
 * Entry point of `npm start`: validate the configuration (a bad value stops the server with a
 * message naming the variable), then start. Exit codes: 1 configuration, 2 other start failure.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
    await loadMasterKey(config.masterKey);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`s2s-trust: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  try {
    const server = await startServer(config);
    server.logger.info({ url: server.url, publicUrl: config.publicUrl, database: config.databaseUrl ? 'postgresql' : 'pglite' }, 's2s-trust listening');
  } catch (error) {
    const message = error instanceof TlsConfigurationError ? `invalid TLS configuration: ${error.message}` : `failed to start: ${(error as Error).message}`;
    process.stderr.write(`s2s-trust: ${message}\n`);
    process.exit(2);
  }
}

await main();
