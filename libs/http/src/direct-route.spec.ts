import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, type DirectRequestContext, type DirectRoute, DirectRoutes, mediaTypeOf, readBodyText, requestIdOf, sendJson } from './direct-route.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request on a fresh connection; `chunks` are written one by one (chunked encoding). */
function send(port: number, path: string, init: { method?: string; headers?: Record<string, string>; chunks?: string[] } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    for (const chunk of init.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('DirectRoutes', () => {
  let server: Server;
  let port: number;
  let routes: DirectRoutes;
  const handled: { url: string | undefined; context: DirectRequestContext }[] = [];
  const observed: { route: string; status: number; requestId: string; seconds: number }[] = [];
  let behaviour: 'answer' | 'reject' = 'answer';

  const echo: DirectRoute = {
    path: '/oauth2/token',
    async handle(request: IncomingMessage, response: ServerResponse, context: DirectRequestContext) {
      handled.push({ url: request.url, context });
      if (behaviour === 'reject') throw new Error('route bug');
      sendJson(response, 201, JSON.stringify({ direct: true }), { 'x-request-id': context.requestId });
    },
  };

  beforeAll(async () => {
    routes = new DirectRoutes();
    const fallback = (_request: IncomingMessage, response: ServerResponse): void => sendJson(response, 200, JSON.stringify({ fallback: true }), {});
    server = createServer(routes.listener(fallback));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    handled.length = 0;
    observed.length = 0;
    behaviour = 'answer';
    routes.closing = false;
  });

  it('sends everything to the fallback until routes are served', async () => {
    expect((await send(port, '/oauth2/token')).text).toBe('{"fallback":true}');
    expect(handled).toEqual([]);
  });

  describe('once served', () => {
    beforeAll(() => routes.serve([echo], (_request, response, route, requestId, seconds) => observed.push({ route: route.path, status: response.statusCode, requestId, seconds })));

    it('answers the exact path, with or without a query, directly', async () => {
      for (const path of ['/oauth2/token', '/oauth2/token?x=1']) {
        const answer = await send(port, path, { method: 'POST' });
        expect({ path, status: answer.status, text: answer.text }).toEqual({ path, status: 201, text: '{"direct":true}' });
      }
      expect(handled.map((h) => h.url)).toEqual(['/oauth2/token', '/oauth2/token?x=1']);
    });

    it('leaves every other path to the fallback, including a trailing slash and a longer path', async () => {
      for (const path of ['/oauth2/token/', '/oauth2/tokens', '/oauth2/introspect', '/health/live', '/']) {
        expect({ path, text: (await send(port, path)).text }).toEqual({ path, text: '{"fallback":true}' });
      }
      expect(handled).toEqual([]);
      expect(observed).toEqual([]);
    });

    it("keeps a caller's well-formed X-Request-Id and replaces any other with a UUID", async () => {
      expect((await send(port, '/oauth2/token', { headers: { 'x-request-id': 'proxy-42.a:b' } })).headers['x-request-id']).toBe('proxy-42.a:b');
      for (const offered of ['has space', 'x'.repeat(65), 'semi;colon']) {
        const id = (await send(port, '/oauth2/token', { headers: { 'x-request-id': offered } })).headers['x-request-id'];
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
    });

    it('reports every answered request to the observer once, with its status and request id', async () => {
      await send(port, '/oauth2/token', { headers: { 'x-request-id': 'one' } });
      await send(port, '/oauth2/token?y', { headers: { 'x-request-id': 'two' } });
      expect(observed.map(({ seconds, ...rest }) => ({ ...rest, timed: seconds >= 0 && seconds < 5 }))).toEqual([
        { route: '/oauth2/token', status: 201, requestId: 'one', timed: true },
        { route: '/oauth2/token', status: 201, requestId: 'two', timed: true },
      ]);
    });

    it('tells the route when the server is closing', async () => {
      routes.closing = true;
      await send(port, '/oauth2/token');
      expect(handled[0]!.context.closing).toBe(true);
    });

    it('drops the connection of a route that rejects instead of leaving it hanging', async () => {
      behaviour = 'reject';
      await expect(send(port, '/oauth2/token')).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(observed).toEqual([]);
    });
  });
});

describe('readBodyText', () => {
  let server: Server;
  let port: number;
  let limit = 16;
  let reads: { text?: string; error?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      readBodyText(req, limit).then(
        (text) => {
          reads.push({ text });
          sendJson(res, 200, '{}', {});
        },
        (error: Error) => {
          reads.push({ error: error instanceof BodyTooLargeError ? `too large (${error.limitBytes})` : error.message });
          sendJson(res, 413, '{}', { connection: 'close' });
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    reads = [];
    limit = 16;
  });

  it('reads a body sent in several chunks, as UTF-8', async () => {
    await send(port, '/', { method: 'POST', chunks: ['a=1&', 'b=é', '&c=3'] });
    expect(reads).toEqual([{ text: 'a=1&b=é&c=3' }]);
  });

  it('reads a body of exactly the limit', async () => {
    await send(port, '/', { method: 'POST', headers: { 'content-length': '16' }, chunks: ['x'.repeat(16)] });
    expect(reads).toEqual([{ text: 'x'.repeat(16) }]);
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const answer = await send(port, '/', { method: 'POST', headers: { 'content-length': '17' }, chunks: ['x'.repeat(17)] });
    expect(answer.status).toBe(413);
    expect(reads).toEqual([{ error: 'too large (16)' }]);
  });

  it('refuses a chunked body as soon as it passes the limit', async () => {
    const answer = await send(port, '/', { method: 'POST', chunks: ['x'.repeat(10), 'y'.repeat(10), 'z'.repeat(10)] });
    expect(answer.status).toBe(413);
    expect(reads).toEqual([{ error: 'too large (16)' }]);
  });
});

describe('mediaTypeOf and requestIdOf', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['Application/X-WWW-Form-URLEncoded; charset=UTF-8', 'application/x-www-form-urlencoded'],
    [' application/json ;charset=utf-8', 'application/json'],
  ])('media type of %j is %j', (header, expected) => {
    expect(mediaTypeOf(header)).toBe(expected);
  });

  it('makes a new UUID per request when none is offered', () => {
    const first = requestIdOf({});
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf({})).not.toBe(first);
  });
});

