import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { OpenSslToolkit } from '@s2s/testing';
import {
  addressRefused,
  downloadMetadataDocument,
  fetchMetadataJson,
  guardedGet,
  MetadataFetchError,
  type MetadataFetchFailure,
  type MetadataFetchPolicy,
  resolveMetadataHost,
  tlsHandshake,
} from './metadata.fetcher.js';

/**
 * The metadata downloader against real local servers (security catalogue E04-E07, SPEC 5.5/5.9):
 * an http server and an https server whose certificate comes from an openssl test CA.
 */

const DOCUMENT = { issuer: '00000002-0000-0ff1-ce00-000000000000@contoso.com', keys: [] };
const SMALL_CAP = 1024;

type Route = (request: IncomingMessage, response: ServerResponse) => void;

function json(body: unknown): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
}

function redirect(location: () => string, status = 302): Route {
  return (_request, response) => {
    response.writeHead(status, { location: location() });
    response.end();
  };
}

function routes(table: Record<string, Route>, hits: string[]): Route {
  return (request, response) => {
    hits.push(request.url ?? '');
    const route = table[request.url ?? ''];
    if (route) return route(request, response);
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function failure(promise: Promise<unknown>): Promise<MetadataFetchError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MetadataFetchError);
  return error as MetadataFetchError;
}

async function expectFailure(promise: Promise<unknown>, reason: MetadataFetchFailure, message?: RegExp): Promise<void> {
  const error = await failure(promise);
  expect({ reason: error.reason, message: error.message }).toEqual({ reason, message: message ? expect.stringMatching(message) : expect.any(String) });
}

