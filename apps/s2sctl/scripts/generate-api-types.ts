import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { httpRequest, removeDir, startServerProcess } from '@s2s/testing';
import { GENERATED_TYPES_PATHS, generateApiTypes, type OpenApiDocument } from './openapi-types.generator.js';

/**
 * `npm run generate:api-types`: starts the built trust server as `npm start` does (embedded PGlite
 * in a temporary data directory, TLS off, an ephemeral port on 127.0.0.1), reads the OpenAPI
 * document it serves at `/docs/openapi.json`, and writes the API types from it (s2sctl's, which the
 * browser console re-exports). Run from the repository root, after `npm run build` (the server and this script run from dist/).
 */
async function main(): Promise<void> {
  const server = await startServerProcess({ env: { TLS_MODE: 'off' } });
  try {
    const response = await httpRequest(`${server.url}/docs/openapi.json`);
    if (response.status !== 200) throw new Error(`GET /docs/openapi.json answered HTTP ${response.status}`);
    const types = generateApiTypes(response.json<OpenApiDocument>());
    for (const path of GENERATED_TYPES_PATHS) {
      await writeFile(resolve(process.cwd(), path), types);
      process.stdout.write(`wrote ${path}\n`);
    }
  } finally {
    await server.stop();
    await removeDir(server.dataDir);
  }
}

await main();
