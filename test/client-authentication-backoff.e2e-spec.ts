import { randomUUID } from 'node:crypto';
import { adminApi, clientWithRole, configureTokenIssuer, httpRequest, removeDir, startServerProcess, type AdminApi, type CreatedClient, type HttpResponse, type ServerProcess } from '@s2s/testing';

const ISSUER = 'https://s2s.contoso.com';
/** AUTH_BACKOFF_CLIENT_FAILURES: the third failure of a client makes it wait 1 s. */
const FREE_CLIENT_FAILURES = 2;
/** AUTH_BACKOFF_ADDRESS_FAILURES: the fifth failure from an address makes it wait 1 s. */
const FREE_ADDRESS_FAILURES = 4;

/** A refusal as the caller sees it, and as the server logged it. */
interface Seen {
  status: number;
  body: unknown;
  retryAfter: string | undefined;
  cacheControl: string | undefined;
}

const BACKED_OFF: Seen = {
  status: 429,
  body: { error: 'temporarily_unavailable', error_description: 'too many failed authentications; retry after 1 s' },
  retryAfter: '1',
  cacheControl: 'no-store',
};
const INVALID_CLIENT: Seen = {
  status: 401,
  body: { error: 'invalid_client', error_description: 'client authentication failed' },
  retryAfter: undefined,
  cacheControl: 'no-store',
};

/**
 * The token endpoint and introspection share one back-off on failed client authentication
 * (security catalogue G01, RFC 6749 2.3.1): secrets guessed at one endpoint count at the other,
 * and a caller backed off at one is answered 429 at both, per client and per address. Each test
 * calls from its own loopback address (127.0.0.0/8), so the per-address records do not mix; the
 * reasons are read from the refusal logs of both endpoints and from the token endpoint's metrics.
 * PGlite only: the back-off is in memory, whatever the database.
 */
