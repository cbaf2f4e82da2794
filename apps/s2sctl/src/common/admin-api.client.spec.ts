import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { AdminApiClient, AdminApiError, ServerUnreachableError } from './admin-api.client.js';
import { formatErrorLine } from './cli-errors.js';
import { TlsStubServer, generateSelfSignedCertificate } from '../../test/tls-stub.server.js';

const KEY = 's2sk.test-admin-key';

describe('AdminApiClient against a real HTTPS server', () => {
  let stub: TlsStubServer;
  const client = (options: { ca?: boolean; baseUrl?: string } = {}): AdminApiClient =>
    new AdminApiClient({ baseUrl: options.baseUrl ?? stub.url, adminKey: KEY, ca: options.ca === false ? undefined : stub.certificate.cert });

  beforeAll(async () => {
    stub = await TlsStubServer.start();
  });
  afterAll(() => stub.close());
  beforeEach(() => stub.reset());

  it('fails TLS verification without the CA and suggests --ca-file', async () => {
    stub.on('GET', '/admin/v1/oauth-configuration', { status: 200, body: {} });
    const error = await client({ ca: false })
      .get('/oauth-configuration')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect((error as ServerUnreachableError).causeCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(formatErrorLine(error)).toMatch(
      new RegExp(`^s2sctl: cannot verify the TLS certificate of ${stub.url}: .*DEPTH_ZERO_SELF_SIGNED_CERT.*pass --ca-file <pem>.*\\n$`),
    );
    // The handshake failed, so nothing (and in particular no key) reached the server.
    expect(stub.requests).toHaveLength(0);
  });

  it('still verifies the host name when the CA is trusted', async () => {
    // A server whose (trusted) certificate names another host: the CA alone must not be enough.
    const other = await TlsStubServer.start(generateSelfSignedCertificate('other.example'));
    try {
      const error = await new AdminApiClient({ baseUrl: other.url, adminKey: KEY, ca: other.certificate.cert })
        .get('/oauth-configuration')
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ causeCode: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      expect(formatErrorLine(error)).toMatch(/^s2sctl: cannot verify the TLS certificate of .*use a --server host name that the certificate lists\n$/);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('tells the user to check --ca-file when the given CA did not sign the server certificate', async () => {
    const unrelated = generateSelfSignedCertificate();
    rmSync(unrelated.dir, { recursive: true, force: true });
    const error = await new AdminApiClient({ baseUrl: stub.url, adminKey: KEY, ca: unrelated.cert })
      .get('/oauth-configuration')
      .catch((caught: unknown) => caught);
    expect(formatErrorLine(error)).toMatch(/check that --ca-file holds the CA certificate that issued the server certificate/);
  });

  it('succeeds with the CA and sends the bearer key, Accept and the path under /admin/v1', async () => {
    stub.on('GET', '/admin/v1/oauth-configuration', { status: 200, body: { realm: 'contoso.com' } });
    await expect(client().get('/oauth-configuration')).resolves.toEqual({ realm: 'contoso.com' });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/admin/v1/oauth-configuration');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.headers.accept).toBe('application/json');
    expect(request.headers['content-type']).toBeUndefined();
    expect(request.body).toBe('');
  });

  it('sends JSON bodies and only the query parameters that have values', async () => {
    stub.on('PUT', '/admin/v1/oauth-configuration', { status: 200, body: { ok: true } });
    await client().put('/oauth-configuration', { realm: 'fabrikam.com' }, { force: true, skip: undefined, none: null, n: 5 });
    const [request] = stub.requests;
    expect(request.method).toBe('PUT');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ realm: 'fabrikam.com' });
    expect([...request.query.entries()]).toEqual([
      ['force', 'true'],
      ['n', '5'],
    ]);
  });

  it('resolves undefined for an empty 2xx body', async () => {
    stub.on('DELETE', '/admin/v1/admin-keys/abc', { status: 204 });
    await expect(client().delete('/admin-keys/abc')).resolves.toBeUndefined();
    expect(stub.requests[0].method).toBe('DELETE');
  });

  it('turns a JSON error body into AdminApiError with status, code, message and details', async () => {
    stub.on('PUT', '/admin/v1/oauth-configuration', {
      status: 422,
      body: {
        code: 'validation_failed',
        message: 'request validation failed',
        details: [{ field: 'realm', message: 'must be a lowercase DNS name or GUID' }, { message: 'second problem' }],
        requestId: 'req-1',
      },
    });
    const error = await client()
      .put('/oauth-configuration', { realm: 'BAD' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'request validation failed',
      requestId: 'req-1',
      details: [{ field: 'realm', message: 'must be a lowercase DNS name or GUID' }, { message: 'second problem' }],
    });
    expect(formatErrorLine(error)).toBe(
      's2sctl: request validation failed: realm: must be a lowercase DNS name or GUID; second problem (validation_failed, HTTP 422)\n',
    );
  });

  it('reports a 401 without echoing the key', async () => {
    stub.on('GET', '/admin/v1/admin-keys', { status: 401, body: { code: 'unauthorized', message: 'missing or invalid admin API key' } });
    const error = await client()
      .get('/admin-keys')
      .catch((caught: unknown) => caught);
    const line = formatErrorLine(error);
    expect(line).toBe('s2sctl: missing or invalid admin API key (unauthorized, HTTP 401)\n');
    expect(line).not.toContain(KEY);
  });

  it('reports a non-JSON error page as unexpected_response', async () => {
    stub.on('GET', '/admin/v1/admin-keys', { status: 502, rawBody: '<html>Bad Gateway</html>' });
    const error = await client()
      .get('/admin-keys')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 502, code: 'unexpected_response' });
    expect(formatErrorLine(error)).toBe(`s2sctl: unexpected response from ${stub.url}: 502 Bad Gateway (unexpected_response, HTTP 502)\n`);
  });

  it('rejects a 2xx body that is not JSON', async () => {
    stub.on('GET', '/admin/v1/admin-keys', { status: 200, rawBody: '<html></html>' });
    await expect(client().get('/admin-keys')).rejects.toMatchObject({ code: 'invalid_response', status: 200 });
  });

  it('keeps the base path of a server URL behind a reverse proxy', async () => {
    await client({ baseUrl: `${stub.url}/s2s` })
      .get('/admin-keys')
      .catch(() => undefined);
    expect(stub.requests[0].path).toBe('/s2s/admin/v1/admin-keys');
  });
});

describe('AdminApiClient without a server', () => {
  it('reports a refused connection as "cannot reach <server>: connect ECONNREFUSED ..."', async () => {
    // Reserve a free port, then close it so nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const client = new AdminApiClient({ baseUrl: `https://127.0.0.1:${port}`, adminKey: KEY });
    const error = await client.get('/admin-keys').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect(formatErrorLine(error)).toBe(`s2sctl: cannot reach https://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });

  it('gives up after the timeout when the server never answers', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const client = new AdminApiClient({ baseUrl: `https://127.0.0.1:${port}`, adminKey: KEY, timeoutMs: 300 });
      const error = await client.get('/admin-keys').catch((caught: unknown) => caught);
      expect(formatErrorLine(error)).toBe(`s2sctl: cannot reach https://127.0.0.1:${port}: no response within 0.3s\n`);
    } finally {
      server.close();
    }
  });
});
