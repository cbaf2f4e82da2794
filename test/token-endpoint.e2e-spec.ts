import { createHash, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  adminApi,
  clientWithRole,
  configureTokenIssuer,
  createTestDatabase,
  httpRequest,
  OpenSslToolkit,
  removeDir,
  startServerProcess,
  testDatabaseKinds,
  type AdminApi,
  type CreatedClient,
  type HttpResponse,
  type ServerProcess,
  type TestDatabase,
} from '@s2s/testing';

const ISSUER = 'https://s2s.contoso.com';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The token endpoint end to end over HTTPS: client_credentials with a secret and with a
 * certificate made by openssl (private_key_jwt), tokens checked with a second JWT implementation
 * (jsonwebtoken) against the certificate published in our JWKS; every RFC 6749 error with its exact
 * status and body; single-use assertions; act-as users; on-behalf-of with the actor chain; back-off.
 */
describe.each(testDatabaseKinds())('token endpoint on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  let database: TestDatabase;
  let server: ServerProcess;
  let ca: Buffer;
  let admin: AdminApi;
  let signingCertificatePem: string;
  let daemon: CreatedClient;
  let certified: { clientId: string; keyPem: string; x5t: string };
  let actAs: CreatedClient;
  let middleTier: CreatedClient;
  const secretsSeen: string[] = [];

  const token = (form: Record<string, string | string[]>, headers: Record<string, string> = {}, method = 'POST', contentType = 'application/x-www-form-urlencoded'): Promise<HttpResponse> => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const one of [value].flat()) body.append(name, one);
    return httpRequest(`${server.url}/oauth2/token`, { method, headers: { 'content-type': contentType, ...headers }, body: method === 'GET' ? undefined : body.toString(), ca });
  };
  const basic = (clientId: string, secret: string): Record<string, string> => ({
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
  });
  const assertion = (clientId: string, keyPem: string, x5t: string, claims: Record<string, unknown> = {}): string =>
    jwt.sign({ jti: randomUUID(), ...claims }, keyPem, { algorithm: 'RS256', issuer: clientId, subject: clientId, audience: ISSUER, expiresIn: 120, header: { alg: 'RS256', typ: 'JWT', x5t } });
  const verified = (accessToken: string, audience: string): jwt.JwtPayload => jwt.verify(accessToken, signingCertificatePem, { algorithms: ['RS256'], audience, issuer: ISSUER }) as jwt.JwtPayload;
  const expectOAuthError = (response: HttpResponse, status: number, error: string, description: string): void => {
    expect({ status: response.status, body: response.json(), cacheControl: response.headers['cache-control'] }).toEqual({
      status,
      body: { error, error_description: description },
      cacheControl: 'no-store',
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServerProcess({ env: { PUBLIC_URL: ISSUER, AUTH_BACKOFF_ADDRESS_FAILURES: '1000', ...(database.url ? { DATABASE_URL: database.url } : {}) } });
    ca = (await server.tlsCertificate())!;
    admin = adminApi(server, ca, await server.bootstrapKey());

    await configureTokenIssuer(admin);
    // The verification key comes from what we publish, not from the admin API.
    const jwks = (await httpRequest(`${server.url}/.well-known/jwks.json`, { ca })).json();
    signingCertificatePem = `-----BEGIN CERTIFICATE-----\n${jwks.keys[0].x5c[0].match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;

    await admin('POST', '/resources', {
      appIdUri: 'api://webapi',
      roles: [{ value: 'Files.Read.All' }, { value: 'Admin' }, { value: 'Users.Only', allowedMemberTypes: ['User'] }],
      scopes: [{ value: 'user_impersonation' }],
    });
    await admin('POST', '/resources', { appIdUri: 'api://downstream', scopes: [{ value: 'Files.Read' }, { value: 'Files.Write' }] });

    daemon = await clientWithRole(admin, 'daemon', 'api://webapi', 'Files.Read.All');

    const made = openssl.selfSigned({ cn: 'certified-client', days: 30 });
    const created = await admin('POST', '/clients', { displayName: 'certified', withSecret: false });
    await admin('POST', `/clients/${created.clientId}/certificates`, { certificate: made.certificatePem });
    await admin('POST', `/clients/${created.clientId}/role-grants`, { resource: 'api://webapi', role: 'Admin' });
    certified = { clientId: created.clientId, keyPem: made.privateKeyPem, x5t: openssl.x5t(made.certFile) };

    actAs = await admin('POST', '/clients', { displayName: 'conferencing', actAsUsers: true });
    await admin('POST', `/clients/${actAs.clientId}/scope-grants`, { resource: 'api://webapi', scope: 'user_impersonation' });

    middleTier = await admin('POST', '/clients', { displayName: 'webapi', grantTypes: ['client_credentials', JWT_BEARER] });
    await admin('PATCH', `/resources/${encodeURIComponent('api://webapi')}`, { clientId: middleTier.clientId });
    await admin('POST', `/clients/${middleTier.clientId}/scope-grants`, { resource: 'api://downstream', scope: 'Files.Read' });
    secretsSeen.push(daemon.clientSecret, actAs.clientSecret, middleTier.clientSecret);
  });

  afterAll(async () => {
    await server?.stop();
    if (server) {
      const output = server.output();
      for (const secret of secretsSeen) expect(output).not.toContain(secret);
      expect(output).not.toContain(['PRIVATE', 'KEY'].join(' '));
      await removeDir(server.dataDir);
    }
    await database?.drop();
    openssl.dispose();
  });

  it('issues an RFC 9068 token carrying the granted role to a client with a secret (client_secret_basic)', async () => {
    const response = await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(daemon.clientId, daemon.clientSecret));
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    const header = JSON.parse(Buffer.from(body.access_token.split('.')[0], 'base64url').toString());
    const x5t = createHash('sha1').update(Buffer.from(readFirstX5c(signingCertificatePem), 'base64')).digest('base64url');
    expect(header).toEqual({ typ: 'at+jwt', alg: 'RS256', kid: x5t, x5t, 'x5t#S256': expect.any(String) });
    const claims = verified(body.access_token, 'api://webapi');
    expect(claims).toEqual({
      iss: ISSUER,
      aud: 'api://webapi',
      sub: daemon.clientId,
      client_id: daemon.clientId,
      azp: daemon.clientId,
      appid: daemon.clientId,
      tid: 'contoso.com',
      idtyp: 'app',
      roles: ['Files.Read.All'],
      iat: expect.any(Number),
      nbf: claims.iat,
      exp: claims.iat! + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      // The credential that obtained it (issue 17): 16 base64url characters of SHA-256("secret:<secret id>").
      cred: createHash('sha256').update(`secret:${(await admin('GET', `/clients/${daemon.clientId}`)).secrets[0].id}`).digest('base64url').slice(0, 16),
    });
  });

  it('accepts client_secret_post and scope=<App ID URI>/.default', async () => {
    const response = await token({ grant_type: 'client_credentials', scope: 'api://webapi/.default', client_id: daemon.clientId, client_secret: daemon.clientSecret });
    expect(response.status).toBe(200);
    expect(verified(response.json().access_token, 'api://webapi').roles).toEqual(['Files.Read.All']);
  });

  it('issues a token to a client authenticating with its openssl certificate (private_key_jwt), once per assertion', async () => {
    const signed = assertion(certified.clientId, certified.keyPem, certified.x5t);
    const form = { grant_type: 'client_credentials', resource: 'api://webapi', client_assertion_type: ASSERTION_TYPE, client_assertion: signed };
    const response = await token(form);
    expect(response.status).toBe(200);
    expect(verified(response.json().access_token, 'api://webapi')).toMatchObject({ sub: certified.clientId, roles: ['Admin'], idtyp: 'app' });
    expectOAuthError(await token(form), 401, 'invalid_client', 'client authentication failed');
  });

  it('does not burn the jti of an assertion whose signature fails (security catalogue G07)', async () => {
    const jti = randomUUID();
    const stranger = openssl.selfSigned({ cn: 'stranger' });
    const forged = assertion(certified.clientId, stranger.privateKeyPem, certified.x5t, { jti });
    const form = (clientAssertion: string) => ({ grant_type: 'client_credentials', resource: 'api://webapi', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion });
    expectOAuthError(await token(form(forged)), 401, 'invalid_client', 'client authentication failed');
    expect((await token(form(assertion(certified.clientId, certified.keyPem, certified.x5t, { jti })))).status).toBe(200);
  });

  it.each([
    ['an assertion for the token endpoint audience (no legacy flag)', () => ({ aud: `${ISSUER}/oauth2/token` })],
    ['an assertion with an array audience', () => ({ aud: [ISSUER] })],
    ['an assertion valid for 11 minutes', () => ({ exp: Math.floor(Date.now() / 1000) + 660 })],
    ['an expired assertion', () => ({ iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 300 })],
  ])('refuses %s with invalid_client', async (_name, claims) => {
    const now = Math.floor(Date.now() / 1000);
    const custom = jwt.sign({ iss: certified.clientId, sub: certified.clientId, aud: ISSUER, iat: now, exp: now + 120, jti: randomUUID(), ...claims() }, certified.keyPem, {
      algorithm: 'RS256',
      header: { alg: 'RS256', typ: 'JWT', x5t: certified.x5t },
    });
    expectOAuthError(await token({ grant_type: 'client_credentials', resource: 'api://webapi', client_assertion_type: ASSERTION_TYPE, client_assertion: custom }), 401, 'invalid_client', 'client authentication failed');
  });

  it('answers every malformed or unauthorized request with the exact RFC 6749 error', async () => {
    const ok = { grant_type: 'client_credentials', resource: 'api://webapi' };
    const auth = basic(daemon.clientId, daemon.clientSecret);
    const cases: [string, Promise<HttpResponse>, number, string, string][] = [
      ['no client authentication', token(ok), 401, 'invalid_client', 'client authentication failed'],
      ['a wrong secret', token(ok, basic(daemon.clientId, 'wrong')), 401, 'invalid_client', 'client authentication failed'],
      ['an unknown client', token(ok, basic(randomUUID(), daemon.clientSecret)), 401, 'invalid_client', 'client authentication failed'],
      ['two authentication methods', token({ ...ok, client_id: daemon.clientId, client_secret: daemon.clientSecret }, auth), 400, 'invalid_request', 'use exactly one client authentication method'],
      ['a body client_id differing from Basic', token({ ...ok, client_id: actAs.clientId }, auth), 400, 'invalid_request', 'client_id differs from the Authorization header'],
      ['a repeated parameter', token({ ...ok, resource: ['api://webapi', 'api://webapi'] }, auth), 400, 'invalid_request', 'the parameter resource is repeated'],
      ['a JSON body', token(ok, auth, 'POST', 'application/json'), 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded'],
      ['GET', token(ok, auth, 'GET'), 400, 'invalid_request', 'the token endpoint accepts POST only'],
      ['no grant_type', token({ resource: 'api://webapi' }, auth), 400, 'invalid_request', 'grant_type is required'],
      ['the password grant', token({ ...ok, grant_type: 'password' }, auth), 400, 'unsupported_grant_type', 'grant type password is not supported'],
      ['jwt-bearer for a client_credentials-only client', token({ grant_type: JWT_BEARER, requested_token_use: 'on_behalf_of', assertion: 'x' }, auth), 400, 'unauthorized_client', `this client may not use ${JWT_BEARER}`],
      ['an unknown resource', token({ ...ok, resource: 'api://unknown' }, auth), 400, 'invalid_target', 'unknown resource api://unknown'],
      ['a named scope with client credentials', token({ grant_type: 'client_credentials', scope: 'api://webapi/user_impersonation' }, auth), 400, 'invalid_scope', 'use api://webapi/.default with client credentials'],
      ['no target', token({ grant_type: 'client_credentials' }, auth), 400, 'invalid_request', 'name the target with resource or scope (<App ID URI>/.default)'],
      ['a user from a client that may not act as users', token({ ...ok, upn: 'alice@contoso.com' }, auth), 400, 'unauthorized_client', 'this client may not act as users'],
    ];
    for (const [name, pending, status, error, description] of cases) {
      const response = await pending;
      expect({ name, status: response.status, body: response.json() }).toEqual({ name, status, body: { error, error_description: description } });
      expect(response.headers['cache-control']).toBe('no-store');
      if (status === 401) expect(response.headers['www-authenticate']).toBe('Basic realm="s2s-trust", charset="UTF-8"');
    }
  });

  it('answers an oversized body in the OAuth error shape too', async () => {
    const response = await httpRequest(`${server.url}/oauth2/token`, {
      method: 'POST',
      // Declared length over BODY_LIMIT_BYTES (256 KiB), refused before the body is read; only its
      // start is sent, so the client is not still writing when the connection is closed.
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '300000' },
      body: 'grant_type=client_credentials&resource=aaaa',
      ca,
    });
    expect(response.status).toBe(413);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'the request body is too large' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('stops accepting a disabled client at once, and accepts it again when re-enabled', async () => {
    await admin('PATCH', `/clients/${daemon.clientId}`, { enabled: false });
    expectOAuthError(await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(daemon.clientId, daemon.clientSecret)), 401, 'invalid_client', 'client authentication failed');
    await admin('PATCH', `/clients/${daemon.clientId}`, { enabled: true });
    expect((await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(daemon.clientId, daemon.clientSecret))).status).toBe(200);
  });

  it('never signs for a realm the certificate does not name', async () => {
    const foreign: CreatedClient = await admin('POST', '/clients', { displayName: 'foreign', realm: 'fabrikam.com' });
    secretsSeen.push(foreign.clientSecret);
    expectOAuthError(
      await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(foreign.clientId, foreign.clientSecret)),
      500,
      'server_error',
      'the OAuth token-issuer certificate does not name the realm fabrikam.com',
    );
  });

  it('lets an act-as client assert a user, and the API it calls exchange that token on behalf of the user', async () => {
    const userResponse = await token({ grant_type: 'client_credentials', resource: 'api://webapi', upn: 'alice@contoso.com' }, basic(actAs.clientId, actAs.clientSecret));
    expect(userResponse.status).toBe(200);
    expect(userResponse.json().scope).toBe('api://webapi/user_impersonation');
    const userToken = userResponse.json().access_token;
    expect(verified(userToken, 'api://webapi')).toMatchObject({ idtyp: 'user', sub: 'alice@contoso.com', upn: 'alice@contoso.com', scp: 'user_impersonation', act: { sub: actAs.clientId } });

    const obo = await token(
      { grant_type: JWT_BEARER, requested_token_use: 'on_behalf_of', assertion: userToken, scope: 'api://downstream/Files.Read api://downstream/Files.Write' },
      basic(middleTier.clientId, middleTier.clientSecret),
    );
    expect(obo.status).toBe(200);
    expect(obo.json().scope).toBe('api://downstream/Files.Read');
    const delegated = verified(obo.json().access_token, 'api://downstream');
    expect(delegated).toMatchObject({
      idtyp: 'user',
      sub: 'alice@contoso.com',
      upn: 'alice@contoso.com',
      scp: 'Files.Read',
      client_id: middleTier.clientId,
      act: { sub: middleTier.clientId, act: { sub: actAs.clientId } },
    });
    expect(delegated.roles).toBeUndefined();
  });

  it('refuses on-behalf-of with an app token, an unsigned token, or a token meant for another client', async () => {
    const appToken = (await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(daemon.clientId, daemon.clientSecret))).json().access_token;
    const userToken = (await token({ grant_type: 'client_credentials', resource: 'api://webapi', upn: 'bob@contoso.com' }, basic(actAs.clientId, actAs.clientSecret))).json().access_token;
    const [header, payload] = userToken.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header, 'base64url').toString()), alg: 'none' })).toString('base64url')}.${payload}.`;
    const obo = (assertionToken: string, client: CreatedClient) =>
      token({ grant_type: JWT_BEARER, requested_token_use: 'on_behalf_of', assertion: assertionToken, scope: 'api://downstream/.default' }, basic(client.clientId, client.clientSecret));
    expectOAuthError(await obo(appToken, middleTier), 400, 'invalid_grant', 'the assertion is not a user token');
    expectOAuthError(await obo(unsigned, middleTier), 400, 'invalid_grant', 'unsigned assertions are not accepted');
    const other: CreatedClient = await admin('POST', '/clients', { displayName: 'other', grantTypes: [JWT_BEARER] });
    secretsSeen.push(other.clientSecret);
    expectOAuthError(await obo(userToken, other), 400, 'invalid_grant', 'the assertion was not issued to this client');
  });

  it('backs off a client after 5 failed authentications with 429 and Retry-After', async () => {
    const target: CreatedClient = await admin('POST', '/clients', { displayName: 'guessed' });
    secretsSeen.push(target.clientSecret);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(target.clientId, `guess-${attempt}`))).status).toBe(401);
    }
    expect((await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(target.clientId, 'guess-5'))).status).toBe(401);
    const blocked = await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(target.clientId, target.clientSecret));
    expectOAuthError(blocked, 429, 'temporarily_unavailable', 'too many failed authentications; retry after 1 s');
    expect(blocked.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await token({ grant_type: 'client_credentials', resource: 'api://webapi' }, basic(target.clientId, target.clientSecret))).status).toBe(200);
  });

  it('keeps its HTTP contract: query ignored, request id echoed, other methods refused, answers in the HTTP metrics', async () => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', resource: 'api://webapi' }).toString();
    const auth = basic(daemon.clientId, daemon.clientSecret);
    const withQuery = await httpRequest(`${server.url}/oauth2/token?resource=api://other`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-request-id': 'e2e-token-1', ...auth },
      body,
      ca,
    });
    expect({ status: withQuery.status, requestId: withQuery.headers['x-request-id'], aud: jwt.decode(withQuery.json().access_token, { json: true })?.aud }).toEqual({
      status: 200,
      requestId: 'e2e-token-1',
      aud: 'api://webapi',
    });
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const refused = await httpRequest(`${server.url}/oauth2/token`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body, ca });
      expect({ method, status: refused.status, body: refused.json(), noStore: refused.headers['cache-control'] }).toEqual({
        method,
        status: 400,
        body: { error: 'invalid_request', error_description: 'the token endpoint accepts POST only' },
        noStore: 'no-store',
      });
    }
    const metrics = (await httpRequest(`${server.url}/metrics`, { ca })).text;
    expect(metrics).toMatch(/s2s_http_requests_total\{method="POST",route="\/oauth2\/token",status="200"\} [1-9]\d*/);
    expect(metrics).toMatch(/s2s_http_requests_total\{method="PUT",route="\/oauth2\/token",status="400"\} 1\b/);
    expect(metrics).toMatch(/s2s_http_request_duration_seconds_count\{method="POST",route="\/oauth2\/token"\} [1-9]\d*/);
  });

  it('refuses a form that is not UTF-8 at the token, introspection and revocation endpoints with invalid_request, and counts the reason', async () => {
    const auth = basic(daemon.clientId, daemon.clientSecret);
    const target = 'grant_type=client_credentials&resource=api%3A%2F%2Fwebapi';
    const cases: [string, string, string | Buffer, string][] = [
      ['/oauth2/token', 'application/x-www-form-urlencoded; charset=iso-8859-1', Buffer.from(`${target}&upn=caf\xe9`, 'latin1'), 'the form must be UTF-8: send charset=utf-8 or no charset'],
      ['/oauth2/token', 'application/x-www-form-urlencoded', Buffer.concat([Buffer.from(`${target}&upn=caf`), Buffer.from([0xe9])]), 'the form is not valid UTF-8'],
      ['/oauth2/token', 'application/x-www-form-urlencoded; charset=UTF-8', `${target}&upn=caf%E9`, 'the form is not valid UTF-8'],
      ['/oauth2/introspect', 'application/x-www-form-urlencoded; charset=windows-1252', 'token=abc', 'the form must be UTF-8: send charset=utf-8 or no charset'],
      ['/oauth2/introspect', 'application/x-www-form-urlencoded', Buffer.concat([Buffer.from('token='), Buffer.from([0xc0, 0xaf])]), 'the form is not valid UTF-8'],
      ['/oauth2/introspect', 'application/x-www-form-urlencoded', 'token=%FF', 'the form is not valid UTF-8'],
      ['/oauth2/revoke', 'application/x-www-form-urlencoded; charset=iso-8859-1', 'token=abc', 'the form must be UTF-8: send charset=utf-8 or no charset'],
      ['/oauth2/revoke', 'application/x-www-form-urlencoded', 'token=%FF', 'the form is not valid UTF-8'],
      ['/oauth2/revoke', 'application/json', '{"token":"abc"}', 'the body must be application/x-www-form-urlencoded'],
    ];
    for (const [path, contentType, body, description] of cases) {
      const response = await httpRequest(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...auth }, body, ca });
      expect({ path, contentType, status: response.status, body: response.json(), noStore: response.headers['cache-control'] }).toEqual({
        path,
        contentType,
        status: 400,
        body: { error: 'invalid_request', error_description: description },
        noStore: 'no-store',
      });
    }
    const metrics = (await httpRequest(`${server.url}/metrics`, { ca })).text;
    expect(metrics).toMatch(/s2s_token_requests_failed_total\{error="invalid_request",reason="charset_not_utf8"\} 1\b/);
    expect(metrics).toMatch(/s2s_token_requests_failed_total\{error="invalid_request",reason="body_not_utf8"\} 2\b/);
    const utf8 = await httpRequest(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; Charset="UTF-8"', ...auth }, body: target, ca });
    expect(utf8.status).toBe(200);
  });

  it('revocation (RFC 7009): 200 with an empty text/plain body and no-store for a token it does not know; POST only', async () => {
    const auth = basic(daemon.clientId, daemon.clientSecret);
    const unknown = await httpRequest(`${server.url}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: 'token=abc', ca });
    expect([unknown.status, unknown.text, unknown.headers['content-type'], unknown.headers['cache-control'], unknown.headers.pragma]).toEqual([200, '', 'text/plain; charset=utf-8', 'no-store', 'no-cache']);
    const missing = await httpRequest(`${server.url}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: 'x=1', ca });
    expect([missing.status, missing.json()]).toEqual([400, { error: 'invalid_request', error_description: 'token is required' }]);
    const put = await httpRequest(`${server.url}/oauth2/revoke`, { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: 'token=abc', ca });
    expect([put.status, put.json(), put.headers['cache-control']]).toEqual([400, { error: 'invalid_request', error_description: 'use POST with an application/x-www-form-urlencoded body' }, 'no-store']);
  });

  it('counts issued and refused tokens by reason in /metrics', async () => {
    const metrics = (await httpRequest(`${server.url}/metrics`, { ca })).text;
    expect(metrics).toMatch(/s2s_tokens_issued_total\{grant="client_credentials",kind="app"\} \d+/);
    expect(metrics).toMatch(/s2s_tokens_issued_total\{grant="on_behalf_of",kind="user"\} 1/);
    expect(metrics).toMatch(/s2s_token_requests_failed_total\{error="invalid_client",reason="assertion_replayed"\} 1/);
    expect(metrics).toMatch(/s2s_token_requests_failed_total\{error="invalid_client",reason="assertion_signature_invalid"\} 1/);
  });
});

function readFirstX5c(pem: string): string {
  return pem.replace(/-----[^-]+-----|\s/g, '');
}
