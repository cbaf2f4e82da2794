import { formatErrorLine } from '../common/cli-errors.js';
import { TlsStubServer } from '../../test/tls-stub.server.js';
import { OAuthTokenClient, OAuthTokenError } from './oauth-token.client.js';

describe('OAuthTokenClient against a real HTTPS server', () => {
  let stub: TlsStubServer;
  const client = (baseUrl = stub.url): OAuthTokenClient => new OAuthTokenClient({ baseUrl, ca: stub.certificate.cert });
  const failure = (promise: Promise<unknown>): Promise<string> => promise.then(
    () => 'resolved',
    (error: unknown) => formatErrorLine(error),
  );

  beforeAll(async () => {
    stub = await TlsStubServer.start();
  });
  afterAll(() => stub.close());
  beforeEach(() => stub.reset());

  it('posts the form with its content type and the given Authorization header, and returns the token response', async () => {
    stub.on('POST', '/oauth2/token', { status: 200, body: { access_token: 'at', token_type: 'Bearer', expires_in: 60, extra: true } });
    const form = new URLSearchParams({ grant_type: 'client_credentials', resource: 'api://webapi' });
    await expect(client().requestToken(form, 'Basic eDp5')).resolves.toEqual({ access_token: 'at', token_type: 'Bearer', expires_in: 60, extra: true });
    const [request] = stub.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/oauth2/token', body: 'grant_type=client_credentials&resource=api%3A%2F%2Fwebapi' });
    expect(request.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic eDp5', accept: 'application/json' });
  });

  it('sends no Authorization header unless given one', async () => {
    stub.on('POST', '/oauth2/token', { status: 200, body: { access_token: 'at' } });
    await client().requestToken(new URLSearchParams({ grant_type: 'client_credentials' }));
    expect(stub.requests[0].headers.authorization).toBeUndefined();
  });

  it('turns an RFC 6749 error into OAuthTokenError, with or without a description', async () => {
    stub.on('POST', '/oauth2/token', { status: 400, body: { error: 'invalid_scope', error_description: 'no such\nscope' } });
    const error = await client()
      .requestToken(new URLSearchParams())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthTokenError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_scope', description: 'no such\nscope' });
    expect(formatErrorLine(error)).toBe('s2sctl: invalid_scope: no such scope (HTTP 400)\n');
    stub.on('POST', '/oauth2/token', { status: 429, body: { error: 'slow_down' } });
    await expect(failure(client().requestToken(new URLSearchParams()))).resolves.toBe('s2sctl: slow_down (HTTP 429)\n');
  });

  it.each([
    [{ status: 200, body: { token_type: 'Bearer' } }, 'the token endpoint URL answered 200 OK without an access_token'],
    [{ status: 200, rawBody: '<html></html>' }, 'the token endpoint URL answered 200 OK without an access_token'],
    [{ status: 502, rawBody: '<html>Bad Gateway</html>' }, 'unexpected response from URL: 502 Bad Gateway'],
    [{ status: 500, body: { code: 'internal', message: 'admin-style error' } }, 'unexpected response from URL: 500 Internal Server Error'],
  ])('reports %j as one line', async (response, message) => {
    stub.on('POST', '/oauth2/token', response);
    await expect(failure(client().requestToken(new URLSearchParams()))).resolves.toBe(`s2sctl: ${message.replace('URL', `${stub.url}/oauth2/token`)}\n`);
  });

  it('discover reads the issuer from the RFC 8414 metadata and insists on one', async () => {
    stub.on('GET', '/.well-known/oauth-authorization-server', { status: 200, body: { issuer: 'https://s2s.contoso.com', token_endpoint: 'x' } });
    await expect(client().discover()).resolves.toEqual({ issuer: 'https://s2s.contoso.com', token_endpoint: 'x' });
    expect(stub.requests[0].headers.authorization).toBeUndefined();
    const where = `${stub.url}/.well-known/oauth-authorization-server`;
    stub.on('GET', '/.well-known/oauth-authorization-server', { status: 200, body: { issuer: 42 } });
    await expect(failure(client().discover())).resolves.toBe(`s2sctl: the authorization server metadata at ${where} has no issuer\n`);
    stub.on('GET', '/.well-known/oauth-authorization-server', { status: 503, body: { error: 'x' } });
    await expect(failure(client().discover())).resolves.toBe(`s2sctl: cannot read the authorization server metadata at ${where}: 503 Service Unavailable\n`);
  });

  it('keeps the base path of a server URL behind a reverse proxy', async () => {
    stub.on('POST', '/s2s/oauth2/token', { status: 200, body: { access_token: 'at' } });
    await client(`${stub.url}/s2s`).requestToken(new URLSearchParams());
    expect(stub.requests[0].path).toBe('/s2s/oauth2/token');
  });

  it('verifies TLS like the admin client: without the CA nothing is sent', async () => {
    const error = await new OAuthTokenClient({ baseUrl: stub.url })
      .requestToken(new URLSearchParams({ client_assertion: 'secret-assertion' }))
      .catch((caught: unknown) => caught);
    expect(formatErrorLine(error)).toMatch(/^s2sctl: cannot verify the TLS certificate of .*DEPTH_ZERO_SELF_SIGNED_CERT.*--ca-file/);
    expect(stub.requests).toHaveLength(0);
  });
});
