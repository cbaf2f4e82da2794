import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, httpRequest, removeDir, startServerProcess, testDatabaseKinds, type ServerProcess, type TestDatabase } from '@s2s/testing';

/**
 * The foundation end to end: the real server process over HTTPS with its generated certificate, on
 * embedded PGlite and (with TEST_DATABASE_URL) on PostgreSQL.
 */
describe.each(testDatabaseKinds())('trust server on %s', (kind) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let ca: Buffer;
  let adminKey: string;
  const env = (): Record<string, string> => (database.url ? { DATABASE_URL: database.url } : {});

  const call = (path: string, init: { method?: string; key?: string | null; body?: unknown; rawBody?: string | Buffer; contentType?: string; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const key = init.key === undefined ? adminKey : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
    return httpRequest(`${server.url}${path}`, { method: init.method, headers, body, ca });
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServerProcess({ env: env() });
    ca = (await server.tlsCertificate())!;
    adminKey = await server.bootstrapKey();
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (server) await removeDir(server.dataDir);
  });

  it('serves HTTPS with the generated localhost certificate, and nothing else trusts it', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const live = await call('/health/live', { key: null });
    expect(live.status).toBe(200);
    await expect(httpRequest(`${server.url}/health/live`)).rejects.toThrow(/self.signed|unable to verify|SELF_SIGNED/i);
    expect((await stat(join(server.certsDir, 'localhost-tls.key'))).mode & 0o777).toBe(0o600);
  });

  it('reports readiness: database up and migrated, not ready until a token-issuer certificate is assigned', async () => {
    const ready = await call('/health/ready', { key: null });
    expect(ready.status).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'error',
      details: { database: { status: 'up' }, oauthTokenIssuerCertificate: { status: 'down', reason: expect.stringContaining('no OAuth token-issuer certificate is assigned') } },
    });
  });

  it('writes the bootstrap admin key 0600 and logs only its path', async () => {
    const path = join(server.dataDir, 'bootstrap-admin.key');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(adminKey).toMatch(/^s2sk\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(server.output()).toContain(path);
    expect(server.output()).not.toContain(adminKey.split('.')[2]);
  });

  it('denies the admin API without a key (401), with a bad key (401), and a reader writing (403)', async () => {
    const none = await call('/admin/v1/oauth-configuration', { key: null });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="s2s-trust-admin"');
    expect(none.json()).toEqual({ code: 'unauthorized', message: 'an admin API key is required: send Authorization: Bearer <key>', requestId: none.headers['x-request-id'] });

    const forged = await call('/admin/v1/oauth-configuration', { key: `${adminKey.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.json()).toMatchObject({ code: 'unauthorized', message: 'the admin API key is not valid' });

    const created = await call('/admin/v1/admin-keys', { method: 'POST', body: { name: 'auditor', role: 'reader' } });
    expect(created.status).toBe(201);
    const reader = created.json<{ key: string; id: string; role: string }>();
    expect(reader.role).toBe('reader');
    expect((await call('/admin/v1/oauth-configuration', { key: reader.key })).status).toBe(200);
    const write = await call('/admin/v1/oauth-configuration', { method: 'PUT', key: reader.key, body: { clockSkewSeconds: 10 } });
    expect(write.status).toBe(403);
    expect(write.json()).toMatchObject({ code: 'forbidden', message: 'the admin API key "auditor" has role reader, which may only read' });
    expect((await call('/admin/v1/oauth-configuration')).json().clockSkewSeconds).toBe(300);

    const listed = await call('/admin/v1/admin-keys');
    expect(listed.text).not.toContain(reader.key.split('.')[2]);
    expect(listed.json().items.map((k: { name: string }) => k.name)).toEqual(['bootstrap', 'auditor']);

    const revoked = await call(`/admin/v1/admin-keys/${reader.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    expect((await call('/admin/v1/oauth-configuration', { key: reader.key })).status).toBe(401);
  });

  it('sets and gets the OAuth configuration, and audits the change with actor and request id', async () => {
    const before = (await call('/admin/v1/oauth-configuration')).json();
    expect(before.serviceName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const put = await call('/admin/v1/oauth-configuration', { method: 'PUT', body: { realm: 'contoso.com', publicHost: 's2s.contoso.com' }, headers: { 'x-request-id': 'e2e-set-realm' } });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ realm: 'contoso.com', publicHost: 's2s.contoso.com', serviceName: before.serviceName, actorTokenLifetimeSeconds: 43_200 });
    expect((await call('/admin/v1/oauth-configuration')).json()).toMatchObject({ realm: 'contoso.com' });

    const audit = (await call('/admin/v1/audit-events?action=oauth-configuration.update&limit=1')).json();
    expect(audit.items[0]).toMatchObject({
      actorName: 'bootstrap',
      actorKeyId: adminKey.split('.')[1],
      requestId: 'e2e-set-realm',
      targetType: 'oauth-configuration',
      before: expect.objectContaining({ realm: null }),
      after: expect.objectContaining({ realm: 'contoso.com', publicHost: 's2s.contoso.com' }),
    });
  });

  it.each([
    ['an invalid realm', { body: { realm: 'Contoso.com' } }, 422, { code: 'validation_failed', details: [{ field: 'realm', message: 'must be lowercase' }] }],
    ['a lifetime out of range', { body: { actorTokenLifetimeSeconds: 90_000 } }, 422, { code: 'validation_failed', details: [{ field: 'actorTokenLifetimeSeconds', message: 'must be a whole number of seconds between 60 and 86400' }] }],
    ['a wrongly typed field', { body: { clockSkewSeconds: '10' } }, 422, { code: 'validation_failed', details: [{ field: 'clockSkewSeconds', message: 'must be an integer number' }] }],
    ['an unknown field', { body: { realm: 'fabrikam.com', isAdmin: true } }, 422, { code: 'validation_failed', details: [{ field: 'isAdmin', message: 'is not a known field' }] }],
    ['duplicate JSON keys', { rawBody: '{"realm":"fabrikam.com","realm":"contoso.com"}' }, 400, { code: 'bad_request', message: 'duplicate key "realm" in a JSON object' }],
    ['malformed JSON', { rawBody: '{"realm":' }, 400, { code: 'bad_request' }],
    ['a JSON array body', { rawBody: '[]' }, 400, { code: 'bad_request', message: 'the request body must be a JSON object (Content-Type: application/json)' }],
    ['a non-JSON content type', { rawBody: 'realm=fabrikam.com', contentType: 'application/x-www-form-urlencoded' }, 415, { code: 'unsupported_media_type' }],
    ['an oversized body', { rawBody: JSON.stringify({ realm: 'x'.repeat(300_000) }) }, 413, { code: 'payload_too_large', message: 'the request body is too large' }],
    ['a bad force flag', { body: { realm: 'fabrikam.com' }, query: '?force=yes' }, 422, { code: 'validation_failed', details: [{ field: 'force', message: 'must be a boolean value' }] }],
  ])('refuses %s with the exact error and changes nothing', async (_name, request, status, expected) => {
    const before = (await call('/admin/v1/oauth-configuration')).json();
    const auditBefore = (await call('/admin/v1/audit-events?limit=500')).json().items.length;
    const { query = '', ...rest } = request as { query?: string; body?: unknown; rawBody?: string; contentType?: string };
    const response = await call(`/admin/v1/oauth-configuration${query}`, { method: 'PUT', ...rest });
    expect(response.status).toBe(status);
    expect(response.json()).toMatchObject({ ...expected, requestId: response.headers['x-request-id'] });
    expect((await call('/admin/v1/oauth-configuration')).json()).toEqual(before);
    expect((await call('/admin/v1/audit-events?limit=500')).json().items.length).toBe(auditBefore);
  });

  it.each([
    ['a JSON body in Latin-1', Buffer.from('{"displayName":"caf\xe9"}', 'latin1'), 'application/json; charset=iso-8859-1', 415, { code: 'unsupported_media_type', message: 'unsupported charset: send UTF-8 (charset=utf-8 or no charset)' }],
    ['a JSON body declared UTF-16', Buffer.from('{"displayName":"x"}'), 'application/json; charset="UTF-16"', 415, { code: 'unsupported_media_type', message: 'unsupported charset: send UTF-8 (charset=utf-8 or no charset)' }],
    ['a JSON body with bytes that are not UTF-8', Buffer.concat([Buffer.from('{"displayName":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]), 'application/json', 400, { code: 'bad_request', message: 'the request body is not valid UTF-8' }],
    ['an overlong UTF-8 sequence', Buffer.concat([Buffer.from('{"displayName":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), 'application/json; charset=utf-8', 400, { code: 'bad_request', message: 'the request body is not valid UTF-8' }],
  ])('refuses %s with the exact error (UTF-8 only, never replaced by U+FFFD) and creates nothing', async (_name, rawBody, contentType, status, expected) => {
    const before = (await call('/admin/v1/clients')).json().items.length;
    const response = await call('/admin/v1/clients', { method: 'POST', rawBody, contentType });
    expect({ status: response.status, body: response.json() }).toEqual({ status, body: { ...expected, requestId: response.headers['x-request-id'] } });
    expect((await call('/admin/v1/clients')).json().items.length).toBe(before);
  });

  it('accepts UTF-8 JSON with the charset in any letter case', async () => {
    const response = await call('/admin/v1/clients', { method: 'POST', rawBody: Buffer.from('{"displayName":"Zoë ✓"}'), contentType: 'application/json; Charset="UTF-8"' });
    expect({ status: response.status, displayName: response.json().displayName }).toEqual({ status: 201, displayName: 'Zoë ✓' });
  });

  it('refuses a body nested 100 000 levels deep with 400 invalid_json, before authentication, and stays up', async () => {
    // Within the 256 KiB body limit: 100 000 arrays (200 kB), 30 000 objects (180 kB).
    const deep = `${'{"a":'.repeat(30_000)}"x"${'}'.repeat(30_000)}`;
    const arrays = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const [rawBody, key] of [[deep, adminKey], [arrays, adminKey], [arrays, null]] as const) {
      const response = await call('/admin/v1/oauth-configuration', { method: 'PUT', rawBody, key });
      expect({ status: response.status, body: response.json() }).toEqual({
        status: 400,
        body: { code: 'invalid_json', message: 'the JSON is nested more than 64 levels deep', requestId: response.headers['x-request-id'] },
      });
    }
    expect((await call('/health/live', { key: null })).status).toBe(200);
  });

  it('answers unknown routes and ids with the JSON error shape', async () => {
    expect((await call('/admin/v1/nothing-here')).json()).toMatchObject({ code: 'not_found' });
    const missing = await call('/admin/v1/admin-keys/00000000-0000-4000-8000-000000000000', { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not_found', message: 'admin key 00000000-0000-4000-8000-000000000000 does not exist' });
    const badId = await call('/admin/v1/admin-keys/not-a-uuid', { method: 'DELETE' });
    expect(badId.status).toBe(422);
    expect(badId.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'id', message: 'must be a UUID' }] });
    const badQuery = await call('/admin/v1/audit-events?limit=0&bogus=1');
    expect(badQuery.status).toBe(422);
    expect(badQuery.json().details).toEqual(expect.arrayContaining([{ field: 'bogus', message: 'is not a known field' }, { field: 'limit', message: 'must not be less than 1' }]));
  });

  it('exports Prometheus metrics with request counters by route template', async () => {
    const metrics = await call('/metrics', { key: null });
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/s2s_http_requests_total\{method="PUT",route="\/admin\/v1\/oauth-configuration",status="200"\} [1-9]/);
    expect(metrics.text).toMatch(/s2s_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/health\/ready"\}/);
  });

  it('publishes an OpenAPI document covering every admin route, and a UI', async () => {
    const document = (await call('/docs/openapi.json', { key: null })).json();
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /admin/v1/oauth-configuration',
        'PUT /admin/v1/oauth-configuration',
        'POST /oauth2/token',
        'GET /admin/v1/admin-keys',
        'POST /admin/v1/admin-keys',
        'DELETE /admin/v1/admin-keys/{id}',
        'GET /admin/v1/audit-events',
        'GET /health/ready',
      ]),
    );
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const put = document.paths['/admin/v1/oauth-configuration'].put;
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '409', '422']));
    expect(put.responses['422'].content['application/json'].schema.$ref).toBe('#/components/schemas/AdminErrorDto');
    expect(document.components.schemas.UpdateOAuthConfigurationDto.properties).toHaveProperty('realm');
    const ui = await call('/docs', { key: null });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('keeps everything across a restart and creates no second bootstrap key; shuts down gracefully', async () => {
    const before = (await call('/admin/v1/oauth-configuration')).json();
    expect(await server.stop()).toBe(0);
    server = await startServerProcess({ env: env(), dataDir: server.dataDir });
    ca = (await server.tlsCertificate())!;
    expect(await server.bootstrapKey()).toBe(adminKey);
    expect((await call('/admin/v1/oauth-configuration')).json()).toEqual(before);
    const keys = (await call('/admin/v1/admin-keys')).json().items.map((k: { name: string }) => k.name);
    expect(keys.filter((name: string) => name === 'bootstrap')).toHaveLength(1);
    expect(server.output()).not.toContain('bootstrap admin key written');
  });

  it('never logs keys, secrets or private key material', () => {
    const output = server.output();
    expect(output).not.toContain(adminKey);
    expect(output).not.toContain('PRIVATE KEY');
    // No request header dump (the admin key travels in Authorization).
    expect(output).not.toMatch(/"authorization"\s*:/i);
    expect(output).not.toMatch(/Bearer s2sk/);
  });
});

describe('configuration errors', () => {
  it.each([
    [{ PORT: 'abc' }, 's2s-trust: invalid configuration: PORT must be an integer between 0 and 65535 (got "abc")'],
    [{ TLS_MODE: 'sometimes' }, 's2s-trust: invalid configuration: TLS_MODE must be "on" or "off" (got "sometimes")'],
    [{ DATABASE_URL: 'mysql://nope' }, 's2s-trust: invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL'],
  ])('stops the server on %j with a message naming the variable', async (env, message) => {
    const failure = await startServerProcess({ env, timeoutMs: 20_000 }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toContain('server exited with 1 before listening');
    expect(failure).toContain(message);
  });
});
