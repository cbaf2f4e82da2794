import type { IncomingMessage } from 'node:http';
import type { CredentialEndpoint } from '@s2s/core';
import { FormRefusedError, type JsonAnswer, readFormText, SHUTTING_DOWN_MESSAGE } from '@s2s/http';
import type { AssertionAudience } from './client-assertion.verifier.js';
import type { ClientAuthenticationService } from './client-authentication.service.js';
import { type AuthenticatedClient, PresentedAuthorization } from './client.authenticator.js';
import { InvalidRequestError, OAuthError, RequestTooLargeError, ServerError, TemporarilyUnavailableError } from './oauth.errors.js';
import { oauthErrorResponse } from './oauth-error.response.js';
import { parseTokenRequestForm, type TokenRequestParameters } from './oauth-form.parser.js';

/**
 * The form text of a request to an OAuth endpoint served as a `JsonRoute`, under the shared form
 * rules of `@s2s/http` (UTF-8 `application/x-www-form-urlencoded`, at most `limitBytes`); a
 * refused body becomes the RFC 6749 5.2 error with the refusal's reason (413 `invalid_request`
 * when too large).
 */
export async function readOAuthForm(request: IncomingMessage, limitBytes: number): Promise<string> {
  try {
    return await readFormText(request, limitBytes);
  } catch (error) {
    if (!(error instanceof FormRefusedError)) throw error;
    const { status, description, reason } = error.refusal;
    throw status === 413 ? new RequestTooLargeError() : new InvalidRequestError(description, reason);
  }
}

/** The answer to `error` in the RFC 6749 5.2 shape, closing the connection after a 413 or 503. */
export function oauthErrorAnswer(error: OAuthError, requestId: string): JsonAnswer {
  const { status, headers, body } = oauthErrorResponse(error, requestId);
  // An unread or partly read body cannot be skipped safely on a kept-alive connection.
  if (status === 413 || status === 503) headers.connection = 'close';
  return { status, headers, json: JSON.stringify(body) };
}

/** Where {@link answerOAuthEndpointError} logs an unexpected error (a Nest `Logger`). */
export interface UnhandledErrorLog {
  error(fields: object, message: string): void;
}

/**
 * The answer of an OAuth endpoint to any error: an {@link OAuthError} as it is; nothing (null)
 * when the client went away; anything else masked as `server_error`, the detail logged under the
 * request id only.
 */
export function answerOAuthEndpointError(request: IncomingMessage, error: unknown, requestId: string, log: UnhandledErrorLog): JsonAnswer | null {
  if (error instanceof OAuthError) return oauthErrorAnswer(error, requestId);
  if (request.socket.destroyed) return null; // e.g. mid-body: nobody to answer
  log.error({ requestId, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'unhandled error at an OAuth endpoint');
  return oauthErrorAnswer(new ServerError('internal error', 'unhandled'), requestId);
}

/** Where an OAuth endpoint logs (a Nest `Logger`). */
export interface OAuthEndpointLog extends UnhandledErrorLog {
  warn(fields: object, message: string): void;
}

/** An endpoint that authenticates its caller as a registered client besides the token endpoint. */
export interface ClientCredentialsEndpoint {
  /** Its back-off record and metrics label. */
  readonly endpoint: CredentialEndpoint;
  /** What a `private_key_jwt` assertion may name as its audience. */
  readonly audience: AssertionAudience;
  readonly bodyLimitBytes: number;
  readonly log: OAuthEndpointLog;
  /** The message of the line logged for a refused authentication (`introspection request refused`). */
  readonly refusedMessage: string;
}

/**
 * The request to an endpoint that authenticates its caller as a registered client (introspection,
 * RFC 7662 2.1; revocation, RFC 7009 2.1), up to its authenticated caller: refused while the
 * server shuts down, POST only, the form under the shared rules, then client authentication
 * exactly as at the token endpoint (the one {@link ClientAuthenticationService} and back-off); a
 * refused authentication is logged with who the request claimed to be.
 */
export async function readAuthenticatedForm(
  request: IncomingMessage,
  context: { requestId: string; closing: boolean },
  endpoint: ClientCredentialsEndpoint,
  authentication: ClientAuthenticationService,
): Promise<{ parameters: TokenRequestParameters; client: AuthenticatedClient }> {
  if (context.closing) throw new TemporarilyUnavailableError(SHUTTING_DOWN_MESSAGE, 'shutting_down');
  if (request.method !== 'POST') throw new InvalidRequestError('use POST with an application/x-www-form-urlencoded body', 'method_not_allowed');
  const parameters = parseTokenRequestForm(await readOAuthForm(request, endpoint.bodyLimitBytes));
  const authorization = new PresentedAuthorization(request.headers.authorization);
  // The socket's address, as the token endpoint keys its back-off (never a forwarded header).
  const remoteAddress = request.socket.remoteAddress ?? '';
  try {
    return { parameters, client: await authentication.authenticate(parameters, authorization, endpoint.audience, remoteAddress, endpoint.endpoint) };
  } catch (error) {
    if (error instanceof OAuthError) {
      endpoint.log.warn({ requestId: context.requestId, error: error.error, reason: error.reason, clientId: authorization.claimedClientId, remoteAddress }, endpoint.refusedMessage);
    }
    throw error;
  }
}
