/**
 * Paths of the OAuth endpoints, which take `application/x-www-form-urlencoded` bodies (RFC 6749
 * 3.2) and answer errors in the RFC 6749 5.2 shape. Defined here, not in `@s2s/oauth-wire`,
 * because the HTTP layer answers on it (the shutdown refusal, the body parsers and
 * {@link AdminErrorFilter}, for requests no endpoint answered, e.g. an unknown path under it)
 * and `@s2s/oauth-wire` depends on this library: importing it back would make a cycle between
 * the two barrels.
 */
export const FORM_ENDPOINT_PREFIX = '/oauth2/';