describe('sendJson', () => {
  let server: Server;
  let port: number;
  const UTF8_JSON = '{"name":"Zoë ✓"}';

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/utf8') {
        sendJson(response, 200, UTF8_JSON, { 'cache-control': 'no-store', 'x-request-id': 'r-1' });
      } else if (request.url === '/twice') {
        sendJson(response, 201, '{"first":true}', {});
        sendJson(response, 500, '{"second":true}', { 'x-second': 'yes' });
      } else {
        try {
          sendJson(response, 200, '{}', { 'x-evil': 'a\r\nset-cookie: stolen=1' });
        } catch (error) {
          response.writeHead(500, ['x-refused', (error as NodeJS.ErrnoException).code ?? 'unknown']);
          response.end();
        }
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function raw(path: string): Promise<{ status: number; rawHeaders: string[]; text: string }> {
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, text }));
      })
        .on('error', reject)
        .end();
    });
  }

  it("sends the caller's headers in order, then the JSON type and the body's length in bytes", async () => {
    const answer = await raw('/utf8');
    const own = answer.rawHeaders.filter((_, i) => i % 2 === 0 && !['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding'].includes(answer.rawHeaders[i]!));
    expect(own).toEqual(['cache-control', 'x-request-id', 'content-type', 'content-length']);
    const headers = Object.fromEntries(Array.from({ length: answer.rawHeaders.length / 2 }, (_, i) => [answer.rawHeaders[2 * i]!, answer.rawHeaders[2 * i + 1]!]));
    expect(headers).toMatchObject({ 'cache-control': 'no-store', 'x-request-id': 'r-1', 'content-type': 'application/json; charset=utf-8', 'content-length': '19' });
    expect(Buffer.byteLength(UTF8_JSON)).toBe(19); // 16 characters, 19 bytes
    expect(answer).toMatchObject({ status: 200, text: UTF8_JSON });
  });

  it('answers once: a second call on a sent response does nothing', async () => {
    const answer = await raw('/twice');
    expect({ status: answer.status, text: answer.text, second: answer.rawHeaders.includes('x-second') }).toEqual({ status: 201, text: '{"first":true}', second: false });
  });

  it('refuses a header value with CR/LF (no header injection) and sends nothing of it', async () => {
    const answer = await raw('/evil');
    expect(answer.status).toBe(500);
    expect(answer.rawHeaders).toEqual(expect.arrayContaining(['x-refused', 'ERR_INVALID_CHAR']));
    expect(answer.rawHeaders.map((h) => h.toLowerCase())).not.toContain('set-cookie');
    expect(answer.rawHeaders).not.toContain('x-evil');
  });
});
