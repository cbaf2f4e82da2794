import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { BodyTooLargeError, type DirectRequestContext, type DirectRoute, mediaTypeOf, readBodyText, sendJson } from '@s2s/http';
import { PUBLISHED_PATHS } from '@s2s/metadata';
import { InvalidRequestError, noStoreHeaders, OAuthError, oauthErrorResponse, parseTokenRequestForm, RequestTooLargeError, ServerError, TemporarilyUnavailableError } from '@s2s/oauth-wire';
import { TokenEndpointService } from './token-endpoint.service.js';
import { tokenResponseJson } from './token-response.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * `POST /oauth2/token` (RFC 6749 3.2, SPEC 5.4), served as a {@link DirectRoute}: the hot path of
 * issuance, answered by Node's HTTP server without Fastify's or Nest's per-request machinery
 * (SPEC 7). The whole HTTP contract is here: POST only, a form body of at most `BODY_LIMIT_BYTES`,
 * `Cache-Control: no-store` on every answer, errors in the RFC 6749 5.2 shape. Clients
 * authenticate themselves; the admin layer does not apply.
 */
@Injectable()
export class TokenHttpRoute implements DirectRoute {
  readonly path = PUBLISHED_PATHS.token;
  private readonly logger = new Logger('TokenEndpoint');
  private readonly bodyLimitBytes: number;

  constructor(
    private readonly endpoint: TokenEndpointService,
    config: AppConfig,
  ) {
    this.bodyLimitBytes = config.bodyLimitBytes;
  }

  handle(request: IncomingMessage, response: ServerResponse, context: DirectRequestContext): Promise<void> {
    return this.answer(request, context).then(
      (json) => sendJson(response, 200, json, noStoreHeaders(context.requestId)),
      (error: unknown) => this.sendError(request, response, error, context.requestId),
    );
  }

  private async answer(request: IncomingMessage, context: DirectRequestContext): Promise<string> {
    const who = { authorization: request.headers.authorization, remoteAddress: request.socket.remoteAddress ?? '', requestId: context.requestId };
    let parameters;
    try {
      parameters = parseTokenRequestForm(await this.readForm(request, context));
    } catch (error) {
      if (error instanceof OAuthError) this.endpoint.recordRefusal(error, who);
      throw error;
    }
    return tokenResponseJson(await this.endpoint.token(parameters, who));
  }

  /** The form text, once the request is known to be a POST with a form body of an acceptable size. */
  private async readForm(request: IncomingMessage, context: DirectRequestContext): Promise<string> {
    if (context.closing) throw new TemporarilyUnavailableError('the server is shutting down; retry later', 'shutting_down');
    if (request.method !== 'POST') throw new InvalidRequestError('the token endpoint accepts POST only', 'method_not_allowed');
    if (mediaTypeOf(request.headers['content-type']) !== FORM) {
      throw new InvalidRequestError('the body must be application/x-www-form-urlencoded', 'content_type_not_form');
    }
    try {
      return await readBodyText(request, this.bodyLimitBytes);
    } catch (error) {
      throw error instanceof BodyTooLargeError ? new RequestTooLargeError() : error;
    }
  }

  private sendError(request: IncomingMessage, response: ServerResponse, error: unknown, requestId: string): void {
    let oauth: OAuthError;
    if (error instanceof OAuthError) {
      oauth = error;
    } else if (request.socket.destroyed) {
      return; // the client went away (e.g. mid-body): nobody to answer
    } else {
      this.logger.error({ requestId, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'unhandled error at the token endpoint');
      oauth = new ServerError('internal error', 'unhandled');
      this.endpoint.recordRefusal(oauth, { requestId, remoteAddress: request.socket.remoteAddress ?? '' });
    }
    const { status, headers, body } = oauthErrorResponse(oauth, requestId);
    // An unread or partly read body cannot be skipped safely on a kept-alive connection.
    if (status === 413 || status === 503) headers.connection = 'close';
    sendJson(response, status, JSON.stringify(body), headers);
  }
}
