import { connect } from 'node:net';
import { createTestDatabase, httpRequest, removeDir, startServerProcess, testDatabaseKinds, type HttpResponse, type ServerProcess, type TestDatabase } from '@s2s/testing';

const CONTROL = 'must not contain control characters (U+0000-U+001F, U+007F)';
const MULTI_LINE_CONTROL = 'must not contain control characters other than tab, line feed and carriage return';
const SURROGATE = 'must be well-formed Unicode text (it contains an unpaired UTF-16 surrogate)';
const NULL = 'must not be null (leave the field out to keep its value)';
const DATE_RANGE = 'must be a date-time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';
const BAD_KEY = 'is not a valid field name (control characters or unpaired surrogates)';
const BAD_URL = 'the request URL is not valid: a percent-encoded sequence does not decode to UTF-8 text';
const HEADERS_TOO_LARGE = 'the request line or header block is too large';

/** Writes `request` on a new connection as it is and reads the answer until the server closes it. */
function rawExchange(url: string, request: string): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(request));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => {}); // the server closes the connection after its answer
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
      if (!status) return reject(new Error(`no HTTP answer: ${JSON.stringify(received.slice(0, 200))}`));
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: JSON.parse(body) });
    });
  });
}

/**
 * One explicit test per class of input that used to reach PostgreSQL or the stack and come back as
 * a 500 (control characters and U+0000 in names, query filters and path parameters; unpaired
 * surrogates; explicit null for a NOT NULL field; date-times beyond what PostgreSQL stores), each
 * with its exact status, code and field, and
 * proof that nothing changed; and the documented "null clears it" for nullable fields.
 */
