import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { capConnectionsPerAddress, serverOptionsFor } from './connection.limits.js';
import {
  BodyNotUtf8Error,
  charsetsOf,
  contentTypeVerdict,
  decodeUtf8,
  formEscapesAreUtf8,
  FormRefusedError,
  HttpExchangeObserver,
  readBodyText,
  readFormText,
} from './http-exchange.js';

/** One POST on a fresh connection; `chunks` are written one by one (chunked encoding unless a length is given). */
function post(port: number, chunks: Buffer[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

async function listen(handler: (request: IncomingMessage, respond: (status: number) => void) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => handler(req, (status) => res.writeHead(status, { connection: 'close' }).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('the content-type and charset rule', () => {
  it.each([
    [undefined, []],
    ['application/json', []],
    ['application/json; charset=utf-8', ['utf-8']],
    ['application/json;CHARSET="UTF-8"', ['utf-8']],
    ['application/json; foo=bar; charset = ISO-8859-1 ', ['iso-8859-1']],
    ['application/json; charset=utf-8; charset=latin1', ['utf-8', 'latin1']],
    ['application/json; charsetx=latin1; xcharset=latin1', []],
  ])('charsets of %j are %j', (header, expected) => {
    expect(charsetsOf(header)).toEqual(expected);
  });

  it.each([
    ['application/json', 'application/json', 'accepted'],
    ['Application/JSON; charset=UTF-8', 'application/json', 'accepted'],
    ['application/json; charset="utf-8"', 'application/json', 'accepted'],
    ['application/json; charset=utf8', 'application/json', 'charset_not_utf8'],
    ['application/json; charset=iso-8859-1', 'application/json', 'charset_not_utf8'],
    ['application/json; charset=utf-16', 'application/json', 'charset_not_utf8'],
    ['application/json; charset=utf-8; charset=latin1', 'application/json', 'charset_not_utf8'],
    ['application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'other_media_type'],
    [undefined, 'application/json', 'other_media_type'],
    ['application/x-www-form-urlencoded; charset=windows-1252', 'application/x-www-form-urlencoded', 'charset_not_utf8'],
  ])('%j for %s is %s', (header, mediaType, verdict) => {
    expect(contentTypeVerdict(header, mediaType)).toBe(verdict);
  });
});

describe('UTF-8 decoding', () => {
  it('decodes valid UTF-8, keeping a BOM for the parser to refuse', () => {
    expect(decodeUtf8(Buffer.from('Zoë ✓ 𝄞'))).toBe('Zoë ✓ 𝄞');
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('\ufeff{}');
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80]],
    ['0xFF', [0xff]],
    ['an overlong slash', [0xc0, 0xaf]],
    ['a truncated sequence', [0xe2, 0x9c]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('refuses %s instead of replacing it with U+FFFD', (_label, bytes) => {
    expect(() => decodeUtf8(Buffer.from(bytes))).toThrow(BodyNotUtf8Error);
  });

  it.each([
    ['grant_type=client_credentials', true],
    ['resource=api%3A%2F%2Fwebapi', true],
    ['upn=zo%C3%AB', true],
    ['upn=50%&x=%zz', true],
    ['upn=%FF', false],
    ['upn=%C3', false],
    ['upn=%c0%af', false],
    ['upn=%ED%A0%80', false],
  ])('form %j has UTF-8 escapes: %s', (text, expected) => {
    expect(formEscapesAreUtf8(text)).toBe(expected);
  });
});

describe('readBodyText and readFormText', () => {
  let server: Server;
  let port: number;
  let outcomes: string[] = [];
  let reader: (request: IncomingMessage) => Promise<string> = (req) => readBodyText(req, 64);

  beforeAll(async () => {
    ({ server, port } = await listen((req, respond) => {
      reader(req).then(
        (text) => {
          outcomes.push(`text ${text}`);
          respond(200);
        },
        (error: Error) => {
          outcomes.push(error instanceof FormRefusedError ? `refused ${error.refusal.reason} ${error.statusCode}` : `${error.constructor.name} ${(error as { statusCode?: number }).statusCode}`);
          respond(400);
        },
      );
    }));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    outcomes = [];
    reader = (req) => readBodyText(req, 64);
  });

  it('decodes a character split across two chunks', async () => {
    const bytes = Buffer.from('name=Zoë');
    await post(port, [bytes.subarray(0, bytes.length - 1), bytes.subarray(bytes.length - 1)]);
    expect(outcomes).toEqual(['text name=Zoë']);
  });

  it('refuses invalid UTF-8 with a 400 error', async () => {
    await post(port, [Buffer.from([0x7b, 0xff, 0x7d])]);
    expect(outcomes).toEqual(['BodyNotUtf8Error 400']);
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', Buffer.from('a=1&b=zo%C3%AB'), 'text a=1&b=zo%C3%AB'],
    ['a UTF-8 form', 'application/x-www-form-urlencoded; charset=UTF-8', Buffer.from('a=ë'), 'text a=ë'],
    ['JSON', 'application/json', Buffer.from('{}'), 'refused content_type_not_form 400'],
    ['no content type', '', Buffer.from('a=1'), 'refused content_type_not_form 400'],
    ['a Latin-1 form', 'application/x-www-form-urlencoded; charset=iso-8859-1', Buffer.from('a=\xe9', 'latin1'), 'refused charset_not_utf8 400'],
    ['invalid bytes', 'application/x-www-form-urlencoded', Buffer.from([0x61, 0x3d, 0xe9]), 'refused body_not_utf8 400'],
    ['an invalid escape', 'application/x-www-form-urlencoded', Buffer.from('a=%E9'), 'refused body_not_utf8 400'],
    ['a form over the limit', 'application/x-www-form-urlencoded', Buffer.alloc(65, 'a'), 'refused body_too_large 413'],
  ])('readFormText: %s', async (_label, contentType, body, outcome) => {
    reader = (req) => readFormText(req, 64);
    await post(port, [body], contentType ? { 'content-type': contentType } : {});
    expect(outcomes).toEqual([outcome]);
  });
});

describe('HttpExchangeObserver', () => {
  const request = { method: 'POST', url: '/oauth2/token?x=1', socket: { remoteAddress: '10.0.0.7' } } as unknown as IncomingMessage;

  it('observes the metrics and writes one request completed line at info', () => {
    const metrics: unknown[] = [];
    const lines: unknown[] = [];
    const observer = new HttpExchangeObserver({ observeHttp: (...args) => metrics.push(args) }, { isLevelEnabled: (level) => level === 'info', info: (fields, message) => lines.push({ fields, message }) });
    observer.completed(request, '/oauth2/token', 401, 'req-9', 0.0125);
    expect(metrics).toEqual([['POST', '/oauth2/token', 401, 0.0125]]);
    expect(lines).toEqual([
      { message: 'request completed', fields: { reqId: 'req-9', req: { method: 'POST', url: '/oauth2/token?x=1', remoteAddress: '10.0.0.7' }, res: { statusCode: 401 }, responseTime: 12.5 } },
    ]);
  });

  it('writes no line above info, and still counts', () => {
    const metrics: unknown[] = [];
    const lines: unknown[] = [];
    new HttpExchangeObserver({ observeHttp: (...args) => metrics.push(args) }, { isLevelEnabled: () => false, info: (fields) => lines.push(fields) }).completed(request, 'unmatched', 404, 'r', 0.001);
    expect(lines).toEqual([]);
    expect(metrics).toHaveLength(1);
  });
});

describe('connection limits', () => {
  it('passes the time limits to Node and checks them often enough to enforce them within a second', () => {
    expect(serverOptionsFor({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000, maxConnectionsPerAddress: 256 })).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 72_000,
      connectionsCheckingInterval: 1000,
      handshakeTimeout: 10_000,
    });
    expect(serverOptionsFor({ headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 5000, maxConnectionsPerAddress: 1 }).connectionsCheckingInterval).toBe(250);
    expect(serverOptionsFor({ headersTimeoutMs: 100, requestTimeoutMs: 100, keepAliveTimeoutMs: 100, maxConnectionsPerAddress: 1 }).connectionsCheckingInterval).toBe(50);
  });

  describe('capConnectionsPerAddress', () => {
    let server: Server;
    let port: number;
    const sockets: Socket[] = [];

    const open = (): Promise<{ socket: Socket; closed: Promise<void> }> =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        sockets.push(socket);
        const closed = new Promise<void>((done) => socket.once('close', () => done()));
        socket.once('connect', () => resolve({ socket, closed }));
        socket.once('error', () => {}); // a reset of a refused connection
        socket.once('timeout', () => reject(new Error('no connection')));
      });
    /** Whether the server closes the socket within `ms` (it sends nothing on these connections). */
    const closedWithin = (closed: Promise<void>, ms: number): Promise<boolean> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      return Promise.race([closed.then(() => true), late]).finally(() => clearTimeout(timer));
    };

    beforeAll(async () => {
      server = createServer((_req, res) => res.end());
      capConnectionsPerAddress(server, 2);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('closes a connection over the cap at once, keeps the others, and admits a new one once one closes', async () => {
      const first = await open();
      const second = await open();
      const third = await open();
      expect(await closedWithin(third.closed, 5_000)).toBe(true);
      expect(await closedWithin(first.closed, 200)).toBe(false);
      expect(second.socket.destroyed).toBe(false);

      first.socket.destroy();
      await first.closed;
      // The server hears of the close a moment later: wait for a new connection to be kept.
      let kept = false;
      for (let attempt = 0; attempt < 50 && !kept; attempt++) {
        const next = await open();
        kept = !(await closedWithin(next.closed, 100));
      }
      expect(kept).toBe(true);
    });
  });
});
