import { connect as connectTcp, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as connectTls } from 'node:tls';
import { adminApi, clientWithRole, configureTokenIssuer, httpRequest, removeDir, startServerProcess, type AdminApi, type HttpResponse, type ServerProcess } from '@s2s/testing';

/**
 * Issue "Nothing a client sends makes the server answer 500 or hold a connection forever", end to
 * end against the real server over HTTPS with short limits set through the environment: a client
 * that drips its body or its headers is answered 408 (or closed) once the limit has passed, a TLS
 * client that never finishes its handshake and an idle keep-alive connection are closed, while
 * other clients are served normally; and the per-address connection cap.
 *
 * The CI machine is a loaded 2-core box: every wait is for a condition, and every time bound is
 * "after the limit, and within the limit plus several seconds".
 */
const HEADERS_LIMIT_MS = 1000;
const REQUEST_LIMIT_MS = 2000;
const KEEP_ALIVE_LIMIT_MS = 1000;
/** How long after a limit the server may take to act on it on a loaded machine (Node checks 4 times per limit). */
const MARGIN_MS = 6000;

/** What the server did with a raw connection: what it sent, and when the connection closed. */
interface Watched {
  socket: Socket;
  received(): string;
  /** Resolves with `performance.now()` at the close (rejects after `waitMs`). */
  closed(waitMs: number): Promise<number>;
}

function watch(socket: Socket): Watched {
  let received = '';
  let closedAt: number | null = null;
  const waiters: ((at: number) => void)[] = [];
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => {}); // a reset is one way of being closed
  socket.once('close', () => {
    closedAt = performance.now();
    for (const waiter of waiters) waiter(closedAt);
  });
  return {
    socket,
    received: () => received,
    closed: (waitMs) =>
      new Promise((resolve, reject) => {
        if (closedAt !== null) return resolve(closedAt);
        const timer = setTimeout(() => reject(new Error(`the connection was still open after ${waitMs} ms; received ${JSON.stringify(received)}`)), waitMs);
        waiters.push((at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }),
  };
}

function openTls(url: string, ca: Buffer): Promise<Watched> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: hostname, port: Number(port), ca }, () => resolve(watch(socket)));
    socket.once('error', reject);
  });
}

/** 408 written by the server, or nothing at all (closed): both are acceptable answers to a client that runs out of time. */
const TIMED_OUT = /^(HTTP\/1\.1 408 [^\r]*\r\n[\s\S]*)?$/;

const every = (ms: number, action: () => void): NodeJS.Timeout => setInterval(action, ms);

