import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fastify as createFastify, type FastifyInstance } from 'fastify';
import { addExchangeHooks, type JsonAnswer, type JsonRoute, type RouteContext, serveOnFastify } from './fastify-route.js';
import { HttpExchangeObserver, readFormText, requestIdOf, ServerLifecycle } from './http-exchange.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** One request on a fresh connection. */
function send(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }), ...init.headers };
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/**
 * The shared HTTP concerns on Fastify (addExchangeHooks) and a route that owns its contract served
 * on Fastify (serveOnFastify), on a bare Fastify instance set up as the server sets its own up.
 */
describe('serveOnFastify and addExchangeHooks', () => {
  let fastify: FastifyInstance;
  let port: number;
  const lifecycle = new ServerLifecycle();
  const observed: { method: string; route: string; status: number; requestId: string }[] = [];
  const contexts: RouteContext[] = [];
  const owned: JsonRoute = {
    path: '/oauth2/token',
    async answer(req, context): Promise<JsonAnswer | null> {
      contexts.push(context);
      if (context.closing) return { status: 503, headers: { connection: 'close', 'x-request-id': context.requestId }, json: '{"own":"closing"}' };
      if (req.method !== 'POST') return { status: 400, headers: {}, json: '{"own":"method"}' };
      const text = await readFormText(req, 64).catch((error: Error) => `refused: ${error.message}`);
      return { status: 200, headers: { 'cache-control': 'no-store' }, json: JSON.stringify({ own: text, query: req.url }) };
    },
  };

  beforeAll(async () => {
    fastify = createFastify({ genReqId: (req) => requestIdOf(req.headers), return503OnClosing: false });
    addExchangeHooks(
      fastify,
      lifecycle,
      new HttpExchangeObserver({ observeHttp: (method, route, status) => observed.push({ method, route, status, requestId: '' }) }, { isLevelEnabled: () => false, info: () => {} }),
    );
    fastify.get('/admin/v1/thing', async () => ({ thing: true }));
    fastify.post('/oauth2/introspect', async () => ({ active: false }));
    serveOnFastify(fastify, owned, lifecycle);
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    port = (fastify.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await fastify.close();
  });

  beforeEach(() => {
    lifecycle.closing = false;
    observed.length = 0;
    contexts.length = 0;
  });

  it('hands the route the raw request with its body unread, its request id, and sends its answer as JSON', async () => {
    const answer = await send(port, '/oauth2/token?a=1', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'rid-1' }, body: 'x=zo%C3%AB' });
    expect(answer).toMatchObject({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': 'rid-1' },
      body: { own: 'x=zo%C3%AB', query: '/oauth2/token?a=1' },
    });
    expect(contexts).toEqual([{ requestId: 'rid-1', closing: false }]);
  });

  it('lets the route answer every method and any content type itself, even one Fastify cannot parse', async () => {
    expect((await send(port, '/oauth2/token', { method: 'DELETE' })).body).toEqual({ own: 'method' });
    expect((await send(port, '/oauth2/token', { method: 'POST', headers: { 'content-type': 'not a media type' }, body: 'x=1' })).body).toMatchObject({
      own: 'refused: the body must be application/x-www-form-urlencoded',
    });
    expect((await send(port, '/oauth2/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x'.repeat(65) })).body).toMatchObject({
      own: 'refused: the request body is too large',
    });
  });

  it('observes every answered request once, by route template (unmatched for unknown paths)', async () => {
    await send(port, '/oauth2/token', { method: 'GET' });
    await send(port, '/admin/v1/thing?x=1');
    await send(port, '/nowhere');
    expect(observed).toEqual([
      { method: 'GET', route: '/oauth2/token', status: 400, requestId: '' },
      { method: 'GET', route: '/admin/v1/thing', status: 200, requestId: '' },
      { method: 'GET', route: 'unmatched', status: 404, requestId: '' },
    ]);
  });

  it('refuses other routes with 503 and Connection: close once shutdown has begun, in the admin shape or the OAuth shape, and lets the owning route answer', async () => {
    lifecycle.closing = true;
    const admin = await send(port, '/admin/v1/thing', { headers: { 'x-request-id': 'rid-2' } });
    expect({ status: admin.status, body: admin.body, connection: admin.headers.connection, noStore: admin.headers['cache-control'] }).toEqual({
      status: 503,
      body: { code: 'service_unavailable', message: 'the server is shutting down; retry later', requestId: 'rid-2' },
      connection: 'close',
      noStore: 'no-store',
    });
    const oauth = await send(port, '/oauth2/introspect', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'rid-3' }, body: 'token=x' });
    expect({ status: oauth.status, body: oauth.body, connection: oauth.headers.connection, requestId: oauth.headers['x-request-id'], pragma: oauth.headers.pragma }).toEqual({
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: 'the server is shutting down; retry later' },
      connection: 'close',
      requestId: 'rid-3',
      pragma: 'no-cache',
    });
    const own = await send(port, '/oauth2/token', { method: 'POST', headers: { 'x-request-id': 'rid-4' } });
    expect({ status: own.status, body: own.body, connection: own.headers.connection }).toEqual({ status: 503, body: { own: 'closing' }, connection: 'close' });
    expect(contexts).toEqual([{ requestId: 'rid-4', closing: true }]);
    expect(observed.map((o) => o.status)).toEqual([503, 503, 503]);
  });
});
