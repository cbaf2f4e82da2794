import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError, OAuthError, ServerError } from './oauth.errors.js';
import { oauthErrorResponse } from './oauth-error.response.js';

/**
 * Renders errors of the OAuth endpoints exactly as RFC 6749 5.2 says: JSON `{error,
 * error_description}`, `Cache-Control: no-store`, 401 + `WWW-Authenticate` for `invalid_client`,
 * `Retry-After` on 429/503. Anything unexpected is masked as `server_error` (details in the log).
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    let error = exception;
    if (!(error instanceof OAuthError)) {
      const status = error instanceof HttpException ? error.getStatus() : 500;
      if (status === 404 || status === 405) {
        error = new InvalidRequestError('use POST with an application/x-www-form-urlencoded body', 'method_not_allowed');
      } else {
        this.logger.error({ requestId: request.id, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'unhandled error at an OAuth endpoint');
        error = new ServerError('internal error', 'unhandled');
      }
    }
    const { status, headers, body } = oauthErrorResponse(error as OAuthError, request.id);
    void reply.status(status).headers(headers).type('application/json').send(body);
  }
}

