import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  MalformedRequestError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyAttemptsError,
  UnauthenticatedError,
} from '@s2s/core';
import { StrictJsonError } from '@s2s/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminErrorDto } from './admin-error.dto.js';
import { FORM_ENDPOINT_PREFIX } from './form-endpoints.js';
import { UnsupportedCharsetError } from './http-exchange.js';

const STATUS_OF_DOMAIN_ERROR = new Map<abstract new (...args: never[]) => DomainError, number>([
  [MalformedRequestError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [InvalidInputError, 422],
  [TooManyAttemptsError, 429],
  [ServiceUnavailableError, 503],
]);

const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'too_many_requests',
  431: 'request_header_fields_too_large',
  503: 'service_unavailable',
};

/** The stable `code` of an admin error answered with `status` (a 4xx without its own code is `bad_request`). */
export function adminErrorCode(status: number): string {
  return CODE_OF_STATUS[status] ?? 'bad_request';
}

/** Errors from the database driver that mean "unreachable", not "bad query". */
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|the database system is|the embedded database has been closed|is not currently accepting connections|terminating connection due to administrator command|Client has encountered a connection error/i;

/** What to answer for any error: status and body. Shared by the Nest filter and Fastify's own error handler. */
export function describeError(error: unknown, requestId: string, logger: Logger): { status: number; body: AdminErrorDto } {
  if (error instanceof DomainError) {
    const status = [...STATUS_OF_DOMAIN_ERROR].find(([type]) => error instanceof type)?.[1] ?? 500;
    return { status, body: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}), requestId } };
  }
  if (error instanceof StrictJsonError) {
    // The admin API's JSON body parser (apps/trust-server server.factory). A body nested too deep
    // is `invalid_json`; duplicate keys and syntax errors keep their established `bad_request`.
    return { status: 400, body: { code: error.reason === 'nesting_too_deep' ? 'invalid_json' : 'bad_request', message: error.message, requestId } };
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status < 500) {
    return { status, body: { code: adminErrorCode(status), message: publicMessage(error, status), requestId } };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (UNAVAILABLE.test(message)) {
    logger.warn({ requestId, err: message }, 'database unavailable');
    return { status: 503, body: { code: 'service_unavailable', message: 'the database is unavailable; retry later', requestId } };
  }
  // Internals are masked: the detail goes to the log under the request id only.
  logger.error({ requestId, err: error instanceof Error ? { message: error.message, stack: error.stack } : message }, 'unhandled error');
  return { status: 500, body: { code: 'internal_error', message: 'internal error; see the server log for this request id', requestId } };
}

function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function publicMessage(error: unknown, status: number): string {
  if (status === 413) return 'the request body is too large';
  if (status === 415) return error instanceof UnsupportedCharsetError ? error.message : 'unsupported Content-Type: send application/json';
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'object' && response && 'message' in response) {
      const message = (response as { message: unknown }).message;
      return Array.isArray(message) ? message.join('; ') : String(message);
    }
    return error.message;
  }
  return error instanceof Error ? error.message : 'bad request';
}

/**
 * The body of an error in the shape of the route family of `url`: RFC 6749 5.2
 * `{error, error_description}` on the OAuth endpoints (`/oauth2/`), else the admin body.
 */
export function errorBodyFor(url: string, status: number, body: AdminErrorDto): AdminErrorDto | { error: string; error_description: string } {
  // Errors no OAuth endpoint answered itself (an unknown path under /oauth2/, a URL the router
  // refuses) still answer in the RFC 6749 5.2 shape there.
  if (url.startsWith(FORM_ENDPOINT_PREFIX)) return { error: status >= 500 ? 'server_error' : 'invalid_request', error_description: body.message };
  return body;
}

/** Sends `error` as {@link describeError} renders it, in the shape of the request's route family. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const { status, body } = describeError(error, String(request.id), logger);
  if (status === 401 && !request.url.startsWith(FORM_ENDPOINT_PREFIX)) reply.header('WWW-Authenticate', 'Bearer realm="s2s-trust-admin"');
  if (error instanceof TooManyAttemptsError) reply.header('Retry-After', String(error.retryAfterSeconds));
  void reply.status(status).header('Cache-Control', 'no-store').send(errorBodyFor(request.url, status, body));
}

/** Renders every error outside the OAuth endpoints as `{code, message, details?, requestId}`. */
@Catch()
export class AdminErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
