/**
 * Paths whose endpoints take `application/x-www-form-urlencoded` bodies (RFC 6749 3.2). Defined
 * here, not beside `FormBody` in `@s2s/oauth-wire`, because the HTTP layer routes on it (the body
 * parsers, and {@link AdminErrorFilter} answering in the RFC 6749 5.2 shape there) and
 * `@s2s/oauth-wire` already depends on this library (through `@s2s/clients`): importing it back
 * would make a cycle between the two barrels.
 */
export const FORM_ENDPOINT_PREFIX = '/oauth2/';
