import {
  createTestDatabase,
  httpRequest,
  removeDir,
  startServerProcess,
  testDatabaseKinds,
  type HttpResponse,
  type ServerProcess,
  type TestDatabase,
} from '@s2s/testing';

interface Installation {
  name: string;
  server: ServerProcess;
  ca: Buffer;
  adminKey: string;
  serviceName: string;
  host: string;
  database: TestDatabase;
}

/**
 * Two s2s-trust installations in realm contoso.com ("conferencing" and "mail") register each other
 * as partner applications by metadata URL over verified HTTPS, then exchange S2S actor tokens both
 * ways: app-only accepted; user delegation accepted only for trust level Full; a disabled partner
 * refused; a metadata outage keeps the last known good keys.
 */
describe.each(testDatabaseKinds())('two installations federating on %s', (kind) => {
  let conferencing: Installation;
  let mail: Installation;

  const admin = async (at: Installation, method: string, path: string, body?: unknown): Promise<any> => {
    const response = await httpRequest(`${at.server.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${at.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca: at.ca,
    });
    if (response.status >= 300) throw new Error(`${at.name} ${method} ${path}: ${response.status} ${response.text}`);
    return response.json();
  };
  const form = (at: Installation, path: string, fields: Record<string, string>, auth: { clientId: string; clientSecret: string }): Promise<HttpResponse> =>
    httpRequest(`${at.server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams(fields).toString(),
      ca: at.ca,
    });

  const start = async (name: string, host: string): Promise<Installation> => {
    const database = await createTestDatabase(kind);
    const server = await startServerProcess({ env: { PUBLIC_URL: `https://${host}`, ...(database.url ? { DATABASE_URL: database.url } : {}) } });
    const installation: Installation = { name, server, ca: (await server.tlsCertificate())!, adminKey: await server.bootstrapKey(), serviceName: '', host, database };
    const configuration = await admin(installation, 'PUT', '/oauth-configuration', { realm: 'contoso.com', publicHost: host });
    installation.serviceName = configuration.serviceName;
    const certificate = await admin(installation, 'POST', '/certificates/self-signed', { realms: ['contoso.com'] });
    await admin(installation, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
    return installation;
  };
  /** `at` registers `other` as a partner by its metadata URL, trusting other's TLS certificate. */
  const register = (at: Installation, other: Installation, trustLevel: string): Promise<any> =>
    admin(at, 'POST', '/partner-applications', {
      identity: other.name,
      metadataUrl: `${other.server.url}/metadata/json/1`,
      metadataCaBundle: other.ca.toString(),
      hostAuthority: other.host,
      trustLevel,
    });

  let conferencingApp: { clientId: string; clientSecret: string };
  let mailApp: { clientId: string; clientSecret: string };
  let mailIntrospector: { clientId: string; clientSecret: string };
  let conferencingIntrospector: { clientId: string; clientSecret: string };

  const actorToken = async (from: Installation, app: { clientId: string; clientSecret: string }, partner: string, user?: Record<string, string>): Promise<HttpResponse> =>
    form(from, '/oauth2/token', { grant_type: 'client_credentials', resource: partner, ...user }, app);
  const introspect = async (at: Installation, token: string, introspector: { clientId: string; clientSecret: string }): Promise<any> => {
    const response = await form(at, '/oauth2/introspect', { token }, introspector);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    return response.json();
  };
  const explain = (at: Installation, token: string): Promise<any> => admin(at, 'POST', '/tokens/validate', { token });

  beforeAll(async () => {
    [conferencing, mail] = await Promise.all([start('conferencing', 'conf.contoso.com'), start('mail', 'mail.contoso.com')]);
    conferencingApp = await admin(conferencing, 'POST', '/clients', { displayName: 'conferencing app', actAsUsers: true });
    mailApp = await admin(mail, 'POST', '/clients', { displayName: 'mail app' });
    mailIntrospector = await admin(mail, 'POST', '/clients', { displayName: 'mail resource server' });
    conferencingIntrospector = await admin(conferencing, 'POST', '/clients', { displayName: 'conferencing resource server' });
  });

  afterAll(async () => {
    for (const installation of [conferencing, mail]) {
      if (!installation) continue;
      await installation.server.stop();
      await removeDir(installation.server.dataDir);
      await installation.database.drop();
    }
  });

  it('refuses to register a partner whose metadata cannot be downloaded, storing nothing', async () => {
    const response = await httpRequest(`${mail.server.url}/admin/v1/partner-applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mail.adminKey}`, 'content-type': 'application/json' },
      // No CA bundle: the other server's self-signed certificate is not trusted.
      body: JSON.stringify({ identity: 'conferencing', metadataUrl: `${conferencing.server.url}/metadata/json/1`, hostAuthority: 'conf.contoso.com' }),
      ca: mail.ca,
    });
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({ code: 'metadata_unavailable', message: expect.stringContaining('the metadata document could not be downloaded from the metadata URL or is not a valid metadata document') });
    expect((await admin(mail, 'GET', '/partner-applications')).items).toEqual([]);
  });

  it('registers each other by metadata URL, with least-privilege trust by default', async () => {
    const onMail = await register(mail, conferencing, 'Application');
    expect(onMail).toMatchObject({ identity: 'conferencing', applicationIdentifier: conferencing.serviceName, realm: 'contoso.com', trustLevel: 'Application', enabled: true });
    expect(onMail.keys).toHaveLength(1);
    expect(onMail.metadataStatus.lastSuccessAt).not.toBeNull();
    // Conferencing lets its clients send users to mail: Full on its side.
    await register(conferencing, mail, 'Full');
  });

  it('exchanges app-only actor tokens both ways', async () => {
    const toMail = await actorToken(conferencing, conferencingApp, 'mail');
    expect(toMail.status).toBe(200);
    const token = toMail.json().access_token;
    const [header, payload] = token.split('.').slice(0, 2).map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256', x5t: expect.any(String) });
    expect(payload).toEqual({
      aud: `${mail.serviceName}/mail.contoso.com@contoso.com`,
      iss: `${conferencing.serviceName}@contoso.com`,
      nameid: `${conferencingApp.clientId}@contoso.com`,
      nbf: expect.any(Number),
      exp: payload.nbf + 43_200,
    });
    expect(await introspect(mail, token, mailIntrospector)).toMatchObject({ active: true, trust: { kind: 'partner', id: 'conferencing' }, app_id: conferencingApp.clientId, user: null });

    const toConferencing = await actorToken(mail, mailApp, 'conferencing');
    expect(toConferencing.status).toBe(200);
    expect(await introspect(conferencing, toConferencing.json().access_token, conferencingIntrospector)).toMatchObject({ active: true, trust: { kind: 'partner', id: 'mail' } });
  });

  it('refuses a user token from a partner with trust level Application, and accepts it once the partner is Full', async () => {
    const response = await actorToken(conferencing, conferencingApp, 'mail', { upn: 'alice@contoso.com' });
    expect(response.status).toBe(200);
    const outer = response.json().access_token as string;
    expect(outer.endsWith('.')).toBe(true);
    const refused = await explain(mail, outer);
    expect(refused).toMatchObject({ valid: false, reason: 'delegation_not_allowed' });
    expect(refused.checks.at(-1)).toMatchObject({ check: 'trust-level', passed: false });
    expect(await introspect(mail, outer, mailIntrospector)).toEqual({ active: false });

    await admin(mail, 'PATCH', '/partner-applications/conferencing', { trustLevel: 'Full' });
    const accepted = await introspect(mail, outer, mailIntrospector);
    expect(accepted).toMatchObject({ active: true, trust: { kind: 'partner', id: 'conferencing' }, user: { nameid: 'alice@contoso.com', upn: 'alice@contoso.com' } });
  });

  it('refuses everything from a disabled partner at once', async () => {
    const token = (await actorToken(conferencing, conferencingApp, 'mail')).json().access_token;
    await admin(mail, 'PATCH', '/partner-applications/conferencing', { enabled: false });
    const refused = await explain(mail, token);
    expect(refused).toMatchObject({ valid: false, reason: 'partner_disabled', key: null });
    await admin(mail, 'PATCH', '/partner-applications/conferencing', { enabled: true });
    expect((await explain(mail, token)).valid).toBe(true);
  });

  it('explains an accepted token: every check, the key, the metadata age and the clock difference', async () => {
    const token = (await actorToken(conferencing, conferencingApp, 'mail')).json().access_token;
    const explained = await explain(mail, token);
    expect(explained).toMatchObject({
      valid: true,
      trust: { kind: 'partner', id: 'conferencing' },
      key: { found: true, source: 'partner conferencing metadata' },
      issuerMetadataFetchedAt: expect.any(String),
      clockDifferenceSeconds: expect.any(Number),
    });
    expect(explained.checks.every((check: { passed: boolean }) => check.passed)).toBe(true);
    expect(explained.checks.map((check: { check: string }) => check.check)).toEqual(
      expect.arrayContaining(['format', 'issuer-class', 'algorithm', 'issuer', 'partner-enabled', 'key', 'signature', 'audience', 'expiry', 'lifetime', 'nameid', 'actor-claims', 'trust-level']),
    );
  });

  it('lets a partner check its token at GET /s2s/whoami, and challenges a missing or refused token', async () => {
    const token = (await actorToken(conferencing, conferencingApp, 'mail')).json().access_token;
    const whoami = (authorization?: string) => httpRequest(`${mail.server.url}/s2s/whoami`, { headers: authorization ? { authorization } : {}, ca: mail.ca });
    const accepted = await whoami(`Bearer ${token}`);
    expect(accepted.status).toBe(200);
    expect(accepted.json()).toMatchObject({ trust: { kind: 'partner', id: 'conferencing' }, appId: conferencingApp.clientId });

    const missing = await whoami();
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(
      `Bearer realm="contoso.com", client_id="${mail.serviceName}", trustedissuers="${mail.serviceName}@contoso.com,${conferencing.serviceName}@contoso.com"`,
    );
    const forged = await whoami(`Bearer ${token.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.headers['www-authenticate']).toMatch(/, error="invalid_token"$/);
    expect(forged.headers['x-s2s-diagnostics']).toBe('signature_invalid; reason="the signature does not verify with the partner\'s key"');
    expect(forged.json()).toEqual({ error: 'invalid_token', error_description: "the signature does not verify with the partner's key" });
  });

  it('keeps the last known good keys when the partner metadata URL is down', async () => {
    const token = (await actorToken(conferencing, conferencingApp, 'mail')).json().access_token;
    const dataDir = conferencing.server.dataDir;
    await conferencing.server.stop();
    try {
      const refreshed = await admin(mail, 'POST', '/partner-applications/conferencing/refresh');
      expect(refreshed.keys).toHaveLength(1);
      expect(refreshed.metadataStatus.lastError).toMatch(/could not be reached/);
      expect((await explain(mail, token)).valid).toBe(true);
    } finally {
      conferencing.server = await startServerProcess({ dataDir, env: { PUBLIC_URL: 'https://conf.contoso.com', ...(conferencing.database.url ? { DATABASE_URL: conferencing.database.url } : {}) } });
      conferencing.ca = (await conferencing.server.tlsCertificate())!;
    }
  });
});
