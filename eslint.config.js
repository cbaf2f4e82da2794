// ESLint flat config: typescript-eslint's recommended rules plus the project's import boundaries.
import tseslint from 'typescript-eslint';

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
    // The issuance and validation hot paths (SPEC 7). V8 gives the result of `{ ...source }` a map
    // that keeps no transitions, so each property added after the spread makes a new hidden class
    // on every call: old-generation garbage and megamorphic property access downstream (≈ 15 µs
    // per token at the token endpoint until 2026-12-04). Spread last, or write the object out.
    files: ['libs/{token-issuer,validation,http,jwt,crypto}/src/**/*.ts', 'libs/{clients,trusted-issuers,partners,oauth-servers}/src/*.directory.ts'],
    ignores: ['**/*.spec.ts', '**/*.db-spec.ts', '**/*.openapi.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message: 'On the hot paths, spread last ({ own, ...shared }) or write the object out: { ...shared, own } makes a new hidden class on every call in V8.',
        },
      ],
    },
  },
  {
    // Database tests look at the rows themselves to prove what was (not) stored.
    files: ['libs/persistence/**/*.ts', '**/*.db-spec.ts'],
    rules: { 'no-restricted-imports': 'off' },
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
