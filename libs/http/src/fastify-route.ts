import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { FORM_ENDPOINT_PREFIX } from './form-endpoints.js';
import { type HttpExchangeObserver, type ServerLifecycle, SHUTTING_DOWN_MESSAGE } from './http-exchange.js';

/** What a route is told about its request besides the Node request. */
export interface RouteContext {
  /** To be sent back as `X-Request-Id` on every answer. */
  requestId: string;
  /** The server is shutting down: answer 503 and close the connection. */
  closing: boolean;
}

/** A whole answer: status, header fields (without the content type and length) and the JSON text. */
export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  json: string;
  /**
   * Another content type than JSON's, for an answer whose text is not JSON: the revocation
   * endpoint's empty 200 (RFC 7009 2.2) is `text/plain; charset=utf-8`.
   */
  contentType?: string;
}

/**
 * An endpoint that owns its whole HTTP contract (methods, content type, body, errors, headers) and
 * answers JSON (the token, introspection and revocation endpoints), served by {@link serveOnFastify}, which sends the answer. It
 * reads its body itself, with the shared rules of http-exchange.ts.
 */
export interface JsonRoute {
  /** The exact path (no trailing slash); any query string is ignored. */
  readonly path: string;
  /** The answer to one request, or null when nobody is left to answer (the client went away). Never rejects. */
  answer(request: IncomingMessage, context: RouteContext): Promise<JsonAnswer | null>;
}

/** The content type of every {@link JsonAnswer}. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Every method Fastify routes (its `bodyless` and `bodywith` sets): the route answers each of
 * them itself (e.g. `invalid_request` for anything but POST).
 */
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'TRACE', 'DELETE', 'OPTIONS', 'PATCH', 'PUT', 'POST', 'QUERY'];

/**
 * Fastify's refusals of a request's framing before any handler runs (a `Content-Type` it cannot
 * parse, a QUERY without one). The route applies its own content-type rule instead, so it answers
 * these requests itself, as it answers any other content type.
 */
const FRAMING_ERRORS = new Set(['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE']);

/** Route config of the route mounted here: it answers requests itself while the server shuts down. */
export interface OwnRouteConfig {
  answersWhileClosing: true;
}

/**
 * Serves `route` as a Fastify route: Fastify routes the request, makes its request id
 * (`genReqId`), runs the server's hooks (`X-Request-Id`, the shutdown refusal for other routes,
 * the HTTP metrics and request log of http-exchange.ts) and sends the answer; the route decides
 * everything else, reading its own body. It lives in its own plugin scope, whose only
 * content-type parser leaves the body unread, so Fastify neither parses nor limits it: the
 * route's method check comes first, then the shared form rules (content type, charset,
 * `BODY_LIMIT_BYTES`, UTF-8).
 */
export function serveOnFastify(fastify: FastifyInstance, route: JsonRoute, lifecycle: ServerLifecycle): void {
  void fastify.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null, undefined));
    const handler = (request: FastifyRequest, reply: FastifyReply): Promise<void> =>
      route.answer(request.raw, { requestId: request.id, closing: lifecycle.closing }).then((answer) => send(reply, answer));
    scope.route({
      method: METHODS,
      url: route.path,
      config: { answersWhileClosing: true } satisfies OwnRouteConfig,
      handler,
      errorHandler: (error: FastifyError, request, reply) => {
        if (FRAMING_ERRORS.has(error.code)) return handler(request, reply);
        throw error; // to the server's error handler
      },
    });
    done();
  });
}

function send(reply: FastifyReply, answer: JsonAnswer | null): void {
  if (answer === null) {
    // The client went away (e.g. mid-body): nobody to answer.
    reply.hijack();
    reply.raw.destroy();
    return;
  }
  void reply.code(answer.status).headers(answer.headers).type(answer.contentType ?? JSON_CONTENT_TYPE).send(answer.json);
}

/**
 * The shared HTTP concerns on every Fastify route: `X-Request-Id` on every answer (the id itself
 * comes from `genReqId: requestIdOf`), the refusal of requests once shutdown has begun, and the
 * `onResponse` observation (HTTP metrics by route template, one `request completed` line).
 * Add before {@link serveOnFastify}, so that its routes get these hooks too.
 */
export function addExchangeHooks(fastify: FastifyInstance, lifecycle: ServerLifecycle, observer: HttpExchangeObserver): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (lifecycle.closing && !(request.routeOptions.config as Partial<OwnRouteConfig> | undefined)?.answersWhileClosing) {
      refuseWhileClosing(request, reply);
      return;
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    observer.completed(request.raw, request.routeOptions.url ?? 'unmatched', reply.statusCode, request.id, reply.elapsedTime / 1000);
    done();
  });
}

/**
 * Once graceful shutdown has begun: 503 and `Connection: close`, in the RFC 6749 5.2 shape on the
 * OAuth endpoints and the admin shape elsewhere (Fastify's own 503, `return503OnClosing`, has
 * neither). A route that answers this itself, like the token endpoint, is not refused here.
 */
function refuseWhileClosing(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(503).header('connection', 'close').header('cache-control', 'no-store');
  if (request.url.startsWith(FORM_ENDPOINT_PREFIX)) {
    void reply.header('pragma', 'no-cache').send({ error: 'temporarily_unavailable', error_description: SHUTTING_DOWN_MESSAGE });
  } else {
    void reply.send({ code: 'service_unavailable', message: SHUTTING_DOWN_MESSAGE, requestId: request.id });
  }
}
