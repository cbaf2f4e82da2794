import { InvalidClientError, type OAuthError, TemporarilyUnavailableError } from './oauth.errors.js';

/** Headers on every response of an OAuth endpoint (RFC 6749 5.1): tokens and errors are never cached. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'cache-control': 'no-store', pragma: 'no-cache' });

/** The RFC 6749 5.2 answer to `error`: status, headers and the `{error, error_description}` body. */
export function oauthErrorResponse(error: OAuthError): { status: number; headers: Record<string, string>; body: { error: string; error_description: string } } {
  const headers: Record<string, string> = { ...NO_STORE_HEADERS };
  if (error instanceof InvalidClientError) headers['www-authenticate'] = 'Basic realm="s2s-trust", charset="UTF-8"';
  if (error instanceof TemporarilyUnavailableError && error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  return { status: error.status, headers, body: { error: error.error, error_description: error.description } };
}
