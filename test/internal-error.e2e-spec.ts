import { join } from 'node:path';
import { createTestDatabase, httpRequest, REPO_ROOT, removeDir, startServerProcess, testDatabaseKinds, type ServerProcess, type TestDatabase } from '@s2s/testing';

/** Text of the raw error test/fixtures/failing-provider.server.mjs throws, none of which may reach a client. */
const LEAKS = [/duplicate key/i, /INSERT INTO/i, /client_pkey/, /QueryFailedError/, /node_modules/, /\.ts:\d+/, /\bat [A-Z]\w+\./, /secret_hash/];

/**
 * The 500 path itself. The real server, started by a fixture whose certificate store and client
 * authenticator throw a raw database error (SQL, constraint name, stack), must answer with the
 * standard error body and the request id of `X-Request-Id`, never the message, SQL or stack, and
 * log the cause once under that request id. The same at the OAuth endpoints, in their RFC 6749
 * shape (`server_error`).
 */
describe.each(testDatabaseKinds())('an internal error on %s', (kind) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let adminKey: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServerProcess({
      entry: join(REPO_ROOT, 'test/fixtures/failing-provider.server.mjs'),
      env: { TLS_MODE: 'off', ...(database.url ? { DATABASE_URL: database.url } : {}) },
    });
    adminKey = await server.bootstrapKey();
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (server) await removeDir(server.dataDir);
  });

  /** The log lines of one request, once the server has had a moment to write them. */
  const logOf = async (requestId: string): Promise<Record<string, any>[]> => {
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    return server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((line) => line.requestId === requestId || line.reqId === requestId);
  };

  it('answers 500 internal_error with the request id of the header, logs the cause once, and leaks nothing', async () => {
    const response = await httpRequest(`${server.url}/admin/v1/certificates`, { headers: { authorization: `Bearer ${adminKey}`, 'x-request-id': 'trace-500-admin' } });

    expect(response.status).toBe(500);
    expect(response.headers['x-request-id']).toBe('trace-500-admin');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ code: 'internal_error', message: 'internal error; see the server log for this request id', requestId: 'trace-500-admin' });
    for (const leak of LEAKS) expect(response.text).not.toMatch(leak);

    const errors = (await logOf('trace-500-admin')).filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'unhandled error', err: { message: expect.stringContaining('INSERT INTO "client"'), stack: expect.stringContaining('PostgresQueryRunner.query') } });
    // Only that route fails: the server goes on serving.
    expect((await httpRequest(`${server.url}/admin/v1/clients`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(200);
  });

  it('makes up a request id when none is sent; the body carries the one of the header', async () => {
    const response = await httpRequest(`${server.url}/admin/v1/certificates`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(response.status).toBe(500);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json().requestId).toBe(response.headers['x-request-id']);
    expect((await logOf(String(response.headers['x-request-id']))).filter((line) => line.level === 'error')).toHaveLength(1);
  });

  it.each([
    ['/oauth2/token', 'grant_type=client_credentials&client_id=00000000-0000-4000-8000-000000000000&client_secret=x&scope=api%3A%2F%2Fx%2F.default'],
    ['/oauth2/introspect', 'token=a.b.c&client_id=00000000-0000-4000-8000-000000000000&client_secret=x'],
    ['/oauth2/revoke', 'token=a.b.c&client_id=00000000-0000-4000-8000-000000000000&client_secret=x'],
  ])('answers 500 server_error at %s in the RFC 6749 shape, logs the cause once, and leaks nothing', async (path, form) => {
    const requestId = `trace-500-${path.split('/')[2]}`;
    const response = await httpRequest(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': requestId },
      body: form,
    });

    expect(response.status).toBe(500);
    expect(response.headers['x-request-id']).toBe(requestId);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ error: 'server_error', error_description: 'internal error' });
    for (const leak of LEAKS) expect(response.text).not.toMatch(leak);
    const errors = (await logOf(requestId)).filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].err).toMatchObject({ message: expect.stringContaining('INSERT INTO "client"'), stack: expect.stringContaining('PostgresQueryRunner.query') });
  });
});