describe('time limits (headers 1 s, request 2 s, keep-alive 1 s)', () => {
  let server: ServerProcess;
  let ca: Buffer;
  let basic: string;

  const token = (): Promise<HttpResponse> =>
    httpRequest(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: 'grant_type=client_credentials&resource=api%3A%2F%2Fwebapi',
      ca,
    });
  /** A normal client, served while another one drips. */
  const expectServedNormally = async (): Promise<void> => {
    const response = await token();
    expect({ status: response.status, token: typeof response.json().access_token }).toEqual({ status: 200, token: 'string' });
  };

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_LIMIT_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_LIMIT_MS),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_LIMIT_MS),
      },
    });
    ca = (await server.tlsCertificate())!;
    const admin: AdminApi = adminApi(server, ca, await server.bootstrapKey());
    await configureTokenIssuer(admin);
    await admin('POST', '/resources', { appIdUri: 'api://webapi', roles: [{ value: 'Files.Read.All' }] });
    const client = await clientWithRole(admin, 'daemon', 'api://webapi', 'Files.Read.All');
    basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
    await expectServedNormally();
  });

  afterAll(async () => {
    await server?.stop();
    if (server) {
      // Nothing a client sent made the server fail.
      expect(server.output()).not.toMatch(/unhandled error|"statusCode":5\d\d/);
      await removeDir(server.dataDir);
    }
  });

  it('answers 408 (or closes) a token request whose body drips, once the request limit has passed, while another client gets its token', async () => {
    const dripping = await openTls(server.url, ca);
    const started = performance.now();
    dripping.socket.write(
      `POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\ngrant_type=`,
    );
    const drip = every(300, () => dripping.socket.writable && dripping.socket.write('a'));
    try {
      await expectServedNormally();
      const closedAt = await dripping.closed(REQUEST_LIMIT_MS + MARGIN_MS + 2000);
      expect(closedAt - started).toBeGreaterThanOrEqual(REQUEST_LIMIT_MS);
      expect(closedAt - started).toBeLessThan(REQUEST_LIMIT_MS + MARGIN_MS);
      expect(dripping.received()).toMatch(TIMED_OUT);
    } finally {
      clearInterval(drip);
      dripping.socket.destroy();
    }
    await expectServedNormally();
  });

  it('answers 408 (or closes) a request whose headers drip, once the headers limit has passed, while another client gets its token', async () => {
    const dripping = await openTls(server.url, ca);
    const started = performance.now();
    dripping.socket.write('POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let header = 0;
    const drip = every(200, () => dripping.socket.writable && dripping.socket.write(`X-Drip-${header++}: a\r\n`));
    try {
      await expectServedNormally();
      const closedAt = await dripping.closed(HEADERS_LIMIT_MS + MARGIN_MS + 2000);
      expect(closedAt - started).toBeGreaterThanOrEqual(HEADERS_LIMIT_MS);
      expect(closedAt - started).toBeLessThan(HEADERS_LIMIT_MS + MARGIN_MS);
      expect(dripping.received()).toMatch(TIMED_OUT);
    } finally {
      clearInterval(drip);
      dripping.socket.destroy();
    }
    await expectServedNormally();
  });

  it('closes a connection that never finishes its TLS handshake once the headers limit has passed', async () => {
    const { hostname, port } = new URL(server.url);
    const silent = watch(connectTcp(Number(port), hostname));
    const started = performance.now();
    await expectServedNormally();
    const closedAt = await silent.closed(HEADERS_LIMIT_MS + MARGIN_MS + 2000);
    expect(closedAt - started).toBeGreaterThanOrEqual(HEADERS_LIMIT_MS);
    expect(closedAt - started).toBeLessThan(HEADERS_LIMIT_MS + MARGIN_MS);
  });

  it('closes an idle keep-alive connection once the keep-alive limit has passed', async () => {
    const idle = await openTls(server.url, ca);
    idle.socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    // Wait for the whole answer (a JSON body ending in "}"), then stay silent.
    const deadline = performance.now() + 20_000;
    while (!/\r\n\r\n[\s\S]*\}$/.test(idle.received()) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const answeredAt = performance.now();
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(idle.received()).toMatch(/\r\nconnection: keep-alive\r\n/i);
    const closedAt = await idle.closed(KEEP_ALIVE_LIMIT_MS + MARGIN_MS + 2000);
    expect(closedAt - answeredAt).toBeGreaterThanOrEqual(KEEP_ALIVE_LIMIT_MS / 2); // not at once (the answer was seen a little after it was sent)
    expect(closedAt - answeredAt).toBeLessThan(KEEP_ALIVE_LIMIT_MS + MARGIN_MS);
  });
});

describe('per-address connection cap (MAX_CONNECTIONS_PER_ADDRESS=4)', () => {
  let server: ServerProcess;
  let ca: Buffer;
  const open: Watched[] = [];

  beforeAll(async () => {
    server = await startServerProcess({ env: { MAX_CONNECTIONS_PER_ADDRESS: '4' } });
    ca = (await server.tlsCertificate())!;
  });

  afterAll(async () => {
    for (const connection of open) connection.socket.destroy();
    await server?.stop();
    if (server) await removeDir(server.dataDir);
  });

  /** Opens a TCP connection and says whether the server closed it within `ms` (it sends nothing first). */
  const tcpClosedWithin = async (ms: number): Promise<{ connection: Watched; closed: boolean }> => {
    const { hostname, port } = new URL(server.url);
    const connection = watch(connectTcp(Number(port), hostname));
    open.push(connection);
    const closed = await connection.closed(ms).then(
      () => true,
      () => false,
    );
    return { connection, closed };
  };

  it('closes a further connection from the same address at once, and admits one again when one of the four closes', async () => {
    const held: Watched[] = [];
    for (let i = 0; i < 4; i++) held.push(await openTls(server.url, ca));
    open.push(...held);
    const refused = await tcpClosedWithin(5_000);
    expect(refused.closed).toBe(true);
    expect(refused.connection.received()).toBe('');
    await expect(httpRequest(`${server.url}/health/live`, { ca })).rejects.toThrow(/socket hang up|ECONNRESET|disconnected|EPIPE/);
    for (const connection of held) expect(connection.socket.destroyed).toBe(false);

    held[0]!.socket.destroy();
    // The server hears of the close a moment later: wait until a request is served again.
    let served: HttpResponse | null = null;
    const deadline = performance.now() + 20_000;
    while (served === null && performance.now() < deadline) {
      served = await httpRequest(`${server.url}/health/live`, { ca }).catch(() => null);
      if (served === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(served?.status).toBe(200);
  });
});