describe('client authentication back-off shared by the token endpoint and introspection', () => {
  let server: ServerProcess;
  let ca: Buffer;
  let admin: AdminApi;

  const basic = (clientId: string, secret: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string>, from: string): Promise<HttpResponse> =>
    httpRequest(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      ca,
      localAddress: from,
    });
  const token = (clientId: string, secret: string, from: string): Promise<HttpResponse> =>
    post('/oauth2/token', { grant_type: 'client_credentials', resource: 'api://webapi' }, basic(clientId, secret), from);
  const introspect = (clientId: string, secret: string, from: string, tokenToIntrospect = 'not-a-token'): Promise<HttpResponse> =>
    post('/oauth2/introspect', { token: tokenToIntrospect }, basic(clientId, secret), from);
  const seen = (response: HttpResponse): Seen => ({
    status: response.status,
    body: response.json(),
    retryAfter: response.headers['retry-after'] as string | undefined,
    cacheControl: response.headers['cache-control'] as string | undefined,
  });
  /** The refusals both endpoints logged for callers at `from`, in order: endpoint, error, reason, claimed client. */
  const refusalsLoggedNow = (from: string): string[] =>
    server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(`"remoteAddress":"${from}"`))
      .map((line) => JSON.parse(line) as { msg: string; error: string; reason: string; clientId: string | null })
      .filter((entry) => entry.msg === 'token request refused' || entry.msg === 'introspection request refused')
      .map((entry) => `${entry.msg === 'token request refused' ? 'token' : 'introspect'} ${entry.error} ${entry.reason} ${entry.clientId}`);
  /** {@link refusalsLoggedNow} once `count` are there (the log reaches us a little after the answer), or after 5 s. */
  const refusalsLogged = async (from: string, count: number): Promise<string[]> => {
    const deadline = Date.now() + 5_000;
    while (refusalsLoggedNow(from).length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return refusalsLoggedNow(from);
  };
  /** s2s_token_requests_failed_total for temporarily_unavailable with `reason`. */
  const backoffRefusalsCounted = async (reason: string): Promise<number> => {
    const metrics = (await httpRequest(`${server.url}/metrics`, { ca })).text;
    const match = new RegExp(`^s2s_token_requests_failed_total\\{error="temporarily_unavailable",reason="${reason}"\\} (\\d+)$`, 'm').exec(metrics);
    return match ? Number(match[1]) : 0;
  };
  const newClient = (displayName: string): Promise<CreatedClient> => clientWithRole(admin, displayName, 'api://webapi', 'Files.Read.All');
  const waitForTheBackoff = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1_100));

  beforeAll(async () => {
    server = await startServerProcess({
      env: { PUBLIC_URL: ISSUER, AUTH_BACKOFF_CLIENT_FAILURES: String(FREE_CLIENT_FAILURES), AUTH_BACKOFF_ADDRESS_FAILURES: String(FREE_ADDRESS_FAILURES) },
    });
    ca = (await server.tlsCertificate())!;
    admin = adminApi(server, ca, await server.bootstrapKey());
    await configureTokenIssuer(admin);
    await admin('POST', '/resources', { appIdUri: 'api://webapi', roles: [{ value: 'Files.Read.All' }] });
  });

  afterAll(async () => {
    await server?.stop();
    if (server) await removeDir(server.dataDir);
  });

  it('backs a client off at both endpoints after failed authentications at introspection (429 backoff_client), until the wait is over', async () => {
    const from = '127.0.0.2';
    const client = await newClient('guessed at introspection');
    const countedBefore = await backoffRefusalsCounted('backoff_client');
    const guesses = [];
    for (let guess = 0; guess <= FREE_CLIENT_FAILURES; guess += 1) guesses.push(seen(await introspect(client.clientId, `guess-${guess}`, from)));
    expect(guesses).toEqual([INVALID_CLIENT, INVALID_CLIENT, INVALID_CLIENT]);

    expect(seen(await introspect(client.clientId, client.clientSecret, from))).toEqual(BACKED_OFF);
    expect(seen(await token(client.clientId, client.clientSecret, from))).toEqual(BACKED_OFF);
    const logged = [
      `introspect invalid_client invalid_secret ${client.clientId}`,
      `introspect invalid_client invalid_secret ${client.clientId}`,
      `introspect invalid_client invalid_secret ${client.clientId}`,
      `introspect temporarily_unavailable backoff_client ${client.clientId}`,
      `token temporarily_unavailable backoff_client ${client.clientId}`,
    ];
    expect(await refusalsLogged(from, logged.length)).toEqual(logged);
    expect(await backoffRefusalsCounted('backoff_client')).toBe(countedBefore + 1);

    await waitForTheBackoff();
    const issued = await token(client.clientId, client.clientSecret, from);
    expect(issued.status).toBe(200);
    const introspected = await introspect(client.clientId, client.clientSecret, from, issued.json().access_token);
    expect({ status: introspected.status, active: introspected.json().active }).toEqual({ status: 200, active: true });
  });

  it('backs a client off at introspection after failed authentications at the token endpoint, and a success at introspection clears it for both', async () => {
    const from = '127.0.0.3';
    const client = await newClient('guessed at the token endpoint');
    const guesses = [];
    for (let guess = 0; guess <= FREE_CLIENT_FAILURES; guess += 1) guesses.push(seen(await token(client.clientId, `guess-${guess}`, from)));
    expect(guesses).toEqual([INVALID_CLIENT, INVALID_CLIENT, INVALID_CLIENT]);

    expect(seen(await introspect(client.clientId, client.clientSecret, from))).toEqual(BACKED_OFF);
    expect(seen(await token(client.clientId, client.clientSecret, from))).toEqual(BACKED_OFF);

    await waitForTheBackoff();
    expect((await introspect(client.clientId, client.clientSecret, from)).json()).toEqual({ active: false });
    // The success at introspection cleared the client's record: a failure at the token endpoint is free again.
    expect(seen(await token(client.clientId, 'guess-3', from))).toEqual(INVALID_CLIENT);
    expect((await token(client.clientId, client.clientSecret, from)).status).toBe(200);
    const logged = [
      `token invalid_client invalid_secret ${client.clientId}`,
      `token invalid_client invalid_secret ${client.clientId}`,
      `token invalid_client invalid_secret ${client.clientId}`,
      `introspect temporarily_unavailable backoff_client ${client.clientId}`,
      `token temporarily_unavailable backoff_client ${client.clientId}`,
      `token invalid_client invalid_secret ${client.clientId}`,
    ];
    expect(await refusalsLogged(from, logged.length)).toEqual(logged);
  });

  it('backs an address off at both endpoints after failures at introspection under made-up client ids (429 backoff_address), that address only', async () => {
    const from = '127.0.0.4';
    const client = await newClient('behind a guessing address');
    const countedBefore = await backoffRefusalsCounted('backoff_address');
    const madeUp = Array.from({ length: FREE_ADDRESS_FAILURES + 1 }, () => randomUUID());
    const guesses = [];
    for (const clientId of madeUp) guesses.push(seen(await introspect(clientId, 'guess', from)));
    expect(guesses).toEqual(madeUp.map(() => INVALID_CLIENT));

    expect(seen(await token(client.clientId, client.clientSecret, from))).toEqual(BACKED_OFF);
    expect(seen(await introspect(client.clientId, client.clientSecret, from))).toEqual(BACKED_OFF);
    expect((await token(client.clientId, client.clientSecret, '127.0.0.5')).status).toBe(200);
    // Refused before the claimed client is looked at: no client id in the log.
    const logged = [...madeUp.map((clientId) => `introspect invalid_client unknown_client ${clientId}`), 'token temporarily_unavailable backoff_address null', 'introspect temporarily_unavailable backoff_address null'];
    expect(await refusalsLogged(from, logged.length)).toEqual(logged);
    expect(await backoffRefusalsCounted('backoff_address')).toBe(countedBefore + 1);
  });

  it('backs an address off at introspection after failures at the token endpoint (429 backoff_address)', async () => {
    const from = '127.0.0.6';
    const client = await newClient('introspecting from a guessing address');
    const madeUp = Array.from({ length: FREE_ADDRESS_FAILURES + 1 }, () => randomUUID());
    const guesses = [];
    for (const clientId of madeUp) guesses.push(seen(await token(clientId, 'guess', from)));
    expect(guesses).toEqual(madeUp.map(() => INVALID_CLIENT));

    expect(seen(await introspect(client.clientId, client.clientSecret, from))).toEqual(BACKED_OFF);
    const logged = [...madeUp.map((clientId) => `token invalid_client unknown_client ${clientId}`), 'introspect temporarily_unavailable backoff_address null'];
    expect(await refusalsLogged(from, logged.length)).toEqual(logged);

    await waitForTheBackoff();
    expect((await introspect(client.clientId, client.clientSecret, from)).json()).toEqual({ active: false });
  });
});
