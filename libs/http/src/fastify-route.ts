import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { ServerLifecycle } from './http-exchange.js';
import { type JsonAnswer, JSON_CONTENT_TYPE, type JsonRoute } from './json-route.js';

/**
 * Every method Fastify routes (its `bodyless` and `bodywith` sets): the route answers each of
 * them itself (e.g. `invalid_request` for anything but POST), as it does as a direct route.
 */
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'TRACE', 'DELETE', 'OPTIONS', 'PATCH', 'PUT', 'POST', 'QUERY'];

/**
 * Fastify's refusals of a request's framing before any handler runs (a `Content-Type` it cannot
 * parse, a QUERY without one). The route applies its own content-type rule instead, so it answers
 * these requests exactly as a direct route would.
 */
const FRAMING_ERRORS = new Set(['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE']);

/** Route config of the routes mounted here: they answer requests themselves while the server shuts down. */
export interface OwnRouteConfig {
  answersWhileClosing: true;
}

/**
 * Serves `routes` as Fastify routes (`TOKEN_ROUTE=fastify`): Fastify routes the request, makes
 * its request id (`genReqId`), runs the server's hooks (`X-Request-Id`, the shutdown refusal for
 * other routes, the HTTP metrics and request log of http-exchange.ts) and sends the answer; the
 * route decides everything else as it does ahead of Fastify (direct-route.ts), reading its own
 * body. They live in their own plugin scope, whose only content-type parser leaves the body
 * unread, so Fastify neither parses nor limits it: the route's method check comes first, then
 * the shared form rules (content type, charset, `BODY_LIMIT_BYTES`, UTF-8).
 */
export function serveOnFastify(fastify: FastifyInstance, routes: readonly JsonRoute[], lifecycle: ServerLifecycle): void {
  void fastify.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null, undefined));
    for (const route of routes) {
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
    }
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
  void reply.code(answer.status).headers(answer.headers).type(JSON_CONTENT_TYPE).send(answer.json);
}
