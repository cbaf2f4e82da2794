import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  adminApi,
  type AdminApi,
  clientWithRole,
  configureTokenIssuer,
  createTestDatabase,
  httpRequest,
  type HttpResponse,
  removeDir,
  runCli,
  type ServerProcess,
  startServerProcess,
  testDatabaseServerUrl,
  type TestDatabase,
} from '@s2s/testing';

const ISSUER = 'https://s2s.contoso.com';
const API = 'api://webapi';

interface Instance {
  server: ServerProcess;
  ca: Buffer;
  admin: AdminApi;
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the milliseconds it took, or null. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 10): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return null;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/**
 * Issue 17 "Done when": two instances over HTTPS sharing one PostgreSQL database (the same master
 * key, their own TLS certificates), A where changes are made, B where they must be enforced.
 */
const describeOnPostgres = testDatabaseServerUrl() ? describe : describe.skip;
describeOnPostgres('cutting off a compromised credential across two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: Instance;
  let b: Instance;
  let c: Instance | null = null;
  /** A second s2s-trust installation (its own embedded database) federating with A/B as partner "conferencing". */
  let partner: Instance | null = null;
  const masterKey = randomBytes(32).toString('hex');

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PUBLIC_URL: ISSUER,
    DATABASE_URL: database.url!,
    MASTER_KEY: masterKey,
    AUTH_BACKOFF_ADDRESS_FAILURES: '1000',
    ...extra,
  });
  const start = async (adminKey: string | null, extra: Record<string, string> = {}): Promise<Instance> => {
    const server = await startServerProcess({ env: env(extra) });
    const ca = (await server.tlsCertificate())!;
    return { server, ca, admin: adminApi(server, ca, adminKey ?? (await server.bootstrapKey())) };
  };
  const form = (at: Instance, path: string, fields: Record<string, string>, auth: { clientId: string; clientSecret: string }): Promise<HttpResponse> =>
    httpRequest(`${at.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams(fields).toString(),
      ca: at.ca,
    });
  const issue = async (at: Instance, client: { clientId: string; clientSecret: string }): Promise<string> => {
    const response = await form(at, '/oauth2/token', { grant_type: 'client_credentials', resource: API }, client);
    expect(response.status).toBe(200);
    return response.json().access_token as string;
  };
  /** The validator's verdict on `token` at `at`: 'valid' or the reason code (explain mode, admin). */
  const verdict = async (at: Instance, token: string): Promise<string> => {
    const outcome = await at.admin('POST', '/tokens/validate', { token });
    return outcome.valid ? 'valid' : outcome.reason;
  };
  let introspector: { clientId: string; clientSecret: string };
  let adminKey = '';
  /** s2sctl against A: its URL, its bootstrap key and TLS certificate (from its data and certs directories). */
  const cliEnv = (): Record<string, string> => ({ S2S_SERVER: a.server.url, DATA_DIR: a.server.dataDir, CERTS_DIR: a.server.certsDir });
  const active = async (at: Instance, token: string): Promise<boolean> => (await form(at, '/oauth2/introspect', { token }, introspector)).json().active as boolean;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    a = await start(null);
    adminKey = await a.server.bootstrapKey();
    b = await start(adminKey);
    await configureTokenIssuer(a.admin);
    await a.admin('POST', '/resources', { appIdUri: API, roles: [{ value: 'Files.Read.All' }] });
    introspector = await a.admin('POST', '/clients', { displayName: 'introspector' });
  }, 180_000);

  afterAll(async () => {
    for (const instance of [a, b, c, partner]) {
      if (!instance) continue;
      await instance.server.stop();
      await removeDir(instance.server.dataDir);
    }
    await database?.drop();
  }, 60_000);

  it('advertises the revocation endpoint in both discovery documents', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const document = (await httpRequest(`${b.server.url}${path}`, { ca: b.ca })).json();
      expect(document.revocation_endpoint).toBe(`${ISSUER}/oauth2/revoke`);
      expect(document.revocation_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    }
  });

  it('a token issued on A is refused on B once its client is disabled on A (client_disabled), and again once re-enabled', async () => {
    const client = await clientWithRole(a.admin, 'disabled-later', API, 'Files.Read.All');
    const token = await issue(a, client);
    expect(await waitFor(() => active(b, token), 5000)).not.toBeNull();
    await a.admin('PATCH', `/clients/${client.clientId}`, { enabled: false });
    expect(await waitFor(async () => !(await active(b, token)), 2000)).not.toBeNull();
    expect(await verdict(b, token)).toBe('client_disabled');
    await a.admin('PATCH', `/clients/${client.clientId}`, { enabled: true });
    expect(await waitFor(() => active(b, token), 2000)).not.toBeNull();
    await a.admin('DELETE', `/clients/${client.clientId}`);
    expect(await waitFor(async () => (await verdict(b, token)) === 'client_removed', 2000)).not.toBeNull();
  });

  it('removing the secret a token was issued with refuses it on B (credential_revoked); a token of the other secret still works', async () => {
    const client = await clientWithRole(a.admin, 'two-secrets', API, 'Files.Read.All');
    const second = await a.admin('POST', `/clients/${client.clientId}/secrets`, {});
    const fromFirst = await issue(a, client);
    const fromSecond = await issue(a, { clientId: client.clientId, clientSecret: second.clientSecret });
    const registration = await a.admin('GET', `/clients/${client.clientId}`);
    const firstSecretId = registration.secrets.find((secret: { id: string }) => secret.id !== second.id).id as string;
    await a.admin('DELETE', `/clients/${client.clientId}/secrets/${firstSecretId}`);
    expect(await waitFor(async () => (await verdict(b, fromFirst)) === 'credential_revoked', 2000)).not.toBeNull();
    expect(await active(b, fromFirst)).toBe(false);
    expect(await verdict(b, fromSecond)).toBe('valid');
    expect(await active(b, fromSecond)).toBe(true);
  });

  it('RFC 7009: revoked on A, refused on B (token_revoked); another client\'s token and an unknown token answer 200 and change nothing', async () => {
    const owner = await clientWithRole(a.admin, 'owner', API, 'Files.Read.All');
    const stranger = await clientWithRole(a.admin, 'stranger', API, 'Files.Read.All');
    const token = await issue(a, owner);
    const auditBefore = (await a.admin('GET', '/audit-events?action=token.revoke')).items.length;

    const foreign = await form(a, '/oauth2/revoke', { token }, stranger);
    expect([foreign.status, foreign.text]).toEqual([200, '']);
    const unknown = await form(a, '/oauth2/revoke', { token: 'not-a-token' }, owner);
    expect([unknown.status, unknown.text]).toEqual([200, '']);
    expect((await a.admin('GET', '/audit-events?action=token.revoke')).items.length).toBe(auditBefore);
    expect(await verdict(b, token)).toBe('valid');

    const wrongSecret = await form(a, '/oauth2/revoke', { token }, { clientId: owner.clientId, clientSecret: 'wrong' });
    expect([wrongSecret.status, wrongSecret.json().error]).toEqual([401, 'invalid_client']);
    expect(await verdict(b, token)).toBe('valid');

    const revoked = await form(a, '/oauth2/revoke', { token, token_type_hint: 'access_token' }, owner);
    expect([revoked.status, revoked.headers['cache-control']]).toEqual([200, 'no-store']);
    expect(await verdict(a, token)).toBe('token_revoked');
    expect(await waitFor(async () => (await verdict(b, token)) === 'token_revoked', 2000)).not.toBeNull();
    // The resource-server guard (here /s2s/whoami) refuses it too, naming the reason.
    const whoami = await httpRequest(`${b.server.url}/s2s/whoami`, { headers: { authorization: `Bearer ${token}` }, ca: b.ca });
    expect(whoami.status).toBe(401);
    expect(String(whoami.headers['x-s2s-diagnostics'])).toMatch(/^token_revoked;/);
    const events = (await a.admin('GET', '/audit-events?action=token.revoke')).items;
    expect(events.length).toBe(auditBefore + 1);
    expect(events[0]).toMatchObject({ actorName: `client ${owner.clientId}`, targetType: 'token' });
    // Revoking again: still 200, nothing new.
    expect((await form(a, '/oauth2/revoke', { token }, owner)).status).toBe(200);
    expect((await a.admin('GET', '/audit-events?action=token.revoke')).items.length).toBe(auditBefore + 1);
  });

  it('admin: s2sctl token revoke TOKEN and --jti ID; a token that is not ours is refused with token_not_revocable', async () => {
    const client = await clientWithRole(a.admin, 'admin-revoked', API, 'Files.Read.All');
    const [byToken, byJti] = [await issue(a, client), await issue(a, client)];
    const cli = (args: string[]) => runCli([...args, '-o', 'json'], { env: cliEnv() });
    const first = await cli(['token', 'revoke', byToken]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ revoked: true });
    const again = await cli(['token', 'revoke', byToken]);
    expect([again.code, JSON.parse(again.stdout).revoked]).toEqual([0, false]);
    const jti = JSON.parse(Buffer.from(byJti.split('.')[1]!, 'base64url').toString()).jti as string;
    const second = await cli(['token', 'revoke', '--jti', jti]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ jti, revoked: true });
    for (const token of [byToken, byJti]) expect(await waitFor(async () => (await verdict(b, token)) === 'token_revoked', 2000)).not.toBeNull();
    const refused = await httpRequest(`${a.server.url}/admin/v1/tokens/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'eyJhbGciOiJub25lIn0.e30.' }),
      ca: a.ca,
    });
    expect([refused.status, refused.json().code]).toEqual([422, 'token_not_revocable']);
  });

  it('not-before: s2sctl client revoke-tokens refuses the client\'s earlier tokens on B (revoked_by_not_before), new ones are accepted; audited', async () => {
    const client = await clientWithRole(a.admin, 'not-before', API, 'Files.Read.All');
    const old = await issue(a, client);
    const run = await runCli(['client', 'revoke-tokens', client.clientId, '-o', 'json'], { env: cliEnv() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ subjectType: 'client', subjectId: client.clientId });
    expect(await waitFor(async () => (await verdict(b, old)) === 'revoked_by_not_before', 2000)).not.toBeNull();
    // Marks are whole seconds rounded up: a token from the next second on is accepted.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await verdict(b, await issue(a, client))).toBe('valid');
    const events = (await a.admin('GET', `/audit-events?action=client.revoke-tokens&targetId=${client.clientId}`)).items;
    expect(events).toHaveLength(1);
    const missing = await runCli(['client', 'revoke-tokens', '00000000-0000-4000-8000-000000000000'], { env: cliEnv() });
    expect(missing.code).not.toBe(0);
  });

  it('back-off: the failure budget is shared, failures on A count on B (429 with Retry-After)', async () => {
    const client = await clientWithRole(a.admin, 'guessed', API, 'Files.Read.All');
    const guess = (at: Instance): Promise<HttpResponse> => form(at, '/oauth2/token', { grant_type: 'client_credentials', resource: API }, { clientId: client.clientId, clientSecret: 'guess' });
    for (let i = 0; i < 3; i++) expect((await guess(a)).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await guess(b)).status).toBe(401);
    // The 6th failure (on A) starts a wait: B refuses at once, and the right secret too.
    expect((await guess(a)).status).toBe(401);
    const refused = await waitFor(async () => (await guess(b)).status === 429, 2000, 5);
    expect(refused).not.toBeNull();
    const right = await form(b, '/oauth2/token', { grant_type: 'client_credentials', resource: API }, client);
    expect(right.status).toBe(429);
    expect(right.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(Number(right.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const metrics = (await httpRequest(`${b.server.url}/metrics`, { ca: b.ca })).text;
    expect(metrics).toMatch(/s2s_authentication_failures_total\{endpoint="token",subject="client"\} [1-9]/);
    expect(metrics).toMatch(/s2s_authentication_backoff_refusals_total\{endpoint="token",subject="client"\} [1-9]/);
  });

  it('back-off for admin keys: failures on A count on B; 429 too_many_requests with Retry-After, then the key works again', async () => {
    const spare = await a.admin('POST', '/admin-keys', { name: 'spare', role: 'reader' });
    const [, id] = (spare.key as string).split('.');
    const adminCall = (at: Instance, key: string): Promise<HttpResponse> =>
      httpRequest(`${at.server.url}/admin/v1/oauth-configuration`, { headers: { authorization: `Bearer ${key}` }, ca: at.ca });
    const wrong = `s2sk.${id}.${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i++) expect((await adminCall(a, wrong)).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await adminCall(b, wrong)).status).toBe(401);
    const refused = await adminCall(b, spare.key);
    expect([refused.status, refused.json().code]).toEqual([429, 'too_many_requests']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await adminCall(a, spare.key)).status).toBe(429);
    // Another key is not affected; the wait is time-boxed.
    expect((await adminCall(a, adminKey)).status).toBe(200);
    expect(await waitFor(async () => (await adminCall(b, spare.key)).status === 200, 5000, 200)).not.toBeNull();
    const metrics = (await httpRequest(`${a.server.url}/metrics`, { ca: a.ca })).text;
    expect(metrics).toMatch(/s2s_authentication_failures_total\{endpoint="admin",subject="admin-key"\} [1-9]/);
  });

  it('not-before for a partner: s2sctl partner-application revoke-tokens refuses its earlier actor tokens on B, new ones are accepted', async () => {
    const server = await startServerProcess({ env: { PUBLIC_URL: 'https://conf.contoso.com', MASTER_KEY: randomBytes(32).toString('hex') } });
    const ca = (await server.tlsCertificate())!;
    partner = { server, ca, admin: adminApi(server, ca, await server.bootstrapKey()) };
    await partner.admin('PUT', '/oauth-configuration', { realm: 'contoso.com', publicHost: 'conf.contoso.com' });
    const certificate = await partner.admin('POST', '/certificates/self-signed', { realms: ['contoso.com'] });
    await partner.admin('PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
    await partner.admin('POST', '/partner-applications', { identity: 'mail', metadataUrl: `${a.server.url}/metadata/json/1`, metadataCaBundle: a.ca.toString(), hostAuthority: 's2s.contoso.com', trustLevel: 'Full' });
    await a.admin('POST', '/partner-applications', { identity: 'conferencing', metadataUrl: `${server.url}/metadata/json/1`, metadataCaBundle: ca.toString(), hostAuthority: 'conf.contoso.com', trustLevel: 'Full' });
    const app = await partner.admin('POST', '/clients', { displayName: 'conferencing app' });
    const actorToken = async (): Promise<string> => {
      const response = await form(partner!, '/oauth2/token', { grant_type: 'client_credentials', resource: 'mail' }, app);
      expect(response.status).toBe(200);
      return response.json().access_token as string;
    };
    const old = await actorToken();
    expect(await waitFor(async () => (await verdict(b, old)) === 'valid', 5000)).not.toBeNull();
    const run = await runCli(['partner-application', 'revoke-tokens', 'conferencing', '-o', 'json'], { env: cliEnv() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ subjectType: 'partner', subjectId: 'conferencing' });
    expect(await waitFor(async () => (await verdict(b, old)) === 'revoked_by_not_before', 2000)).not.toBeNull();
    expect(await verdict(a, old)).toBe('revoked_by_not_before');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await verdict(b, await actorToken())).toBe('valid');
    expect((await a.admin('GET', '/audit-events?action=partner.revoke-tokens')).items[0]).toMatchObject({ targetType: 'partner', targetId: 'conferencing' });
  });

  it('propagation: 50 changes on A, each enforced on B; p99 < 1 s (LISTEN/NOTIFY), printed', async () => {
    const client = await clientWithRole(a.admin, 'propagation', API, 'Files.Read.All');
    const tokens: string[] = [];
    for (let i = 0; i < 50; i++) tokens.push(await issue(a, client));
    const delays: number[] = [];
    for (const token of tokens) {
      const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
      await a.admin('POST', '/tokens/revoke', { jti });
      const took = await waitFor(async () => (await verdict(b, token)) === 'token_revoked', 5000, 2);
      expect(took).not.toBeNull();
      delays.push(took!);
    }
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);
    process.stdout.write(`propagation A -> B over 50 revocations: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms\n`);
    expect(p99).toBeLessThan(1000);
  });

  it('the fallback poll still converges when NOTIFY is off (CHANGE_NOTIFY=off on a third instance), and a lost listener re-subscribes', async () => {
    c = await start(adminKey, { CHANGE_NOTIFY: 'off' });
    const client = await clientWithRole(a.admin, 'fallback', API, 'Files.Read.All');
    const token = await issue(a, client);
    expect(await waitFor(async () => (await verdict(c!, token)) === 'valid', 5000)).not.toBeNull();
    await a.admin('POST', '/tokens/revoke', { token });
    const took = await waitFor(async () => (await verdict(c!, token)) === 'token_revoked', 3000, 20);
    expect(took).not.toBeNull();
    process.stdout.write(`fallback poll (no NOTIFY): enforced after ${took!.toFixed(0)} ms\n`);

    // Cut every listening connection (A's and B's): they re-subscribe and reload; B is fast again afterwards.
    const pgClient = new pg.Client({ connectionString: database.url! });
    await pgClient.connect();
    try {
      const cut = await pgClient.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 's2s-trust-listen' AND datname = current_database()`);
      expect(cut.rowCount).toBe(2);
    } finally {
      await pgClient.end();
    }
    const resubscribed = (at: Instance): boolean => at.server.output().includes('listening for change notifications again');
    expect(await waitFor(async () => resubscribed(a) && resubscribed(b), 10_000, 50)).not.toBeNull();
    expect(b.server.output()).toContain('change notification connection lost; re-subscribing');
    const later = await issue(a, client);
    await a.admin('POST', '/tokens/revoke', { token: later });
    const afterResubscribe = await waitFor(async () => (await verdict(b, later)) === 'token_revoked', 1000, 2);
    expect(afterResubscribe).not.toBeNull();
    process.stdout.write(`after the listening connections were cut and re-subscribed: enforced on B after ${afterResubscribe!.toFixed(1)} ms\n`);
  });


  it('emergency roll: tokens of the old key refused at once on A and B (key_withdrawn), the old key gone from both metadata documents, audited with the reason', async () => {
    const client = await clientWithRole(a.admin, 'before-the-leak', API, 'Files.Read.All');
    const old = await issue(a, client);
    const oldX5t = JSON.parse(Buffer.from(old.split('.')[0]!, 'base64url').toString()).x5t as string;
    const replacement = await a.admin('POST', '/certificates/self-signed', { realms: ['contoso.com'] });
    const missingReason = await runCli(['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', replacement.thumbprint, '--emergency'], { env: cliEnv() });
    expect(missingReason.code).not.toBe(0);
    expect(missingReason.stderr).toContain('--emergency needs --reason');
    expect(await verdict(b, old)).toBe('valid');

    const reason = 'signing key copied to a public share, ticket 4711';
    const run = await runCli(['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', replacement.thumbprint, '--emergency', '--reason', reason, '-o', 'json'], { env: cliEnv() });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const slots = JSON.parse(run.stdout);
    expect(slots.current.thumbprint).toBe(replacement.thumbprint);
    expect(slots.previous).toBeNull();
    expect(await verdict(a, old)).toBe('key_withdrawn');
    expect(await waitFor(async () => (await verdict(b, old)) === 'key_withdrawn', 1000, 5)).not.toBeNull();
    for (const at of [a, b]) {
      expect(await waitFor(async () => {
        const metadata = await httpRequest(`${at.server.url}/metadata/json/1`, { ca: at.ca });
        const jwks = await httpRequest(`${at.server.url}/.well-known/jwks.json`, { ca: at.ca });
        return !metadata.text.includes(oldX5t) && !jwks.text.includes(oldX5t) && metadata.headers['cache-control'] === 'no-cache' && jwks.headers['cache-control'] === 'no-cache';
      }, 1000, 5)).not.toBeNull();
    }
    expect(await verdict(b, await issue(a, client))).toBe('valid');
    const event = (await a.admin('GET', '/audit-events?action=certificate-assignment.emergency-roll')).items[0];
    expect(event.after).toMatchObject({ current: replacement.thumbprint, reason });
    expect(event.before.current).toBeDefined();
  });
});
