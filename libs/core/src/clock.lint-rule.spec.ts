import { ESLint } from 'eslint';

/**
 * The lint rules that keep one clock (eslint.config.js, INJECTED_CLOCK) and the hot-path spread
 * rule both fire where they should. Flat config replaces a rule's options when a later block sets
 * the same rule again for a file, so a reordered or added `no-restricted-syntax` block could
 * silently drop one of them: this lints sample code at paths inside and outside the hot paths.
 */
const SAMPLE = [
  'export const stamp = (shared: { a: number }): unknown => ({ ...shared, own: 1 });',
  'export const now = (): Date => new Date();',
  'export const millis = (): number => Date.now();',
  'export const text = (): string => Date();',
  'export const parsed = (value: string): Date => new Date(value);',
  'export const elapsed = (): number => performance.now();',
].join('\n');

const CLOCK = /injected Clock/;
const SPREAD = /spread last/;

describe('lint rules: one injected clock, hot-path spreads', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  async function messagesFor(filePath: string): Promise<{ line: number; message: string }[]> {
    const [result] = await eslint.lintText(SAMPLE, { filePath });
    return result!.messages.map(({ line, message }) => ({ line, message }));
  }

  it('flags new Date(), Date.now and Date() in a domain library, and allows new Date(value) and performance.now()', async () => {
    const messages = await messagesFor('libs/audit/src/lint-sample.ts');
    expect(messages.filter((m) => CLOCK.test(m.message)).map((m) => m.line)).toEqual([2, 3, 4]);
    expect(messages.filter((m) => SPREAD.test(m.message))).toEqual([]);
  });

  it.each(['libs/token-issuer/src/lint-sample.ts', 'libs/validation/src/lint-sample.ts', 'libs/clients/src/lint-sample.directory.ts'])(
    'keeps both rules on the hot path file %s',
    async (filePath) => {
      const messages = await messagesFor(filePath);
      expect(messages.filter((m) => CLOCK.test(m.message)).map((m) => m.line)).toEqual([2, 3, 4]);
      expect(messages.filter((m) => SPREAD.test(m.message)).map((m) => m.line)).toEqual([1]);
    },
  );

  it.each(['libs/core/src/clock.ts', 'libs/testing/src/lint-sample.ts', 'libs/audit/src/lint-sample.spec.ts', 'libs/audit/src/lint-sample.db-spec.ts'])(
    'exempts %s (SystemClock, test harness, tests)',
    async (filePath) => {
      expect((await messagesFor(filePath)).filter((m) => CLOCK.test(m.message))).toEqual([]);
    },
  );
});
