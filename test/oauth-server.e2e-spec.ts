import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { httpRequest, removeDir, startServerProcess, type HttpResponse, type ServerProcess } from '@s2s/testing';

const AUDIENCE = 'api://s2s-trust';
const TENANT = 'contoso-tenant';

/**
 * A third-party authorization server nobody here wrote — `oidc-provider` from npm, with client
 * credentials and JWT access tokens — registered by its discovery URL: its tokens are accepted,
 * and a wrong audience, tenant, role, application id or object id is refused with its reason.
 */
describe('a registered OIDC authorization server (oidc-provider)', () => {
  let server: ServerProcess;
  let ca: Buffer;
  let adminKey: string;
  let op: Server;
  let opUrl: string;
  let introspector: { clientId: string; clientSecret: string };

  const admin = async (method: string, path: string, body?: unknown): Promise<HttpResponse> =>
    httpRequest(`${server.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca,
    });
  const opToken = async (clientId: string, resource: string): Promise<string> => {
    const response = await httpRequest(`${opUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientId}-secret`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'api.read' }).toString(),
    });
    if (response.status !== 200) throw new Error(`oidc-provider token: ${response.status} ${response.text}`);
    return response.json().access_token;
  };
  const explain = async (token: string): Promise<any> => (await admin('POST', '/tokens/validate', { token })).json();

  beforeAll(async () => {
    op = createServer();
    await new Promise<void>((resolve) => op.listen(0, '127.0.0.1', resolve));
    opUrl = `http://127.0.0.1:${(op.address() as AddressInfo).port}`;
    const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'op-key-1', alg: 'RS256', use: 'sig' };
    const provider = new Provider(opUrl, {
      clients: ['daemon', 'stranger'].map((clientId) => ({
        client_id: clientId,
        client_secret: `${clientId}-secret`,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      })),
      jwks: { keys: [signingKey] },
      features: {
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string) => ({ scope: 'api.read', audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
        },
      },
      extraTokenClaims: async (_ctx: unknown, token: { clientId?: string }) => ({ tid: TENANT, roles: ['S2S.Access'], oid: `oid-${token.clientId}` }),
    });
    op.on('request', provider.callback());

    server = await startServerProcess({ env: { PUBLIC_URL: 'https://s2s.contoso.com' } });
    ca = (await server.tlsCertificate())!;
    adminKey = await server.bootstrapKey();
    await admin('PUT', '/oauth-configuration', { realm: 'contoso.com' });
    introspector = (await admin('POST', '/clients', { displayName: 'resource server' })).json();
  });

  afterAll(async () => {
    await server?.stop();
    if (server) await removeDir(server.dataDir);
    await new Promise((resolve) => op?.close(resolve));
  });

  it('refuses a discovery document whose issuer does not match its URL (security catalogue E10)', async () => {
    const fake = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ issuer: 'https://evil.example', jwks_uri: `${opUrl}/jwks` }));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/.well-known/openid-configuration`;
      const response = await admin('POST', '/oauth-servers', { identity: 'fake.sts', metadataUrl: url, audiences: [AUDIENCE], allowHttpMetadata: true });
      expect(response.status).toBe(422);
      expect(response.json()).toMatchObject({ code: 'metadata_unavailable', message: expect.stringContaining("the discovery document's issuer https://evil.example does not match the URL it came from") });
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('refuses an http discovery URL without the lab flag', async () => {
    const response = await admin('POST', '/oauth-servers', { identity: 'test.sts', metadataUrl: `${opUrl}/.well-known/openid-configuration`, audiences: [AUDIENCE] });
    expect(response.status).toBe(422);
    expect(response.json().message).toContain('the metadata URL must use https');
  });

  it('registers oidc-provider by its discovery URL and accepts its tokens', async () => {
    const created = await admin('POST', '/oauth-servers', {
      identity: 'test.sts',
      metadataUrl: `${opUrl}/.well-known/openid-configuration`,
      audiences: [AUDIENCE],
      tenantId: TENANT,
      allowedApplicationIds: ['daemon'],
      requiredRole: 'S2S.Access',
      allowHttpMetadata: true,
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ type: 'oidc', issuer: opUrl, jwksUri: `${opUrl}/jwks`, keys: [{ kid: 'op-key-1', kty: 'RSA' }] });

    const token = await opToken('daemon', AUDIENCE);
    const introspected = await httpRequest(`${server.url}/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${introspector.clientId}:${introspector.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token }).toString(),
      ca,
    });
    expect(introspected.json()).toMatchObject({ active: true, iss: opUrl, aud: AUDIENCE, client_id: 'daemon', trust: { kind: 'oauth-server', id: 'test.sts' }, app_id: 'daemon', roles: ['S2S.Access'] });
  });

  it('oauth-server test passes every step against oidc-provider: discovery and JWKS downloaded now, issuer unchanged, keys, clock', async () => {
    const response = await admin('POST', '/oauth-servers/test.sts/test', {});
    expect(response.status).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ kind: 'oauth-server', identity: 'test.sts', passed: true, failedStep: null, probe: null });
    expect(report.steps.map((entry: { step: string; status: string; reason: string | null }) => `${entry.step}:${entry.status}:${entry.reason}`)).toEqual([
      'dns:pass:null',
      'tls:pass:null',
      'download:pass:null',
      'parse:pass:null',
      'issuer:pass:null',
      'keys:pass:null',
      'clock:pass:null',
      'actor-token:skip:not_applicable',
      'outer-token:skip:not_applicable',
      'probe:skip:not_applicable',
    ]);
    expect(report.steps[1].detail).toBe('plain http (lab setting allowHttpMetadata): no TLS');
    expect(report.steps[3].detail).toBe(`discovery document and JWKS (${opUrl}/jwks) with 1 usable signing key(s)`);
    expect(report.steps[5].detail).toBe('1 valid key(s) (no expiry published)');
    expect(Math.abs(report.clockDifferenceSeconds)).toBeLessThanOrEqual(2);
    expect((await admin('POST', '/oauth-servers/nobody/test', {})).status).toBe(404);
  });

  it.each([
    ['a wrong audience', async () => explain(await opToken('daemon', 'api://somebody-else')), 'audience_invalid'],
    ['another application', async () => explain(await opToken('stranger', AUDIENCE)), 'application_not_allowed'],
  ])('refuses %s', async (_name, run, reason) => {
    expect(await run()).toMatchObject({ valid: false, reason });
  });

  it.each([
    ['a wrong tenant', { tenantId: 'fabrikam-tenant' }, 'tenant_mismatch'],
    ['a missing role', { requiredRole: 'S2S.Admin' }, 'role_missing'],
    ['an object id not on the list', { allowedObjectIds: ['oid-somebody'] }, 'object_not_allowed'],
  ])('refuses %s', async (_name, change, reason) => {
    const token = await opToken('daemon', AUDIENCE);
    expect((await admin('PATCH', '/oauth-servers/test.sts', change)).status).toBe(200);
    try {
      expect(await explain(token)).toMatchObject({ valid: false, reason });
    } finally {
      await admin('PATCH', '/oauth-servers/test.sts', { tenantId: TENANT, requiredRole: 'S2S.Access', allowedObjectIds: [] });
    }
    expect((await explain(token)).valid).toBe(true);
  });
});
