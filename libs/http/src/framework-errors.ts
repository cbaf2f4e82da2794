import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@nestjs/common';
import { MalformedRequestError } from '@s2s/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { adminErrorCode, errorBodyFor, sendError } from './admin-error.filter.js';
import { requestIdOf } from './http-exchange.js';

/** What the answers below say; never the URL or headers themselves (they may be anything). */
export const BAD_URL_MESSAGE = 'the request URL is not valid: a percent-encoded sequence does not decode to UTF-8 text';
export const PARAMETER_TOO_LONG_MESSAGE = 'a path segment of the request URL is too long';
const CLIENT_ERROR_MESSAGES: Record<number, string> = {
  400: 'the request could not be parsed as HTTP/1.1',
  408: 'the request was not received in time',
  431: 'the request line or header block is too large',
};

/**
 * Fastify's `frameworkErrors` option: what its router refuses before any hook or route runs (an
 * undecodable URL such as `/admin/v1/clients/%ED%A0%80`, `FST_ERR_BAD_URL`; a path parameter
 * over `maxParamLength`, `FST_ERR_MAX_PARAM_LENGTH`) is answered like any other error, in the
 * admin shape (`bad_request` 400, `uri_too_long` 414) or under `/oauth2/` the RFC 6749 5.2 shape
 * (`invalid_request`), with `X-Request-Id` (the `onRequest` hook that sets it does not run here).
 * Fastify's own answer carries neither, and echoes the URL.
 */
export function answerFrameworkError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  void reply.header('x-request-id', request.id);
  sendError(publicFrameworkError(error), request, reply, logger);
}

function publicFrameworkError(error: Error & { code?: string }): unknown {
  if (error.code === 'FST_ERR_BAD_URL') return new MalformedRequestError(BAD_URL_MESSAGE);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return Object.assign(new Error(PARAMETER_TOO_LONG_MESSAGE), { statusCode: 414 });
  return error; // anything else (an async route constraint failing) is a masked 500
}

/** A Node `clientError`: the parser's error code and, for a parse error, the bytes it stopped in. */
export type ClientError = Error & { code?: string; rawPacket?: Buffer };

/**
 * Fastify's `clientErrorHandler` option: what Node's HTTP parser refuses before there is a
 * request (a request line or header block over the header size limit: 431; a malformed request:
 * 400; a request not received within `HTTP_HEADERS_TIMEOUT_MS` / `HTTP_REQUEST_TIMEOUT_MS`: 408),
 * written on the socket in the admin shape (`request_header_fields_too_large`, `bad_request`,
 * `request_timeout`) with a new `X-Request-Id`, or in the RFC 6749 5.2 shape (`invalid_request`)
 * when the request line names an OAuth endpoint; then the connection is closed, as Fastify's
 * default handler does. A reset or already closed connection gets nothing.
 */
export function answerClientError(error: ClientError, socket: Socket, log: (fields: Record<string, unknown>, message: string) => void): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const requestId = requestIdOf({});
  const body = errorBodyFor(requestTargetOf(error.rawPacket), status, { code: adminErrorCode(status), message: CLIENT_ERROR_MESSAGES[status]!, requestId });
  log({ reqId: requestId, status, reason: error.code ?? error.message }, 'request refused by the HTTP parser');
  if (socket.writable) {
    const json = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `Cache-Control: no-store\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}

/**
 * The request target of the request line at the start of `packet` (`POST /oauth2/token HTTP/1.1`),
 * or '' when the packet does not start with one (a later packet of a long header block).
 */
function requestTargetOf(packet: Buffer | undefined): string {
  const line = packet?.subarray(0, 256).toString('latin1') ?? '';
  return /^[A-Z]{3,7} (\/\S*)/.exec(line)?.[1] ?? '';
}
