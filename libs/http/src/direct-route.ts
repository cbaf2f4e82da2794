import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/** A request id we accept from a caller (e.g. a proxy) instead of making one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's `X-Request-Id` when it is a plain token of at most 64 characters, else a new UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const offered = headers['x-request-id'];
  return typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
}

/** What a direct route is told about its request besides the Node request and response. */
export interface DirectRequestContext {
  /** To be sent back as `X-Request-Id` on every answer. */
  requestId: string;
  /** The server is shutting down: answer 503 and close the connection. */
  closing: boolean;
}

/**
 * A route answered by a plain Node.js handler on the HTTP server itself, ahead of Fastify and Nest
 * (SPEC 7: the token endpoint's throughput is measured against the raw signing rate, and the
 * framework's per-request work is most of what stands between the two). The route owns its whole
 * HTTP contract: methods, content type, body, errors, headers. Everything else stays on Fastify.
 */
export interface DirectRoute {
  /** The exact path (no trailing slash); any query string is ignored, as Fastify's router does. */
  readonly path: string;
  /** Answers the request; settles once the answer is handed to the socket (never rejects). */
  handle(request: IncomingMessage, response: ServerResponse, context: DirectRequestContext): Promise<void>;
}

/** Called once per answered request of a direct route (HTTP metrics, request log). */
export type DirectRouteObserver = (request: IncomingMessage, response: ServerResponse, route: DirectRoute, requestId: string, seconds: number) => void;

/**
 * The direct routes of one server, and its request listener: a request for one of them goes to
 * that route, every other request to Fastify. Routes are added once the application is built; the
 * server is created before that (Fastify's `serverFactory`), so the table is filled in later.
 * Each answered request is reported to the observer (HTTP metrics, request log).
 */
export class DirectRoutes {
  private readonly byPath = new Map<string, DirectRoute>();
  private observe: DirectRouteObserver = () => {};
  /** Set when the server starts shutting down; direct routes then answer 503. */
  closing = false;

  /** Starts answering `routes` directly; `observe` hears of every answered request. */
  serve(routes: readonly DirectRoute[], observe: DirectRouteObserver): void {
    for (const route of routes) this.byPath.set(route.path, route);
    this.observe = observe;
  }

  /** The listener for `http(s).createServer`: direct routes first, `fallback` (Fastify) for the rest. */
  listener(fallback: (request: IncomingMessage, response: ServerResponse) => void): (request: IncomingMessage, response: ServerResponse) => void {
    return (request, response) => {
      const url = request.url ?? '';
      const query = url.indexOf('?');
      const route = this.byPath.get(query < 0 ? url : url.slice(0, query));
      if (route === undefined) {
        fallback(request, response);
        return;
      }
      const started = performance.now();
      const requestId = requestIdOf(request.headers);
      void route.handle(request, response, { requestId, closing: this.closing }).then(
        () => this.observe(request, response, route, requestId, (performance.now() - started) / 1000),
        // A route answers its own errors; should one still reject, drop the connection rather than leave it hanging.
        () => response.destroy(),
      );
    };
  }
}

/** The body exceeded the configured limit (`BODY_LIMIT_BYTES`). */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super('the request body is too large');
  }
}

/**
 * Reads the whole body as UTF-8 text (as Fastify's `parseAs: 'string'` does), refusing more than
 * `limitBytes`: at once when `Content-Length` says so, else as soon as the bytes received exceed it.
 * Rejects with the stream's error when the client goes away mid-body.
 */
export function readBodyText(request: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limitBytes) {
        request.off('data', onData);
        request.off('end', onEnd);
        request.resume(); // drain the rest; the response closes the connection
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, received).toString('utf8'));
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}

/** The media type of a `Content-Type` header, lower-cased, without parameters; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  if (!contentType) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * Sends `body` (already serialised JSON) with `status` and `headers`, with its length, unless the
 * response has already been sent or the connection is gone. The header fields go to Node as one
 * flat name/value list (`writeHead`'s array form), not spread into a new object with more
 * properties (see the hot-path rule in eslint.config.js).
 */
export function sendJson(response: ServerResponse, status: number, json: string, headers: Readonly<Record<string, string>>): void {
  if (response.headersSent || response.destroyed) return;
  const fields: string[] = [];
  for (const name of Object.keys(headers)) fields.push(name, headers[name]!);
  fields.push('content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(json)));
  response.writeHead(status, fields);
  response.end(json);
}
