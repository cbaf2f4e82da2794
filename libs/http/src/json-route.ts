import type { IncomingMessage } from 'node:http';

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
}

/**
 * An endpoint that owns its whole HTTP contract (methods, content type, body, errors, headers) and
 * answers JSON, independent of the HTTP stack that serves it: ahead of Fastify as a direct route
 * (direct-route.ts) or as a Fastify route (fastify-route.ts), selected by `TOKEN_ROUTE`. It reads
 * its body itself, with the shared rules of http-exchange.ts.
 */
export interface JsonRoute {
  /** The exact path (no trailing slash); any query string is ignored. */
  readonly path: string;
  /** The answer to one request, or null when nobody is left to answer (the client went away). Never rejects. */
  answer(request: IncomingMessage, context: RouteContext): Promise<JsonAnswer | null>;
}

/** The content type of every {@link JsonAnswer}. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
