// ESLint flat config: typescript-eslint's recommended rules plus the project's import boundaries.
import tseslint from 'typescript-eslint';

// `no-restricted-syntax` selectors are kept in constants because flat config does not merge a
// rule's options: a later block that sets `no-restricted-syntax` for a file replaces, for that
// file, every selector an earlier block set. Blocks whose files overlap spread each other's lists.

/** Hot paths (SPEC 7): see the hot-path block below. */
const HOT_PATH_SPREAD = [
  {
    selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
    message: 'On the hot paths, spread last ({ own, ...shared }) or write the object out: { ...shared, own } makes a new hidden class on every call in V8.',
  },
];

/**
 * One clock (STYLE habit 8): domain code asks the injected `Clock` (`@s2s/core`) for "now", so that
 * tests freeze time at a named instant and every check of one request sees the same instant.
 * `performance.now()` (durations) and `new Date(value)` (parsing, copying) stay allowed.
 */
const INJECTED_CLOCK = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Domain code reads the time from the injected Clock (@s2s/core): clock.now(), not new Date().',
  },
  {
    // Also catches `Date.now` passed as a function, not only `Date.now()`.
    selector: "MemberExpression[object.name='Date'][property.name='now']",
    message: 'Domain code reads the time from the injected Clock (@s2s/core): clock.now().getTime(), not Date.now().',
  },
  {
    selector: "CallExpression[callee.type='Identifier'][callee.name='Date']",
    message: 'Date() without new is the current time as a string: read the injected Clock (@s2s/core) instead.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'certs/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Domain libraries must not know TypeORM (SPEC 2); only libs/persistence does.
      'no-restricted-imports': ['error', { paths: [{ name: 'typeorm', message: 'Only libs/persistence may import TypeORM.' }] }],
    },
  },
  {
    // One clock in the domain libraries (INJECTED_CLOCK above). Must stay before the hot-path
    // block, which sets no-restricted-syntax again for its files and spreads INJECTED_CLOCK in.
    files: ['libs/**/src/**/*.ts'],
    ignores: [
      // Tests build fixtures at real instants (e.g. certificates openssl stamps with the real
      // time) and then freeze a FrozenClock there.
      '**/*.spec.ts',
      '**/*.db-spec.ts',
      // SystemClock: the one place that reads the machine's time.
      'libs/core/src/clock.ts',
      // Test harness (server processes, databases, openssl), not domain code, not in the build.
      'libs/testing/**',
    ],
    rules: {
      'no-restricted-syntax': ['error', ...INJECTED_CLOCK],
    },
  },
  {
    // The issuance and validation hot paths (SPEC 7). V8 gives the result of `{ ...source }` a map
    // that keeps no transitions, so each property added after the spread makes a new hidden class
    // on every call: old-generation garbage and megamorphic property access downstream (≈ 15 µs
    // per token at the token endpoint until 2026-12-04). Spread last, or write the object out.
    // These files are domain code too: the clock block's selectors are spread in (see the top).
    files: ['libs/{token-issuer,oauth-wire,validation,http,jwt,crypto}/src/**/*.ts', 'libs/{clients,trusted-issuers,partners,oauth-servers}/src/*.directory.ts'],
    ignores: ['**/*.spec.ts', '**/*.db-spec.ts', '**/*.openapi.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...HOT_PATH_SPREAD, ...INJECTED_CLOCK],
    },
  },
  {
    // Database tests look at the rows themselves to prove what was (not) stored.
    files: ['libs/persistence/**/*.ts', '**/*.db-spec.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  // Library boundaries: see importBoundaries() below. After the block above, which it narrows.
  ...importBoundaries(),
  {
    // The browser console (apps/console): the admin key lives in memory only, and nothing may turn
    // a string into code or markup (the CSP forbids it too; this catches it before a browser does).
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'The console keeps the admin key in memory only: no web storage.' },
        { name: 'sessionStorage', message: 'The console keeps the admin key in memory only: no web storage.' },
        { name: 'indexedDB', message: 'The console keeps the admin key in memory only: no web storage.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'document', property: 'cookie', message: 'No cookies: the admin key travels only in the Authorization header.' },
        { object: 'window', property: 'localStorage', message: 'No web storage.' },
        { object: 'window', property: 'sessionStorage', message: 'No web storage.' },
        { object: 'document', property: 'write', message: 'No markup from strings.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No markup from strings (Trusted Types are enforced by the CSP).' },
        { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]", message: 'No markup from strings (Trusted Types are enforced by the CSP).' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'No markup from strings.' },
      ],
    },
  },
  {
    // The server launcher is CommonJS on purpose: it must run before any ES module is loaded.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.db-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts', 'apps/*/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

/**
 * Library boundaries. A library or app reaches another library only through its public face, the
 * `@s2s/<lib>` alias of libs/<lib>/src/index.ts (tsconfig `paths`, jest `moduleNameMapper`): never
 * a file inside it (`@s2s/<lib>/<file>`), never a relative path out of its own package
 * (`../../<lib>/src/…`), never a root path (`libs/…`, `apps/…`). Tests too: what a test needs from
 * another library, that library exports.
 *
 * no-restricted-imports matches the text of the import, not the file it resolves to, so how many
 * `../` leave a package depends on how deep the importing file sits below libs/<lib>/ or
 * apps/<app>/: one block per depth. A later block's options for a rule replace the earlier ones
 * (flat config), so these blocks repeat the TypeORM entry of the first block, except for the files
 * that the block before them lets import TypeORM (libs/persistence, database tests): those keep
 * the boundaries only. Static imports and `export … from` only; `import()` is not checked.
 */
function importBoundaries() {
  const typeormOnlyInPersistence = { name: 'typeorm', message: 'Only libs/persistence may import TypeORM.' };
  const mayImportTypeorm = ['libs/persistence/**/*.ts', '**/*.db-spec.ts'];
  const patterns = (depth) => [
    { regex: '^@s2s/[^/]+/', message: "Import another library through its index only: '@s2s/<lib>', never a file inside it." },
    { regex: '^(?:/|(?:libs|apps)/)', message: "Import another library as '@s2s/<lib>', not by its path." },
    {
      regex: `^(?:\\./)?(?:\\.\\./){${depth + 1}}`,
      message: "This relative path leaves the library (or app): import another library as '@s2s/<lib>'.",
    },
  ];
  // depth 1 = libs/<lib>/src/*.ts; 2 = libs/<lib>/src/<folder>/*.ts; …
  return Array.from({ length: 8 }, (_, depth) => {
    const files = ['libs', 'apps'].map((root) => `${root}/*/${'*/'.repeat(depth)}*.ts`);
    return [
      { files, ignores: mayImportTypeorm, rules: { 'no-restricted-imports': ['error', { paths: [typeormOnlyInPersistence], patterns: patterns(depth) }] } },
      { files: files.flatMap((file) => mayImportTypeorm.map((allowed) => [file, allowed])), rules: { 'no-restricted-imports': ['error', { patterns: patterns(depth) }] } },
    ];
  }).flat();
}
