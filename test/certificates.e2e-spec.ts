import {
  createTestDatabase,
  httpRequest,
  OpenSslToolkit,
  removeDir,
  startServerProcess,
  testDatabaseKinds,
  type HttpResponse,
  type ServerProcess,
  type TestDatabase,
} from '@s2s/testing';

const REALM = 'contoso.com';
const PRIVATE_KEY_MARKER = ['PRIVATE', 'KEY'].join(' ');

/**
 * The OAuth token-issuer certificate end to end on the real server over HTTPS: a CSR checked by
 * `openssl req -verify` and completed with a certificate from an openssl test CA, a PFX made by
 * `openssl pkcs12 -export`, the metadata document's x5t checked against `openssl x509 -outform der`,
 * a roll that swaps the published key order at its effective date on the running server, and a
 * restart that keeps it all. No response or log line contains a private key.
 */
describe.each(testDatabaseKinds())('OAuth token-issuer certificate on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  let database: TestDatabase;
  let server: ServerProcess;
  let ca: Buffer;
  let adminKey: string;
  const responses: string[] = [];
  const env = (): Record<string, string> => ({ PUBLIC_URL: 'https://s2s.contoso.com', ...(database.url ? { DATABASE_URL: database.url } : {}) });

  const call = async (path: string, init: { method?: string; body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {}): Promise<HttpResponse> => {
    const headers: Record<string, string> = { ...init.headers };
    const key = init.key === undefined ? adminKey : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await httpRequest(`${server.url}${path}`, { method: init.method, headers, body, ca });
    responses.push(response.text);
    return response;
  };
  const keyOrder = async (): Promise<string[]> => (await call('/metadata/json/1', { key: null })).json().keys.map((key: { keyinfo: { x5t: string } }) => key.keyinfo.x5t);
  const certificateCount = async (): Promise<number> => (await call('/admin/v1/certificates')).json().items.length;

  let requested: { thumbprint: string; certFile: string };
  let imported: { thumbprint: string; certFile: string };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServerProcess({ env: env() });
    ca = (await server.tlsCertificate())!;
    adminKey = await server.bootstrapKey();
  });

  afterAll(async () => {
    await server?.stop();
    if (server) {
      expect(server.output()).not.toContain(PRIVATE_KEY_MARKER);
      await removeDir(server.dataDir);
    }
    await database?.drop();
    openssl.dispose();
  });

  it('publishes an empty key set and is not ready until a certificate is assigned', async () => {
    const metadata = await call('/metadata/json/1', { key: null });
    expect(metadata.status).toBe(200);
    expect(metadata.headers['cache-control']).toBe('public, max-age=300');
    expect(metadata.json()).toMatchObject({ version: '1.0', realm: null, issuer: null, keys: [] });
    expect((await call('/.well-known/jwks.json', { key: null })).json()).toEqual({ keys: [] });
    const ready = await call('/health/ready', { key: null });
    expect(ready.status).toBe(503);
    expect(ready.json().details.oauthTokenIssuerCertificate).toMatchObject({
      status: 'down',
      reason: 'no OAuth token-issuer certificate is assigned: tokens cannot be issued and the metadata document has no keys',
    });
    expect((await call('/admin/v1/oauth-configuration', { method: 'PUT', body: { realm: REALM } })).status).toBe(200);
  });

  it('hands out a CSR that openssl verifies, with the realms as SANs, and completes it with the CA-issued certificate', async () => {
    const created = await call('/admin/v1/certificate-requests', { method: 'POST', body: { realms: [REALM], dnsNames: ['s2s.contoso.com'], subject: 'CN=s2s.contoso.com, O=Contoso' } });
    expect(created.status).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({ status: 'pending', subject: 'CN=s2s.contoso.com, O=Contoso', dnsNames: [REALM, 's2s.contoso.com'], keySizeBits: 2048 });
    const csrFile = openssl.write('service.csr', request.csr);
    openssl.run(['req', '-in', csrFile, '-noout', '-verify']);
    const text = openssl.run(['req', '-in', csrFile, '-noout', '-text']);
    expect(text).toContain('DNS:contoso.com, DNS:s2s.contoso.com');
    expect(text).toMatch(/Subject: O\s*=\s*Contoso, CN\s*=\s*s2s\.contoso\.com/);

    const testCa = openssl.certificateAuthority();
    const foreign = openssl.selfSigned({ cn: 'foreign', dnsNames: [REALM] });
    const refused = await call(`/admin/v1/certificate-requests/${request.id}/complete`, { method: 'POST', body: { certificate: foreign.certificatePem } });
    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'private_key_mismatch',
      message: `the certificate does not carry the public key of request ${request.id}: it was issued for another key`,
      details: [{ field: 'certificate' }],
    });

    const issued = openssl.signCsr(testCa, request.csr);
    const der = openssl.runBinary(['x509', '-in', issued.certFile, '-outform', 'der']);
    const completed = await call(`/admin/v1/certificate-requests/${request.id}/complete`, { method: 'POST', body: { certificate: der.toString('base64'), chain: testCa.certificatePem } });
    expect(completed.status).toBe(201);
    expect(completed.json()).toMatchObject({ thumbprint: openssl.sha1Thumbprint(issued.certFile), source: 'request', chainLength: 1, dnsNames: [REALM, 's2s.contoso.com'], hasPrivateKey: true, assignment: null });
    requested = { thumbprint: completed.json().thumbprint, certFile: issued.certFile };
    expect((await call(`/admin/v1/certificate-requests/${request.id}`)).json()).toMatchObject({ status: 'completed', certificateThumbprint: requested.thumbprint });
  });

  it('imports a PFX made by openssl, refusing the same PFX with a wrong password with nothing stored', async () => {
    const made = openssl.selfSigned({ cn: 'next.contoso.com', dnsNames: [REALM], days: 60 });
    const pfx = openssl.pfx({ certFile: made.certFile, keyFile: made.keyFile, password: 'correct horse' });
    const before = await certificateCount();
    const wrong = await call('/admin/v1/certificates', { method: 'POST', body: { pfx: pfx.toString('base64'), password: 'battery staple' } });
    expect(wrong.status).toBe(422);
    expect(wrong.json()).toMatchObject({
      code: 'wrong_pfx_password',
      message: 'wrong PFX password or corrupted file (MAC check failed)',
      details: [{ field: 'password', message: 'wrong PFX password or corrupted file (MAC check failed)' }],
    });
    expect(await certificateCount()).toBe(before);

    const ok = await call('/admin/v1/certificates', { method: 'POST', body: { pfx: pfx.toString('base64'), password: 'correct horse' } });
    expect(ok.status).toBe(201);
    expect(ok.json()).toMatchObject({ thumbprint: openssl.sha1Thumbprint(made.certFile), source: 'pfx', keyAlgorithm: 'RSA', keySizeBits: 2048, expiresSoon: true });
    imported = { thumbprint: ok.json().thumbprint, certFile: made.certFile };
    expect(await certificateCount()).toBe(before + 1);
  });

  it.each([
    ['an unknown field', { certificate: 'x', privateKey: 'y', extra: 1 }, 422, 'validation_failed'],
    ['a PEM field above 64 KiB', { certificate: 'A'.repeat(70_000), privateKey: 'y' }, 422, 'validation_failed'],
    ['garbage instead of a certificate', { certificate: 'not a certificate', privateKey: 'y' }, 422, 'invalid_certificate'],
    ['pfx and PEM at once', { pfx: 'AAAA', password: '', certificate: 'x' }, 422, 'validation_failed'],
  ])('refuses %s and stores nothing', async (_name, body, status, code) => {
    const before = await certificateCount();
    const response = await call('/admin/v1/certificates', { method: 'POST', body });
    expect(response.status).toBe(status);
    expect(response.json().code).toBe(code);
    expect(await certificateCount()).toBe(before);
  });

  it('refuses an upload larger than the body limit with 413', async () => {
    // Refused on the declared length, before the body is read; only its start is sent, so the client
    // is not still writing when the server closes the connection (which made the test racy).
    const response = await call('/admin/v1/certificates', { method: 'POST', rawBody: '{"pfx":"AAAA', headers: { 'content-length': '2000000' } });
    expect(response.status).toBe(413);
    expect(response.json().code).toBe('payload_too_large');
  });

  it('assigns by a thumbprint typed with spaces in lowercase, and publishes it with the x5t openssl computes', async () => {
    const typed = requested.thumbprint.toLowerCase().match(/.{2}/g)!.join(' ');
    const assigned = await call('/admin/v1/certificate-assignments/oauth-token-issuer', { method: 'PUT', body: { thumbprint: typed } });
    expect(assigned.status).toBe(200);
    expect(assigned.json()).toMatchObject({ type: 'OAuthTokenIssuer', current: { thumbprint: requested.thumbprint }, next: null, previous: null });

    const metadata = (await call('/metadata/json/1', { key: null })).json();
    const serviceName = (await call('/admin/v1/oauth-configuration')).json().serviceName;
    const der = openssl.runBinary(['x509', '-in', requested.certFile, '-outform', 'der']);
    expect(metadata).toEqual({
      id: `_${serviceName}`,
      version: '1.0',
      name: 's2s-trust',
      realm: REALM,
      serviceName,
      issuer: `${serviceName}@${REALM}`,
      allowedAudiences: [`${serviceName}@${REALM}`],
      keys: [{ usage: 'signing', keyinfo: { x5t: openssl.x5t(requested.certFile) }, keyvalue: { type: 'x509Certificate', value: der.toString('base64') } }],
      endpoints: [
        { location: 'https://s2s.contoso.com/metadata/json/1', protocol: 'OAuth2', usage: 'metadata' },
        { location: 'https://s2s.contoso.com/oauth2/token', protocol: 'OAuth2', usage: 'issuance' },
      ],
    });
    const jwks = (await call('/.well-known/jwks.json', { key: null })).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: openssl.x5t(requested.certFile), x5t: openssl.x5t(requested.certFile) });
    expect(jwks.keys[0].x5c[0]).toBe(der.toString('base64'));
    expect(jwks.keys[0].x5c).toHaveLength(2);
    const modulus = openssl.run(['x509', '-in', requested.certFile, '-noout', '-modulus']).trim().split('=')[1]!;
    expect(Buffer.from(jwks.keys[0].n, 'base64url').toString('hex').toUpperCase()).toBe(modulus);

    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const discovery = (await call(path, { key: null })).json();
      expect(discovery).toMatchObject({ issuer: 'https://s2s.contoso.com', jwks_uri: 'https://s2s.contoso.com/.well-known/jwks.json', token_endpoint: 'https://s2s.contoso.com/oauth2/token' });
    }
    expect((await call('/health/ready', { key: null })).status).toBe(200);
  });

  it('answers 304 to a partner that polls with the ETag', async () => {
    const first = await call('/metadata/json/1', { key: null });
    const again = await call('/metadata/json/1', { key: null, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('refuses a roll into the past or beyond the current certificate, storing nothing', async () => {
    const past = await call('/admin/v1/certificate-assignments/oauth-token-issuer', { method: 'PUT', body: { thumbprint: imported.thumbprint, roll: true, effectiveDate: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(422);
    expect(past.json()).toMatchObject({ code: 'invalid_effective_date', message: 'the effective date 2020-01-01T00:00:00.000Z is not in the future' });
    const local = await call('/admin/v1/certificate-assignments/oauth-token-issuer', { method: 'PUT', body: { thumbprint: imported.thumbprint, roll: true, effectiveDate: '2030-01-01T00:00:00' } });
    expect(local.status).toBe(422);
    expect(local.json().details[0].field).toBe('effectiveDate');
    const late = await call('/admin/v1/certificate-assignments/oauth-token-issuer', { method: 'PUT', body: { thumbprint: imported.thumbprint, roll: true, effectiveDate: '2099-01-01T00:00:00Z' } });
    expect(late.json().code).toBe('invalid_effective_date');
    expect((await call('/admin/v1/certificate-assignments/oauth-token-issuer')).json().next).toBeNull();
  });

  it('publishes a rolled certificate at once and swaps the order at the effective date on the running server', async () => {
    const effective = new Date(Date.now() + 6_000);
    effective.setMilliseconds(0);
    const rolled = await call('/admin/v1/certificate-assignments/oauth-token-issuer', {
      method: 'PUT',
      // Seconds ahead, below the 24 h minimum roll lead: allowed with force and a reason.
      body: { thumbprint: imported.thumbprint, roll: true, effectiveDate: effective.toISOString(), force: true, reason: 'test: watch the switch within seconds' },
    });
    expect(rolled.status).toBe(200);
    expect(rolled.json()).toMatchObject({ current: { thumbprint: requested.thumbprint }, next: { thumbprint: imported.thumbprint, effectiveDate: effective.toISOString() } });
    const oldX5t = openssl.x5t(requested.certFile);
    const newX5t = openssl.x5t(imported.certFile);
    expect(await keyOrder()).toEqual([oldX5t, newX5t]);
    const maxAge = Number(/max-age=(\d+)/.exec(String((await call('/metadata/json/1', { key: null })).headers['cache-control']))![1]);
    expect(maxAge).toBeLessThanOrEqual(6);

    while (Date.now() < effective.getTime() + 1_500) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await keyOrder()).toEqual([newX5t, oldX5t]);
    expect((await call('/.well-known/jwks.json', { key: null })).json().keys.map((key: { kid: string }) => key.kid)).toEqual([newX5t, oldX5t]);
    expect((await call('/admin/v1/certificate-assignments/oauth-token-issuer')).json()).toMatchObject({
      current: { thumbprint: imported.thumbprint },
      next: null,
      previous: { thumbprint: requested.thumbprint },
    });
    const events = (await call('/admin/v1/audit-events?action=certificate-assignment.roll-activated')).json().items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorName: 'system', after: { current: imported.thumbprint, previous: requested.thumbprint } });
  });

  it('survives a restart with the same keys published', async () => {
    const before = await keyOrder();
    await server.stop();
    server = await startServerProcess({ env: env(), dataDir: server.dataDir });
    expect(await keyOrder()).toEqual(before);
    expect((await call('/health/ready', { key: null })).status).toBe(200);
  });

  it('refuses to remove an assigned certificate, and removes the previous one from its slot', async () => {
    const assigned = await call(`/admin/v1/certificates/${imported.thumbprint}`, { method: 'DELETE' });
    expect(assigned.status).toBe(409);
    expect(assigned.json()).toMatchObject({ code: 'certificate_assigned', message: `certificate ${imported.thumbprint} is the current OAuth token-issuer certificate` });
    const cleared = await call('/admin/v1/certificate-assignments/oauth-token-issuer/previous', { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect(cleared.json().previous).toBeNull();
    expect(await keyOrder()).toEqual([openssl.x5t(imported.certFile)]);
    const removed = await call(`/admin/v1/certificates/${requested.thumbprint}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect((await call(`/admin/v1/certificates/${requested.thumbprint}`)).status).toBe(404);
  });

  it('never answers with a private key', () => {
    expect(responses.length).toBeGreaterThan(20);
    for (const text of responses) expect(text).not.toContain(PRIVATE_KEY_MARKER);
  });
});
