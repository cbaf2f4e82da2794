import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { type JsonAnswer, type JsonRoute, type RouteContext, SHUTTING_DOWN_MESSAGE } from '@s2s/http';
import { PUBLISHED_PATHS } from '@s2s/metadata';
import { InvalidRequestError, noStoreHeaders, OAuthError, oauthErrorAnswer, parseTokenRequestForm, readOAuthForm, ServerError, TemporarilyUnavailableError } from '@s2s/oauth-wire';
import { TokenEndpointService } from './token-endpoint.service.js';
import { tokenResponseJson } from './token-response.js';

/**
 * `POST /oauth2/token` (RFC 6749 3.2, SPEC 5.4): the hot path of issuance (SPEC 7). The whole
 * HTTP contract is here: POST only, a UTF-8 form body of at most `BODY_LIMIT_BYTES` (the shared
 * rules of `@s2s/http`'s http-exchange.ts), `Cache-Control: no-store` on every answer, errors in
 * the RFC 6749 5.2 shape. The server serves it as a Fastify route ({@link JsonRoute},
 * `serveOnFastify`), without Nest's per-request machinery (no controller, guards or pipes).
 * Clients authenticate themselves; the admin layer does not apply.
 */
@Injectable()
export class TokenHttpRoute implements JsonRoute {
  readonly path = PUBLISHED_PATHS.token;
  private readonly logger = new Logger('TokenEndpoint');
  private readonly bodyLimitBytes: number;

  constructor(
    private readonly endpoint: TokenEndpointService,
    config: AppConfig,
  ) {
    this.bodyLimitBytes = config.bodyLimitBytes;
  }

  answer(request: IncomingMessage, context: RouteContext): Promise<JsonAnswer | null> {
    return this.issue(request, context).then(
      (json): JsonAnswer => ({ status: 200, headers: noStoreHeaders(context.requestId), json }),
      (error: unknown) => this.errorAnswer(request, error, context.requestId),
    );
  }

  private async issue(request: IncomingMessage, context: RouteContext): Promise<string> {
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

  /** The form text, once the request is known to be a POST with a UTF-8 form body of an acceptable size. */
  private async readForm(request: IncomingMessage, context: RouteContext): Promise<string> {
    if (context.closing) throw new TemporarilyUnavailableError(SHUTTING_DOWN_MESSAGE, 'shutting_down');
    if (request.method !== 'POST') throw new InvalidRequestError('the token endpoint accepts POST only', 'method_not_allowed');
    return readOAuthForm(request, this.bodyLimitBytes);
  }

  private errorAnswer(request: IncomingMessage, error: unknown, requestId: string): JsonAnswer | null {
    let oauth: OAuthError;
    if (error instanceof OAuthError) {
      oauth = error;
    } else if (request.socket.destroyed) {
      return null; // the client went away (e.g. mid-body): nobody to answer
    } else {
      this.logger.error({ requestId, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'unhandled error at the token endpoint');
      oauth = new ServerError('internal error', 'unhandled');
      this.endpoint.recordRefusal(oauth, { requestId, remoteAddress: request.socket.remoteAddress ?? '' });
    }
    return oauthErrorAnswer(oauth, requestId);
  }
}
