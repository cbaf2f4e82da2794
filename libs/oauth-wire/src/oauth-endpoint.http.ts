import type { IncomingMessage } from 'node:http';
import { FormRefusedError, type JsonAnswer, readFormText } from '@s2s/http';
import { InvalidRequestError, OAuthError, RequestTooLargeError, ServerError } from './oauth.errors.js';
import { oauthErrorResponse } from './oauth-error.response.js';

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
