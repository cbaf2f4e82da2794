import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAppConfig } from '@s2s/config';
import { startServer } from '../../trust-server/src/server.factory.js';
import { GENERATED_TYPES_PATH, generateApiTypes, type OpenApiDocument } from './openapi-types.generator.js';

/**
 * `npm run generate:api-types`: starts the trust server in this process (embedded PGlite in a
 * temporary data directory, TLS off, an ephemeral port on 127.0.0.1), reads the OpenAPI document
 * it serves at `/docs/openapi.json`, and writes the s2sctl API types from it. Run from the
 * repository root, after `npm run build` (the script runs from `dist/`).
 */
async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 's2s-api-types-'));
  try {
    const config = loadAppConfig({ TLS_MODE: 'off', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, CERTS_DIR: join(dataDir, 'certs'), LOG_LEVEL: 'warn' });
    const server = await startServer(config);
    let document: OpenApiDocument;
    try {
      const response = await fetch(`${server.url}/docs/openapi.json`);
      if (!response.ok) throw new Error(`GET /docs/openapi.json answered HTTP ${response.status}`);
      document = (await response.json()) as OpenApiDocument;
    } finally {
      await server.app.close();
    }
    const target = resolve(process.cwd(), GENERATED_TYPES_PATH);
    await writeFile(target, generateApiTypes(document));
    process.stdout.write(`wrote ${GENERATED_TYPES_PATH}\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
