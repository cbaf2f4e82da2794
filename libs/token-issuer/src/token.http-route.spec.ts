import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '@s2s/config';
import { addExchangeHooks, HttpExchangeObserver, requestIdOf, serveOnFastify, ServerLifecycle } from '@s2s/http';
import { fastify as createFastify } from 'fastify';
import { type OAuthError, type TokenRequestParameters } from '@s2s/oauth-wire';
import type { TokenEndpointService, TokenRequestContext } from './token-endpoint.service.js';
import { TokenHttpRoute } from './token.http-route.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * The endpoint service the route talks to, as a strict recording stand-in: the HTTP contract of
 * the route (methods, content type, body, rendering, shutdown) is what is under test here; the
 * real service runs in test/token-endpoint.e2e-spec.ts.
 */
class RecordingEndpoint {
  calls: { parameters: Record<string, string>; context: TokenRequestContext }[] = [];
  refusals: { error: string; reason: string; requestId: string }[] = [];
  answer: () => Promise<unknown> = async () => ({ access_token: 'a.b.c', token_type: 'Bearer', expires_in: 3600 });

  token(parameters: TokenRequestParameters, context: TokenRequestContext): Promise<unknown> {
    this.calls.push({ parameters: Object.fromEntries(parameters), context });
    return this.answer();
  }

  recordRefusal(error: OAuthError, context: { requestId: string }): void {
    this.refusals.push({ error: error.error, reason: error.reason, requestId: context.requestId });
  }
}

/**
 * The route as the server serves it: a Fastify route on a Fastify instance with the server's
 * request id rule and exchange hooks.
 */
async function listen(route: TokenHttpRoute, lifecycle: ServerLifecycle): Promise<{ port: number; close: () => Promise<unknown> }> {
  const fastify = createFastify({ genReqId: (req) => requestIdOf(req.headers) });
  addExchangeHooks(fastify, lifecycle, new HttpExchangeObserver({ observeHttp: () => {} }, { isLevelEnabled: () => false, info: () => {} }));
  fastify.setNotFoundHandler((_req, reply) => void reply.code(404).send({}));
  serveOnFastify(fastify, route, lifecycle);
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  return { port: (fastify.server.address() as AddressInfo).port, close: () => fastify.close() };
}

