/**
 * The admin API's types, generated from the server's OpenAPI document into s2sctl's sources
 * (`npm run generate:api-types`; a test fails while they differ from the API): one file for both
 * clients. Type-only, so nothing of s2sctl reaches the console's bundle.
 */
// eslint-disable-next-line no-restricted-imports -- the generated API contract, type-only: one file serves both clients
export type * from '../../s2sctl/src/generated/admin-api.types.js';
