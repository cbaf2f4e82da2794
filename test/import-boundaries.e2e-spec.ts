import { execFileSync } from 'node:child_process';

/**
 * The library-boundary rule of eslint.config.js (`importBoundaries()`), run through ESLint itself
 * on made-up files: each import is linted as if it stood in `file`, and the test reads which
 * no-restricted-imports message (if any) it got. Nothing is written to disk.
 */
const SCRIPT = `
const { ESLint } = await import('eslint');
const eslint = new ESLint({ cwd: process.cwd() });
const answers = [];
for (const [file, source] of JSON.parse(process.argv[1])) {
  const [result] = await eslint.lintText(source + '\\nexport const used = imported;\\n', { filePath: file });
  answers.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
}
console.log(JSON.stringify(answers));
`;

const DEEP = "Import another library through its index only: '@s2s/<lib>', never a file inside it.";
const LEAVES = "This relative path leaves the library (or app): import another library as '@s2s/<lib>'.";
const BY_PATH = "Import another library as '@s2s/<lib>', not by its path.";
const TYPEORM = 'Only libs/persistence may import TypeORM.';

/** [importing file, import statement, the restriction it breaks or null]. */
const CASES: Array<[string, string, string | null]> = [
  ['libs/validation/src/probe.ts', "import { imported } from '@s2s/oauth-wire';", null],
  ['libs/validation/src/probe.ts', "import { imported } from './token.validator.js';", null],
  ['libs/validation/src/probe.ts', "import { imported } from '@s2s/oauth-wire/client.authenticator.js';", DEEP],
  ['libs/validation/src/probe.ts', "import type { imported } from '@s2s/token-issuer/token.signer.js';", DEEP],
  ['libs/validation/src/probe.ts', "export { imported } from '@s2s/oauth-wire/oauth.errors.js';\nconst imported = 1;", DEEP],
  ['libs/validation/src/probe.ts', "import { imported } from '../../token-issuer/src/token.signer.js';", LEAVES],
  ['libs/validation/src/probe.ts', "import { imported } from './../../token-issuer/src/token.signer.js';", LEAVES],
  ['libs/validation/src/probe.ts', "import { imported } from 'libs/oauth-wire/src/oauth.errors.js';", BY_PATH],
  ['libs/validation/src/probe.ts', "import { imported } from 'typeorm';", TYPEORM],
  ['libs/validation/src/probe.spec.ts', "import { imported } from '../../oauth-wire/src/client.authenticator.js';", LEAVES],
  ['libs/persistence/src/repositories/probe.ts', "import { imported } from '../typeorm-unit-of-work.js';", null],
  ['libs/persistence/src/repositories/probe.ts', "import { imported } from 'typeorm';", null],
  ['libs/persistence/src/repositories/probe.ts', "import { imported } from '../../../clients/src/client.js';", LEAVES],
  ['libs/clients/src/probe.db-spec.ts', "import { imported } from 'typeorm';", null],
  ['libs/clients/src/probe.db-spec.ts', "import { imported } from '@s2s/persistence/data-source.factory.js';", DEEP],
  ['apps/s2sctl/src/common/probe.spec.ts', "import { imported } from '../../test/tls-stub.server.js';", null],
  ['apps/s2sctl/src/common/probe.ts', "import { imported } from '../../../trust-server/src/openapi.js';", LEAVES],
  ['apps/s2sctl/test/probe.spec.ts', "import { imported } from '../../../libs/core/src/clock.js';", LEAVES],
  ['apps/trust-server/src/probe.ts', "import { imported } from '@s2s/http/fastify-route.js';", DEEP],
];

describe('eslint: libraries import each other through @s2s/<lib> only', () => {
  let answers: string[][];

  beforeAll(() => {
    const input = CASES.map(([file, source]) => [file, source]);
    answers = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify(input)], { encoding: 'utf8' })) as string[][];
  }, 120_000);

  it.each(CASES.map(([file, source, expected], index) => ({ file, source, expected, index })))('$file: $source', ({ index, expected }) => {
    // ESLint puts its own words ('… import is restricted …') before the project's message.
    expect(answers[index]).toEqual(expected === null ? [] : [expect.stringContaining(expected)]);
  });
});