describe('TokenHttpRoute (POST /oauth2/token)', () => {
  let server: { port: number; close: () => Promise<unknown> };
  let port: number;
  let endpoint: RecordingEndpoint;
  const routes = new ServerLifecycle();

  const send = (init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; path?: string } = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers = { 'x-request-id': 'req-1', ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }), ...init.headers };
      const req = request({ host: '127.0.0.1', port, path: init.path ?? '/oauth2/token', method: init.method ?? 'POST', headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  const form = (body: string, headers: Record<string, string> = {}) => send({ body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  beforeAll(async () => {
    endpoint = new RecordingEndpoint();
    const config = Object.assign(new AppConfig(), { bodyLimitBytes: 1024 });
    server = await listen(new TokenHttpRoute(endpoint as unknown as TokenEndpointService, config), routes);
    port = server.port;
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    endpoint.calls = [];
    endpoint.refusals = [];
    endpoint.answer = async () => ({ access_token: 'a.b.c', token_type: 'Bearer', expires_in: 3600 });
    routes.closing = false;
  });

  it('hands the parsed form, the Authorization header, the address and the request id to the endpoint, and answers its token with no-store', async () => {
    const answer = await form('grant_type=client_credentials&resource=api%3A%2F%2Fwebapi', { authorization: 'Basic abc=' });
    expect(answer).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'cache-control': 'no-store', pragma: 'no-cache', 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req-1' }),
      body: { access_token: 'a.b.c', token_type: 'Bearer', expires_in: 3600 },
    });
    expect(endpoint.calls).toEqual([
      { parameters: { grant_type: 'client_credentials', resource: 'api://webapi' }, context: { authorization: 'Basic abc=', remoteAddress: '127.0.0.1', requestId: 'req-1' } },
    ]);
  });

  it('accepts a form content type with parameters and any letter case', async () => {
    expect((await form('grant_type=client_credentials', { 'content-type': 'Application/X-WWW-Form-URLEncoded; charset=UTF-8' })).status).toBe(200);
    expect(endpoint.calls).toHaveLength(1);
  });

  it.each([
    ['GET', 'GET', undefined, {}, 400, 'invalid_request', 'the token endpoint accepts POST only', 'method_not_allowed'],
    ['PUT with a form', 'PUT', 'grant_type=client_credentials', { 'content-type': 'application/x-www-form-urlencoded' }, 400, 'invalid_request', 'the token endpoint accepts POST only', 'method_not_allowed'],
    ['DELETE', 'DELETE', undefined, {}, 400, 'invalid_request', 'the token endpoint accepts POST only', 'method_not_allowed'],
    ['a JSON body', 'POST', '{"grant_type":"client_credentials"}', { 'content-type': 'application/json' }, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded', 'content_type_not_form'],
    ['no content type', 'POST', 'grant_type=client_credentials', {}, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded', 'content_type_not_form'],
    ['a repeated parameter', 'POST', 'grant_type=a&grant_type=b', { 'content-type': 'application/x-www-form-urlencoded' }, 400, 'invalid_request', 'the parameter grant_type is repeated', 'repeated_parameter'],
    ['a body over the limit', 'POST', `resource=${'a'.repeat(1100)}`, { 'content-type': 'application/x-www-form-urlencoded' }, 413, 'invalid_request', 'the request body is too large', 'body_too_large'],
  ])('%s: the exact RFC 6749 error, the reason counted, the endpoint never reached', async (_label, method, body, headers, status, error, description, reason) => {
    const answer = await send({ method, body, headers });
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body: { error, error_description: description } });
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-request-id']).toBe('req-1');
    expect(endpoint.refusals).toEqual([{ error, reason, requestId: 'req-1' }]);
    expect(endpoint.calls).toEqual([]);
  });

  it('closes the connection after refusing an oversized body (its rest is never read)', async () => {
    const answer = await form(`resource=${'a'.repeat(2000)}`);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
  });

  it('answers 503 temporarily_unavailable and closes the connection while the server shuts down', async () => {
    routes.closing = true;
    const answer = await form('grant_type=client_credentials');
    expect({ status: answer.status, body: answer.body, connection: answer.headers.connection }).toEqual({
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: 'the server is shutting down; retry later' },
      connection: 'close',
    });
    expect(endpoint.refusals).toEqual([{ error: 'temporarily_unavailable', reason: 'shutting_down', requestId: 'req-1' }]);
    expect(endpoint.calls).toEqual([]);
  });

  it('masks an unexpected failure as server_error and counts it as unhandled', async () => {
    endpoint.answer = async () => {
      throw new Error('database exploded at /var/lib/secret/path');
    };
    const answer = await form('grant_type=client_credentials');
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 500, body: { error: 'server_error', error_description: 'internal error' } });
    expect(endpoint.refusals).toEqual([{ error: 'server_error', reason: 'unhandled', requestId: 'req-1' }]);
  });

  it('lets the endpoint count its own refusals (not twice)', async () => {
    const { InvalidClientError } = await import('@s2s/oauth-wire');
    endpoint.answer = async () => {
      throw new InvalidClientError('unknown_client');
    };
    const answer = await form('grant_type=client_credentials');
    expect({ status: answer.status, body: answer.body, challenge: answer.headers['www-authenticate'] }).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
      challenge: 'Basic realm="s2s-trust", charset="UTF-8"',
    });
    expect(endpoint.refusals).toEqual([]);
  });

  it.each([
    ['a charset other than UTF-8', 'application/x-www-form-urlencoded; charset=iso-8859-1', Buffer.from('grant_type=client_credentials&scope=caf\xe9', 'latin1'), 'the form must be UTF-8: send charset=utf-8 or no charset', 'charset_not_utf8'],
    ['a quoted charset other than UTF-8', 'application/x-www-form-urlencoded;CHARSET="windows-1252"', 'grant_type=client_credentials', 'the form must be UTF-8: send charset=utf-8 or no charset', 'charset_not_utf8'],
    ['bytes that are not UTF-8', 'application/x-www-form-urlencoded', Buffer.concat([Buffer.from('grant_type=client_credentials&upn=b'), Buffer.from([0xff, 0xfe]), Buffer.from('b')]), 'the form is not valid UTF-8', 'body_not_utf8'],
    ['an overlong UTF-8 encoding', 'application/x-www-form-urlencoded; charset=utf-8', Buffer.concat([Buffer.from('grant_type=client_credentials&upn='), Buffer.from([0xc0, 0xaf])]), 'the form is not valid UTF-8', 'body_not_utf8'],
    ['a percent-escape that is not UTF-8', 'application/x-www-form-urlencoded', 'grant_type=client_credentials&upn=%FFbob', 'the form is not valid UTF-8', 'body_not_utf8'],
    ['a malformed content type', 'not a media type', 'grant_type=client_credentials', 'the body must be application/x-www-form-urlencoded', 'content_type_not_form'],
    ['text/plain', 'text/plain; charset=utf-8', 'grant_type=client_credentials', 'the body must be application/x-www-form-urlencoded', 'content_type_not_form'],
  ])('refuses %s with invalid_request, the reason counted, the endpoint never reached', async (_label, contentType, body, description, reason) => {
    const answer = await send({ body, headers: { 'content-type': contentType } });
    expect({ status: answer.status, body: answer.body, noStore: answer.headers['cache-control'], requestId: answer.headers['x-request-id'] }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: description },
      noStore: 'no-store',
      requestId: 'req-1',
    });
    expect(endpoint.refusals).toEqual([{ error: 'invalid_request', reason, requestId: 'req-1' }]);
    expect(endpoint.calls).toEqual([]);
  });

  it('accepts UTF-8 in any spelling of the charset, and decodes non-ASCII parameters exactly', async () => {
    for (const contentType of ['application/x-www-form-urlencoded; charset=utf-8', 'application/x-www-form-urlencoded; Charset="UTF-8"']) {
      expect((await send({ body: Buffer.from('grant_type=client_credentials&upn=zo%C3%AB&smtp=zoë@contoso.com', 'utf8'), headers: { 'content-type': contentType } })).status).toBe(200);
    }
    expect(endpoint.calls.map((call) => [call.parameters.upn, call.parameters.smtp])).toEqual([
      ['zoë', 'zoë@contoso.com'],
      ['zoë', 'zoë@contoso.com'],
    ]);
  });

  it('ignores the query string and answers every method but POST with method_not_allowed', async () => {
    expect((await send({ path: '/oauth2/token?grant_type=password', body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
    expect(endpoint.calls.map((call) => call.parameters.grant_type)).toEqual(['client_credentials']);
    for (const method of ['PATCH', 'OPTIONS']) {
      const answer = await send({ method, body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect({ method, status: answer.status, body: answer.body }).toEqual({ method, status: 400, body: { error: 'invalid_request', error_description: 'the token endpoint accepts POST only' } });
    }
  });
});
