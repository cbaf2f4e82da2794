import { InvalidClientError, type OAuthError, TemporarilyUnavailableError } from './oauth.errors.js';

/**
 * The headers of every response of an OAuth endpoint (RFC 6749 5.1: tokens and errors are never
 * cached), with the request id, as a new object for the caller to add to. An object literal, not
 * a spread of a shared constant plus properties (see the hot-path rule in eslint.config.js).
 */
export function noStoreHeaders(requestId: string): Record<string, string> {
  return { 'cache-control': 'no-store', pragma: 'no-cache', 'x-request-id': requestId };
}

/** The RFC 6749 5.2 answer to `error`: status, headers (with `requestId`) and the `{error, error_description}` body. */
export function oauthErrorResponse(error: OAuthError, requestId: string): { status: number; headers: Record<string, string>; body: { error: string; error_description: string } } {
  const headers = noStoreHeaders(requestId);
  if (error instanceof InvalidClientError) headers['www-authenticate'] = 'Basic realm="s2s-trust", charset="UTF-8"';
  if (error instanceof TemporarilyUnavailableError && error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, headers, body: { error: error.error, error_description: error.description } };
}