describe('fetchMetadataJson', () => {
  const openssl = new OpenSslToolkit();
  const hits: string[] = [];
  let httpServer: Server;
  let httpsServer: Server;
  let httpPort: number;
  let httpsPort: number;
  let caPem: string;
  let otherCaPem: string;

  const http = (path: string, host = '127.0.0.1'): string => `http://${host}:${httpPort}${path}`;
  const https = (path: string, host = '127.0.0.1'): string => `https://${host}:${httpsPort}${path}`;
  /** Lab policy for the plain-http server on loopback (allow-listed by IP literal). */
  const lab = (extra: Partial<MetadataFetchPolicy> = {}): MetadataFetchPolicy => ({ allowHttp: true, caBundle: null, hostAllowList: ['127.0.0.1'], ...extra });
  /** Production-like policy for the https server: TLS verified against the test CA. */
  const tls = (extra: Partial<MetadataFetchPolicy> = {}): MetadataFetchPolicy => ({ allowHttp: false, caBundle: caPem, hostAllowList: ['127.0.0.1'], ...extra });

  const table: Record<string, Route> = {
    '/metadata/json/1': json(DOCUMENT),
    '/same-origin-redirect': redirect(() => '/metadata/json/1'),
    '/same-origin-absolute-redirect': redirect(() => http('/metadata/json/1'), 301),
    '/redirect-other-port': redirect(() => `http://127.0.0.1:${httpsPort}/metadata/json/1`),
    '/redirect-other-host': redirect(() => http('/metadata/json/1', 'localhost')),
    '/redirect-metadata-ip': redirect(() => 'http://169.254.169.254/latest/meta-data/'),
    '/redirect-loop': redirect(() => '/redirect-loop'),
    '/redirect-without-location': (_request, response) => {
      response.writeHead(302);
      response.end();
    },
    '/declared-too-large': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 ** 10) });
      response.write('{');
    },
    '/declared-over-small-cap': (_request, response) => {
      const body = JSON.stringify({ padding: 'x'.repeat(SMALL_CAP) });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      response.end(body);
    },
    '/streamed-too-large': (_request, response) => {
      // Chunked: no Content-Length, the cap must hold on the bytes actually received.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"padding":"');
      const timer = setInterval(() => response.write('x'.repeat(512)), 5);
      response.on('close', () => clearInterval(timer));
    },
    '/trickle': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{');
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => clearInterval(timer));
    },
    '/html': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Service Unavailable</body></html>');
    },
    '/duplicate-keys': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"issuer":"00000002-0000-0ff1-ce00-000000000000@contoso.com","issuer":"00000002-0000-0ff1-ce00-000000000000@evil.example","keys":[]}');
    },
    '/proto': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"__proto__":{"polluted":true},"keys":[]}');
    },
    '/server-error': (_request, response) => {
      response.writeHead(500);
      response.end('{}');
    },
  };
  const httpsTable: Record<string, Route> = {
    '/metadata/json/1': json(DOCUMENT),
    '/same-origin-redirect': redirect(() => '/metadata/json/1'),
    '/redirect-to-http': redirect(() => http('/metadata/json/1')),
    '/redirect-to-http-same-host-and-port': redirect(() => `http://127.0.0.1:${httpsPort}/metadata/json/1`),
  };

  beforeAll(async () => {
    const ca = openssl.certificateAuthority('fetcher test CA');
    caPem = ca.certificatePem;
    otherCaPem = openssl.certificateAuthority('some other CA').certificatePem;
    const keyFile = openssl.path('server.key');
    openssl.run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile]);
    const csr = openssl.run(['req', '-new', '-key', keyFile, '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
    const leaf = openssl.signCsr(ca, csr);
    httpServer = createHttpServer(routes(table, hits));
    httpsServer = createHttpsServer({ key: openssl.read('server.key'), cert: leaf.certificatePem }, routes(httpsTable, hits));
    httpPort = await listen(httpServer);
    httpsPort = await listen(httpsServer);
  });

  afterAll(async () => {
    for (const server of [httpServer, httpsServer]) {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    openssl.dispose();
  });

  describe('the URL', () => {
    it('fetches and strictly parses a JSON document over https, verified with the CA bundle', async () => {
      await expect(fetchMetadataJson(https('/metadata/json/1'), tls())).resolves.toEqual(DOCUMENT);
    });

    it('fetches over http only with allowHttp (the lab flag)', async () => {
      await expectFailure(fetchMetadataJson(http('/metadata/json/1'), lab({ allowHttp: false })), 'url_refused', /must use https/);
      await expect(fetchMetadataJson(http('/metadata/json/1'), lab())).resolves.toEqual(DOCUMENT);
    });

    it.each([
      ['an ftp URL', 'ftp://127.0.0.1/metadata'],
      ['a file URL', 'file:///etc/passwd'],
      ['a javascript URL', 'javascript:alert(1)'],
      ['text that is not a URL', 'not a url'],
      ['a relative path', '/metadata/json/1'],
    ])('refuses %s even with allowHttp', async (_name, url) => {
      await expectFailure(fetchMetadataJson(url, lab()), 'url_refused');
    });

    it('refuses credentials in the URL', async () => {
      const before = hits.length;
      await expectFailure(fetchMetadataJson(`http://admin:secret@127.0.0.1:${httpPort}/metadata/json/1`, lab()), 'url_refused', /must not contain credentials/);
      await expectFailure(fetchMetadataJson(`https://token@127.0.0.1:${httpsPort}/metadata/json/1`, tls()), 'url_refused', /must not contain credentials/);
      expect(hits.length).toBe(before);
    });

    it('refuses a host that is not on the allow-list, before any connection', async () => {
      const before = hits.length;
      await expectFailure(fetchMetadataJson(http('/metadata/json/1', 'localhost'), lab()), 'url_refused', /localhost is not on the metadata host allow-list/);
      await expectFailure(fetchMetadataJson('https://169.254.169.254/latest/meta-data/', tls({ hostAllowList: ['mail.contoso.com'] })), 'url_refused');
      await expectFailure(fetchMetadataJson(https('/metadata/json/1'), tls({ hostAllowList: [] })), 'url_refused');
      expect(hits.length).toBe(before);
    });
  });

  describe('the connected address (SSRF, DNS rebinding)', () => {
    it('refuses a name on the allow-list that resolves to loopback when only the name is allowed', async () => {
      const before = hits.length;
      // `localhost` resolves to 127.0.0.1: allow-listing the name does not allow the loopback address.
      await expectFailure(fetchMetadataJson(http('/metadata/json/1', 'localhost'), lab({ hostAllowList: ['localhost'] })), 'address_refused', /localhost resolves only to refused addresses/);
      await expectFailure(fetchMetadataJson(https('/metadata/json/1', 'localhost'), tls({ hostAllowList: ['localhost'] })), 'address_refused');
      expect(hits.length).toBe(before);
    });

    it('connects to loopback when the IP literal is on the allow-list too', async () => {
      await expect(fetchMetadataJson(http('/metadata/json/1', 'localhost'), lab({ hostAllowList: ['localhost', '127.0.0.1'] }))).resolves.toEqual(DOCUMENT);
      await expect(fetchMetadataJson(https('/metadata/json/1', 'localhost'), tls({ hostAllowList: ['LOCALHOST', '127.0.0.1'] }))).resolves.toEqual(DOCUMENT);
    });

    it.each<[string, string[], boolean]>([
      ['169.254.169.254', [], true],
      ['169.254.169.254', ['169.254.169.254'], false],
      ['127.0.0.1', [], true],
      ['127.8.9.10', [], true],
      ['127.0.0.1', ['127.0.0.1'], false],
      ['127.0.0.1', ['localhost'], true],
      ['::1', [], true],
      ['::1', ['[::1]'], false],
      ['::', [], true],
      ['::ffff:127.0.0.1', [], true],
      ['::FFFF:127.0.0.1', [], true],
      ['::ffff:127.0.0.1', ['127.0.0.1'], false],
      ['::ffff:7f00:1', [], true],
      ['::ffff:169.254.169.254', [], true],
      ['0.0.0.0', [], true],
      ['0.1.2.3', [], true],
      ['fe80::1', [], true],
      ['224.0.0.1', [], true],
      ['255.255.255.255', [], true],
      ['10.0.0.1', [], false],
      ['192.168.1.20', [], false],
      ['172.16.0.5', [], false],
      ['8.8.8.8', [], false],
      ['2001:4860:4860::8888', [], false],
    ])('addressRefused(%s, %j) is %s', (address, allowList, refused) => {
      expect(addressRefused(address, allowList)).toBe(refused);
    });
  });

  describe('redirects', () => {
    it('follows a same-origin redirect (relative and absolute)', async () => {
      await expect(fetchMetadataJson(http('/same-origin-redirect'), lab())).resolves.toEqual(DOCUMENT);
      await expect(fetchMetadataJson(http('/same-origin-absolute-redirect'), lab())).resolves.toEqual(DOCUMENT);
      await expect(fetchMetadataJson(https('/same-origin-redirect'), tls())).resolves.toEqual(DOCUMENT);
    });

    it.each([
      ['another port', '/redirect-other-port'],
      ['another host', '/redirect-other-host'],
      ['the cloud metadata address', '/redirect-metadata-ip'],
    ])('refuses a redirect to %s', async (_name, path) => {
      await expectFailure(fetchMetadataJson(http(path), lab({ hostAllowList: ['127.0.0.1', 'localhost', '169.254.169.254'] })), 'redirect_refused', /another origin/);
    });

    it('refuses a redirect from https to http, and makes no request to the http target', async () => {
      const before = hits.filter((hit) => hit === '/metadata/json/1').length;
      await expectFailure(fetchMetadataJson(https('/redirect-to-http'), tls({ allowHttp: true })), 'redirect_refused');
      await expectFailure(fetchMetadataJson(https('/redirect-to-http-same-host-and-port'), tls({ allowHttp: true })), 'redirect_refused');
      expect(hits.filter((hit) => hit === '/metadata/json/1').length).toBe(before);
    });

    it('refuses a redirect loop and a redirect without Location', async () => {
      await expectFailure(fetchMetadataJson(http('/redirect-loop'), lab()), 'redirect_refused');
      await expectFailure(fetchMetadataJson(http('/redirect-without-location'), lab()), 'redirect_refused');
    });
  });

  describe('size, time and content', () => {
    it('refuses a declared Content-Length over the cap (default cap, 10^10 bytes declared)', async () => {
      await expectFailure(fetchMetadataJson(http('/declared-too-large'), lab()), 'too_large');
    });

    it('refuses a declared Content-Length over a small cap', async () => {
      await expectFailure(fetchMetadataJson(http('/declared-over-small-cap'), lab({ maxBytes: SMALL_CAP })), 'too_large', new RegExp(`larger than ${SMALL_CAP} bytes`));
    });

    it('refuses a streamed (chunked) body that grows over the cap', async () => {
      await expectFailure(fetchMetadataJson(http('/streamed-too-large'), lab({ maxBytes: SMALL_CAP })), 'too_large');
    });

    it('gives up on a server that trickles bytes and never finishes', async () => {
      const started = Date.now();
      await expectFailure(fetchMetadataJson(http('/trickle'), lab({ timeoutMs: 300 })), 'timeout', /within 300 ms/);
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it.each([
      ['an HTML page', '/html'],
      ['JSON with a duplicate key', '/duplicate-keys'],
      ['JSON with a __proto__ key', '/proto'],
    ])('refuses %s as not_json', async (_name, path) => {
      await expectFailure(fetchMetadataJson(http(path), lab()), 'not_json');
    });

    it.each([
      ['404', '/missing', /HTTP 404/],
      ['500', '/server-error', /HTTP 500/],
    ])('refuses HTTP %s', async (_status, path, message) => {
      await expectFailure(fetchMetadataJson(http(path), lab()), 'http_status', message);
    });
  });

  describe('TLS', () => {
    it('refuses a certificate the system store does not trust when no CA bundle is given', async () => {
      await expectFailure(fetchMetadataJson(https('/metadata/json/1'), tls({ caBundle: null })), 'network');
    });

    it('refuses a certificate from a CA other than the bundle', async () => {
      await expectFailure(fetchMetadataJson(https('/metadata/json/1'), tls({ caBundle: otherCaPem })), 'network');
    });

    it('accepts the certificate when reached by a name in its SAN (localhost)', async () => {
      await expect(fetchMetadataJson(https('/metadata/json/1', 'localhost'), tls({ hostAllowList: ['localhost', '127.0.0.1'] }))).resolves.toEqual(DOCUMENT);
    });

    it('refuses plain http spoken to the https port', async () => {
      await expectFailure(fetchMetadataJson(`http://127.0.0.1:${httpsPort}/metadata/json/1`, lab()), 'network');
    });
  });

  describe('the connectivity test\'s steps: resolve, handshake, download with its Date, a guarded GET', () => {
    it('resolves a host under the allow-list and address rules', async () => {
      expect(await resolveMetadataHost(https('/metadata/json/1', 'localhost'), tls({ hostAllowList: ['localhost', '127.0.0.1'] }))).toContain('127.0.0.1');
      expect(await resolveMetadataHost(https('/metadata/json/1'), tls())).toEqual(['127.0.0.1']);
      await expectFailure(resolveMetadataHost(https('/metadata/json/1', 'localhost'), tls({ hostAllowList: ['localhost'] })), 'address_refused');
      const unknown = await failure(resolveMetadataHost('https://no-such-host.invalid/metadata/json/1', tls({ hostAllowList: ['no-such-host.invalid'] })));
      expect({ reason: unknown.reason, systemCode: unknown.systemCode }).toEqual({ reason: 'network', systemCode: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) });
    });

    it('completes a verified handshake and reports the protocol and the certificate\'s end', async () => {
      const handshake = await tlsHandshake(https('/metadata/json/1'), '127.0.0.1', tls());
      expect(handshake).toEqual({ protocol: expect.stringMatching(/^TLSv1\.[23]$/), certificateNotAfter: expect.any(Date) });
      expect(handshake!.certificateNotAfter!.getTime()).toBeGreaterThan(Date.now());
      expect(await tlsHandshake(http('/metadata/json/1'), '127.0.0.1', lab())).toBeNull();
    });

    it('names the TLS failure by its code: untrusted issuer, a name the certificate lacks, nobody listening', async () => {
      const untrusted = await failure(tlsHandshake(https('/metadata/json/1'), '127.0.0.1', tls({ caBundle: null })));
      expect(untrusted.systemCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      const otherName = await failure(tlsHandshake(`https://127.0.0.2:${httpsPort}/metadata/json/1`, '127.0.0.1', tls({ hostAllowList: ['127.0.0.2'] })));
      expect(otherName.systemCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      const closed = await failure(tlsHandshake('https://127.0.0.1:1/metadata/json/1', '127.0.0.1', tls()));
      expect(closed.systemCode).toBe('ECONNREFUSED');
      const download = await failure(downloadMetadataDocument('https://127.0.0.1:1/metadata/json/1', tls()));
      expect({ reason: download.reason, systemCode: download.systemCode }).toEqual({ reason: 'network', systemCode: 'ECONNREFUSED' });
    });

    it('downloads a document with the server\'s Date header', async () => {
      const downloaded = await downloadMetadataDocument(https('/metadata/json/1'), tls());
      expect(downloaded.document).toEqual(DOCUMENT);
      expect(Math.abs(Date.parse(downloaded.date!) - Date.now())).toBeLessThan(5_000);
    });

    it('a guarded GET sends the given headers, follows no redirect and answers status, headers and body', async () => {
      const before = hits.length;
      const answer = await guardedGet(http('/same-origin-redirect'), lab(), { authorization: 'Bearer x' });
      expect(answer.status).toBe(302);
      expect(answer.headers.location).toBe('/metadata/json/1');
      expect(hits.slice(before)).toEqual(['/same-origin-redirect']);
      expect((await guardedGet(http('/nowhere'), lab(), {})).body.toString()).toBe('not found');
      // The same address rules as a download: a name allowed only by name that resolves to loopback is refused.
      await expectFailure(guardedGet(http('/metadata/json/1', 'localhost'), lab({ hostAllowList: ['localhost'] }), {}), 'address_refused');
      await expectFailure(guardedGet('http://mail.contoso.com/s2s/whoami', lab(), {}), 'url_refused');
    });
  });
});
