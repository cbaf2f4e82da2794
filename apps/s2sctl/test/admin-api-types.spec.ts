import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpRequest, REPO_ROOT, removeDir, startServerProcess, type ServerProcess } from '@s2s/testing';
import { GENERATED_TYPES_PATHS, generateApiTypes, REGENERATE_COMMAND, type OpenApiDocument } from '../scripts/openapi-types.generator.js';

/**
 * The committed API types are the ones the running server's OpenAPI document gives today: a
 * changed DTO or decorator without `npm run generate:api-types` fails here, and the contract
 * (`src/common/admin-api.contract.ts`) then checks the CLI against the regenerated types at
 * `npm run typecheck`. Needs `npm run build` (the server runs from dist/).
 */
describe('generated admin API types', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess({ env: { TLS_MODE: 'off' } });
  });

  afterAll(async () => {
    await server.stop();
    await removeDir(server.dataDir);
  });

  it.each(GENERATED_TYPES_PATHS)(`%s matches the server's OpenAPI document (else: ${REGENERATE_COMMAND})`, async (path) => {
    const response = await httpRequest(`${server.url}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const generated = generateApiTypes(response.json<OpenApiDocument>());
    const committed = await readFile(join(REPO_ROOT, path), 'utf8');
    if (generated !== committed) {
      const expectedLines = generated.split('\n');
      const committedLines = committed.split('\n');
      const line = expectedLines.findIndex((text, index) => text !== committedLines[index]);
      throw new Error(
        `${path} is out of date with the server's OpenAPI document: run ${REGENERATE_COMMAND}, then npm run typecheck.\n` +
          `First difference at line ${line + 1}:\n  committed: ${committedLines[line] ?? '(end of file)'}\n  generated: ${expectedLines[line] ?? '(end of file)'}`,
      );
    }
  });
});