describe.each(testDatabaseKinds())('hostile text and nulls on %s', (kind) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let adminKey: string;
  let clientId: string;
  let resourceId: string;
  const partner = 'hostile-input.partner';

  const call = (path: string, init: { method?: string; body?: unknown; rawBody?: string } = {}): Promise<HttpResponse> => {
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    return httpRequest(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
  };
  const ok = async (path: string, init: { method?: string; body?: unknown } = {}): Promise<any> => {
    const response = await call(path, init);
    if (response.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${response.text}`);
    return response.json();
  };
  const newestAuditId = async (): Promise<string> => (await ok('/admin/v1/audit-events?limit=1')).items[0].id;
  /** The state a refusal must leave as it was. */
  const state = async (): Promise<unknown> => ({
    audit: await newestAuditId(),
    clients: (await ok('/admin/v1/clients')).items,
    resources: (await ok('/admin/v1/resources')).items,
    partners: (await ok('/admin/v1/partner-applications')).items,
    configuration: await ok('/admin/v1/oauth-configuration'),
  });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServerProcess({ env: { TLS_MODE: 'off', ...(database.url ? { DATABASE_URL: database.url } : {}) } });
    adminKey = await server.bootstrapKey();
    await ok('/admin/v1/oauth-configuration', { method: 'PUT', body: { realm: 'contoso.com', publicHost: 's2s.contoso.com' } });
    const certificate = await ok('/admin/v1/certificates/self-signed', { method: 'POST', body: { realms: ['contoso.com', 'fabrikam.com'] } });
    clientId = (await ok('/admin/v1/clients', { method: 'POST', body: { displayName: 'hostile input', withSecret: false } })).clientId;
    resourceId = (await ok('/admin/v1/resources', { method: 'POST', body: { appIdUri: 'api://hostile', clientId } })).id;
    await ok('/admin/v1/partner-applications', {
      method: 'POST',
      body: { identity: partner, applicationIdentifier: '00000002-0000-0ff1-ce00-000000000000', realm: 'fabrikam.com', certificates: [certificate.certificatePem], hostAuthority: 'mail.fabrikam.com' },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (server) await removeDir(server.dataDir);
  });

  it.each([
    ['U+0000 in a name (body)', () => ['POST', '/admin/v1/clients', { rawBody: '{"displayName":"a\\u0000b"}' }], [{ field: 'displayName', message: CONTROL }]],
    ['a line feed in an identity (body)', () => ['POST', '/admin/v1/partner-applications', { body: { identity: 'x\ny', metadataUrl: 'https://127.0.0.1:1/m' } }], [{ field: 'identity', message: CONTROL }]],
    ['DEL in a URL (body)', () => ['PATCH', `/admin/v1/partner-applications/${partner}`, { body: { metadataUrl: 'https://example.com/\u007f' } }], [{ field: 'metadataUrl', message: CONTROL }]],
    ['U+0000 in a multi-line field (PEM)', () => ['PATCH', `/admin/v1/partner-applications/${partner}`, { body: { metadataCaBundle: '-----BEGIN CERTIFICATE-----\n\u0000\n' } }], [{ field: 'metadataCaBundle', message: MULTI_LINE_CONTROL }]],
    ['U+0000 in a query filter', () => ['GET', '/admin/v1/audit-events?action=client.create%00', {}], [{ field: 'action', message: CONTROL }]],
    ['a carriage return in a query filter', () => ['GET', '/admin/v1/audit-events?targetId=a%0Db', {}], [{ field: 'targetId', message: CONTROL }]],
    ['U+0000 in a query parameter of a delete', () => ['DELETE', `/admin/v1/clients/${clientId}/role-grants?resource=api%3A%2F%2Fhostile%00&role=r`, {}], [{ field: 'resource', message: CONTROL }]],
    ['a date-time filter PostgreSQL cannot store (year 0000)', () => ['GET', '/admin/v1/audit-events?since=0000-01-01T00:00:00Z', {}], [{ field: 'since', message: DATE_RANGE }]],
    ['a date-time filter PostgreSQL cannot store (six-digit year)', () => ['GET', '/admin/v1/audit-events?until=%2B275760-09-13T00:00:00.000Z', {}], [{ field: 'until', message: DATE_RANGE }]],
    ['U+0000 in a path parameter', () => ['GET', '/admin/v1/partner-applications/partner%00', {}], [{ field: 'identity', message: CONTROL }]],
    ['an escape character in a path parameter of a delete', () => ['DELETE', '/admin/v1/resources/api%3A%2F%2Fhostile%1B', {}], [{ field: 'resource', message: CONTROL }]],
    ['an unpaired surrogate in a body string', () => ['POST', '/admin/v1/resources', { rawBody: '{"appIdUri":"api://x\\ud800"}' }], [{ field: 'appIdUri', message: SURROGATE }]],
    ['an unpaired surrogate in a nested string', () => ['PATCH', `/admin/v1/resources/${resourceId}`, { rawBody: '{"roles":[{"value":"Read","description":"\\udc00"}]}' }], [{ field: 'roles[0].description', message: SURROGATE }]],
    ['U+0000 in a body key', () => ['PATCH', `/admin/v1/clients/${clientId}`, { rawBody: '{"enabled":true,"a\\u0000":1}' }], [{ field: 'a\\u0000', message: 'is not a known field' }, { field: 'a\\u0000', message: BAD_KEY }]],
    ['null for a NOT NULL field of a PATCH (client enabled)', () => ['PATCH', `/admin/v1/clients/${clientId}`, { body: { enabled: null } }], [{ field: 'enabled', message: NULL }]],
    ['null for a NOT NULL field of a PATCH (client display name)', () => ['PATCH', `/admin/v1/clients/${clientId}`, { body: { displayName: null } }], [{ field: 'displayName', message: NULL }]],
    ['null for a NOT NULL field of a PATCH (partner trust level)', () => ['PATCH', `/admin/v1/partner-applications/${partner}`, { body: { trustLevel: null } }], [{ field: 'trustLevel', message: NULL }]],
    ['null for a NOT NULL setting (clock skew)', () => ['PUT', '/admin/v1/oauth-configuration', { body: { clockSkewSeconds: null } }], [{ field: 'clockSkewSeconds', message: NULL }]],
  ] as [string, () => [string, string, { body?: unknown; rawBody?: string }], { field: string; message: string }[]][])(
    'refuses %s with 422 validation_failed naming the field, and changes nothing',
    async (_name, request, details) => {
      const before = await state();
      const [method, path, init] = request();
      const response = await call(path, { method, ...init });
      expect({ status: response.status, body: response.json() }).toEqual({
        status: 422,
        body: { code: 'validation_failed', message: expect.stringMatching(/^request validation failed: /), details, requestId: response.headers['x-request-id'] },
      });
      expect(await state()).toEqual(before);
    },
  );

  it.each([
    ['a partner host authority', () => `/admin/v1/partner-applications/${partner}`, 'PATCH', { hostAuthority: null }, 'partner-application.update', 'hostAuthority'],
    ['a resource client', () => `/admin/v1/resources/${resourceId}`, 'PATCH', { clientId: null }, 'resource.update', 'clientId'],
    ['the public host setting', () => '/admin/v1/oauth-configuration', 'PUT', { publicHost: null }, 'oauth-configuration.update', 'publicHost'],
  ] as [string, () => string, string, Record<string, null>, string, string][])('clears %s with an explicit null (nullable in the domain), audited', async (_name, path, method, body, action, field) => {
    const before = await ok(path());
    expect(before[field]).not.toBeNull();
    const changed = await ok(path(), { method, body });
    expect(changed[field]).toBeNull();
    expect((await ok(path()))[field]).toBeNull();
    const event = (await ok(`/admin/v1/audit-events?action=${action}&limit=1`)).items[0];
    expect(event.before[field]).toEqual(before[field]);
    expect(event.after[field]).toBeNull();
  });

  it('routes a path parameter as long as the longest valid identity (128 characters; the router allows 100 by default)', async () => {
    const identity = `long.${'p'.repeat(123)}`;
    expect(identity).toHaveLength(128);
    const certificate = await ok('/admin/v1/certificates/self-signed', { method: 'POST', body: { realms: ['contoso.com', 'northwind.com'] } });
    await ok('/admin/v1/partner-applications', {
      method: 'POST',
      body: { identity, applicationIdentifier: '00000003-0000-0ff1-ce00-000000000000', realm: 'northwind.com', certificates: [certificate.certificatePem] },
    });
    const got = await call(`/admin/v1/partner-applications/${identity}`);
    expect({ status: got.status, identity: got.json().identity }).toEqual({ status: 200, identity });
    expect((await call(`/admin/v1/partner-applications/${identity}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('accepts tab, CR and LF in multi-line fields and refuses them in single-line ones', async () => {
    const secret = await call(`/admin/v1/clients/${clientId}/secrets`, { method: 'POST', body: { description: 'rotated by ops\r\n\tticket 42' } });
    expect(secret.status).toBe(201);
    expect(secret.json().description).toBe('rotated by ops\r\n\tticket 42');
    const named = await call(`/admin/v1/clients/${clientId}`, { method: 'PATCH', body: { displayName: 'two\tcolumns' } });
    expect(named.status).toBe(422);
    expect(named.json().details).toEqual([{ field: 'displayName', message: CONTROL }]);
  });

  it.each([
    ['an admin route', '/admin/v1/clients/%ED%A0%80', { code: 'bad_request', message: BAD_URL, requestId: 'bad-url-1' }],
    ['an operational route', '/metrics/%ED%A0%80', { code: 'bad_request', message: BAD_URL, requestId: 'bad-url-1' }],
    ['an OAuth endpoint', '/oauth2/token%ED%A0%80', { error: 'invalid_request', error_description: BAD_URL }],
  ])('answers an undecodable URL on %s with 400 in its error shape and X-Request-Id (not Fastify\'s FST_ERR_BAD_URL)', async (_name, path, body) => {
    const response = await httpRequest(`${server.url}${path}`, { headers: { 'x-request-id': 'bad-url-1' } });
    expect({ status: response.status, body: response.json(), requestId: response.headers['x-request-id'], cacheControl: response.headers['cache-control'] }).toEqual({
      status: 400,
      body,
      requestId: 'bad-url-1',
      cacheControl: 'no-store',
    });
  });

  it.each([
    ['a header block over the limit (admin route)', `GET /admin/v1/clients HTTP/1.1\r\nHost: s2s\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`, 'admin'],
    ['a request line over the limit (admin route)', `GET /admin/v1/audit-events?action=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: s2s\r\n\r\n`, 'admin'],
    ['a header block over the limit (OAuth endpoint)', `POST /oauth2/token HTTP/1.1\r\nHost: s2s\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`, 'oauth'],
  ])('answers %s with 431 in its error shape and X-Request-Id (not Fastify\'s 431 body)', async (_name, request, family) => {
    const response = await rawExchange(server.url, request);
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect({ status: response.status, body: response.body, cacheControl: response.headers['cache-control'], connection: response.headers.connection }).toEqual({
      status: 431,
      body: family === 'admin' ? { code: 'request_header_fields_too_large', message: HEADERS_TOO_LARGE, requestId } : { error: 'invalid_request', error_description: HEADERS_TOO_LARGE },
      cacheControl: 'no-store',
      connection: 'close',
    });
  });

  it('documents the rules in the OpenAPI document', async () => {
    const document = (await httpRequest(`${server.url}/docs/openapi.json`)).json();
    expect(document.info.description).toContain('no control characters (U+0000-U+001F, U+007F)');
    const partnerUpdate = document.components.schemas.UpdatePartnerApplicationDto.properties;
    expect(partnerUpdate.metadataCaBundle).toMatchObject({ nullable: true, description: expect.stringContaining('Multi-line text') });
    expect(partnerUpdate.hostAuthority).toMatchObject({ nullable: true, description: expect.stringContaining('`null` clears it.') });
    expect(partnerUpdate.trustLevel.nullable).toBeUndefined();

    // Every nullable request field is a documented "clear this field" (@Nullable), and these are all
    // of them: the fields whose domain value (entity column) is nullable.
    const bodies = new Set<string>();
    for (const methods of Object.values(document.paths as Record<string, Record<string, any>>)) {
      for (const operation of Object.values(methods)) {
        const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref as string | undefined;
        if (ref) bodies.add(ref.split('/').pop()!);
      }
    }
    const nullable = [...bodies].sort().flatMap((name) =>
      Object.entries(document.components.schemas[name].properties as Record<string, { nullable?: boolean; description?: string }>)
        .filter(([, property]) => property.nullable)
        .map(([property, schema]) => {
          expect(schema.description).toContain('`null` clears it.');
          return `${name}.${property}`;
        }),
    );
    expect(nullable).toEqual([
      'CreateOAuthServerDto.tenantId',
      'CreateOAuthServerDto.requiredRole',
      'CreateOAuthServerDto.metadataCaBundle',
      'CreatePartnerApplicationDto.hostAuthority',
      'CreatePartnerApplicationDto.metadataCaBundle',
      'CreateResourceDto.clientId',
      'UpdateOAuthConfigurationDto.realm',
      'UpdateOAuthConfigurationDto.publicHost',
      'UpdateOAuthServerDto.tenantId',
      'UpdateOAuthServerDto.requiredRole',
      'UpdateOAuthServerDto.metadataCaBundle',
      'UpdatePartnerApplicationDto.hostAuthority',
      'UpdatePartnerApplicationDto.metadataCaBundle',
      'UpdateResourceDto.clientId',
    ]);
  });
});
