import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { requestIdOf, ServerLifecycle } from './http-exchange.js';
import { JSON_CONTENT_TYPE, type RouteContext } from './json-route.js';

// The shared HTTP rules, re-exported where the direct route's callers have always found them.
export { BodyTooLargeError, mediaTypeOf, readBodyText, requestIdOf } from './http-exchange.js';

/** What a direct route is told about its request besides the Node request and response. */
export type DirectRequestContext = RouteContext;

/**
 * A route answered by a plain Node.js handler on the HTTP server itself, ahead of Fastify and Nest
 * (SPEC 7: the token endpoint's throughput is measured against the raw signing rate, and the
 * framework's per-request work is most of what stands between the two). The route owns its whole
 * HTTP contract: methods, content type, body, errors, headers. Everything else stays on Fastify.
 * `TOKEN_ROUTE=fastify` serves the same route on Fastify instead (fastify-route.ts); the request
 * id, body, content-type, shutdown and observation rules both use are in http-exchange.ts.
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
 * Each answered request is reported to the observer (HTTP metrics, request log); a request whose
 * client went away before any answer is not (as on Fastify, whose `onResponse` never runs then).
 */
export class DirectRoutes {
  private readonly byPath = new Map<string, DirectRoute>();
  private observe: DirectRouteObserver = () => {};

  /** `lifecycle` says when the server starts shutting down (direct routes then answer 503). */
  constructor(private readonly lifecycle = new ServerLifecycle()) {}

  /** Whether the server is shutting down. */
  get closing(): boolean {
    return this.lifecycle.closing;
  }

  set closing(closing: boolean) {
    this.lifecycle.closing = closing;
  }

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
      void route.handle(request, response, { requestId, closing: this.lifecycle.closing }).then(
        () => {
          if (response.headersSent) this.observe(request, response, route, requestId, (performance.now() - started) / 1000);
        },
        // A route answers its own errors; should one still reject, drop the connection rather than leave it hanging.
        () => response.destroy(),
      );
    };
  }
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
  fields.push('content-type', JSON_CONTENT_TYPE, 'content-length', String(Buffer.byteLength(json)));
  response.writeHead(status, fields);
  response.end(json);
}
