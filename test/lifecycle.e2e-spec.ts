import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { createSelfSignedCertificate, generateRsaKeyPair } from '@s2s/crypto';
import { createTestDatabase, httpRequest, removeDir, runCli, startServerProcess, testDatabaseKinds, type HttpResponse, type ServerProcess, type TestDatabase } from '@s2s/testing';

interface Installation {
  name: string;
  server: ServerProcess;
  ca: Buffer;
  adminKey: string;
  serviceName: string;
  host: string;
  database: TestDatabase;
}

const DAY = 86_400_000;

/**
 * Issue 16, first half, with two real s2s-trust installations over HTTPS ("conferencing" and "mail",
 * realm contoso.com): `partner-application test` passes every step including the probe at the
 * partner's /s2s/whoami, fails at the download step against a stopped partner and at the keys step
 * for a partner whose only key expired (exit codes 0 / 1); the credential expiry metric, `status`
 * and `/health/ready` show each credential kind; `review` holds a partner's new key until
 * `approve-keys`; an issuer change is held for review end to end.
 */
describe.each(testDatabaseKinds())('trust lifecycle on %s', (kind) => {
  let conferencing: Installation;
  let mail: Installation;

  const admin = async (at: Installation, method: string, path: string, body?: unknown): Promise<any> => {
    const response = await request(at, method, path, body);
    if (response.status >= 300) throw new Error(`${at.name} ${method} ${path}: ${response.status} ${response.text}`);
    return response.json();
  };
  const request = (at: Installation, method: string, path: string, body?: unknown): Promise<HttpResponse> =>
    httpRequest(`${at.server.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${at.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca: at.ca,
    });
  const cli = (at: Installation, ...args: string[]) => runCli(args, { env: { S2S_SERVER: at.server.url, DATA_DIR: at.server.dataDir, CERTS_DIR: at.server.certsDir } });
  const serverEnv = (host: string, database: TestDatabase): Record<string, string> => ({ PUBLIC_URL: `https://${host}`, ...(database.url ? { DATABASE_URL: database.url } : {}) });

  const start = async (name: string, host: string): Promise<Installation> => {
    const database = await createTestDatabase(kind);
    const server = await startServerProcess({ env: serverEnv(host, database) });
    const installation: Installation = { name, server, ca: (await server.tlsCertificate())!, adminKey: await server.bootstrapKey(), serviceName: '', host, database };
    installation.serviceName = (await admin(installation, 'PUT', '/oauth-configuration', { realm: 'contoso.com', publicHost: host })).serviceName;
    const certificate = await admin(installation, 'POST', '/certificates/self-signed', { realms: ['contoso.com'] });
    await admin(installation, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
    return installation;
  };
  const register = (at: Installation, other: Installation, trustLevel: string): Promise<any> =>
    admin(at, 'POST', '/partner-applications', { identity: other.name, metadataUrl: `${other.server.url}/metadata/json/1`, metadataCaBundle: other.ca.toString(), hostAuthority: other.host, trustLevel });
  const restart = async (installation: Installation): Promise<void> => {
    installation.server = await startServerProcess({ dataDir: installation.server.dataDir, env: serverEnv(installation.host, installation.database) });
    installation.ca = (await installation.server.tlsCertificate())!;
  };
  const stepOf = (report: any, name: string): any => report.steps.find((entry: { step: string }) => entry.step === name);

  beforeAll(async () => {
    [conferencing, mail] = await Promise.all([start('conferencing', 'conf.contoso.com'), start('mail', 'mail.contoso.com')]);
    await register(mail, conferencing, 'Full');
    await register(conferencing, mail, 'Full');
  });

  afterAll(async () => {
    for (const installation of [conferencing, mail]) {
      if (!installation) continue;
      await installation.server.stop();
      await removeDir(installation.server.dataDir);
      await installation.database.drop();
    }
  });

  it('partner-application test passes every step against a second installation, including the probe at its /s2s/whoami (exit 0)', async () => {
    const run = await cli(mail, 'partner-application', 'test', 'conferencing', '--user', 'alice@contoso.com', '-o', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ kind: 'partner-application', identity: 'conferencing', passed: true, failedStep: null });
    expect(report.steps.map((entry: { step: string; status: string }) => `${entry.step}:${entry.status}`)).toEqual([
      'dns:pass', 'tls:pass', 'download:pass', 'parse:pass', 'issuer:pass', 'keys:pass', 'clock:pass', 'actor-token:pass', 'outer-token:pass', 'probe:pass',
    ]);
    expect(report.steps.every((entry: { reason: unknown; hint: unknown }) => entry.reason === null && entry.hint === null)).toBe(true);
    expect(report.daysToEarliestKeyExpiry).toBeGreaterThan(300);
    expect(Math.abs(report.clockDifferenceSeconds)).toBeLessThanOrEqual(2);
    // The partner's verdict: it accepted the outer token for alice, sent by mail.
    expect(report.probe).toMatchObject({ url: `${conferencing.server.url}/s2s/whoami`, status: 200, wwwAuthenticate: null, diagnostics: null });
    expect(JSON.parse(report.probe.body)).toMatchObject({ trust: { kind: 'partner', id: 'mail' }, appId: mail.serviceName, user: { upn: 'alice@contoso.com' } });

    const human = await cli(mail, 'partner-application', 'test', 'conferencing');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^partner-application conferencing: every step passed\n/);
    expect(human.stdout).toMatch(/PASS\s+probe/);
    expect(human.stdout).toMatch(/SKIP\s+outer-token\s+not_requested/);
  });

  it('shows the partner\'s refusal at the probe with its X-S2S-Diagnostics, and refuses a probe URL off the partner\'s hosts', async () => {
    await admin(conferencing, 'PATCH', '/partner-applications/mail', { enabled: false });
    try {
      const run = await cli(mail, 'partner-application', 'test', 'conferencing', '-o', 'json');
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ passed: false, failedStep: 'probe' });
      expect(stepOf(report, 'probe')).toMatchObject({ status: 'fail', reason: 'probe_refused' });
      expect(report.probe).toMatchObject({ status: 401, diagnostics: expect.stringMatching(/^partner_disabled; /) });
      expect(report.probe.wwwAuthenticate).toMatch(/^Bearer realm="contoso.com"/);
      expect(run.stderr).toBe('s2sctl: connectivity test of conferencing failed at step probe\n');
    } finally {
      await admin(conferencing, 'PATCH', '/partner-applications/mail', { enabled: true });
    }
    const elsewhere = await admin(mail, 'POST', '/partner-applications/conferencing/test', { probeUrl: 'https://169.254.169.254/latest/meta-data' });
    expect(stepOf(elsewhere, 'probe')).toMatchObject({ status: 'fail', reason: 'probe_url_refused' });
  });

  it('fails at the download step with its reason against a stopped partner (exit 1), and changes nothing', async () => {
    const before = await admin(mail, 'GET', '/partner-applications/conferencing');
    await conferencing.server.stop();
    try {
      const run = await cli(mail, 'partner-application', 'test', 'conferencing', '-o', 'json');
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.passed).toBe(false);
      expect(stepOf(report, 'dns')).toMatchObject({ status: 'pass' });
      expect(stepOf(report, 'download')).toMatchObject({ status: 'fail', reason: 'connection_refused', hint: expect.stringContaining('is the partner running') });
      expect(stepOf(report, 'parse')).toMatchObject({ status: 'skip', reason: 'previous_step_failed' });
      expect(stepOf(report, 'keys')).toMatchObject({ status: 'skip', reason: 'previous_step_failed' });
      expect(stepOf(report, 'probe')).toMatchObject({ status: 'skip', reason: 'previous_step_failed' });
      const probed = await admin(mail, 'POST', '/partner-applications/conferencing/test', { probeUrl: `${conferencing.server.url}/s2s/whoami` });
      expect(stepOf(probed, 'probe')).toMatchObject({ status: 'fail', reason: 'probe_unreachable', detail: expect.stringContaining('ECONNREFUSED') });
      // A test stores nothing: the partner's status and keys are as they were.
      expect(await admin(mail, 'GET', '/partner-applications/conferencing')).toEqual(before);
    } finally {
      await restart(conferencing);
      await admin(mail, 'PATCH', '/partner-applications/conferencing', { metadataUrl: `${conferencing.server.url}/metadata/json/1`, metadataHostAllowList: ['127.0.0.1'], metadataCaBundle: conferencing.ca.toString() });
    }
  });

  it('fails at the keys step for a partner whose only key has expired (exit 1)', async () => {
    const { privateKeyPem } = await generateRsaKeyPair(2048);
    const expired = createSelfSignedCertificate({ privateKeyPem, subject: { commonName: 'retired signing' }, dnsNames: ['retired.contoso.com'], notBefore: new Date(Date.now() - 40 * DAY), validityDays: 10, extendedKeyUsage: [] });
    await admin(mail, 'POST', '/partner-applications', {
      identity: 'retired',
      applicationIdentifier: '4a0c1f6e-8d2b-4c51-9a0e-3b7f5d2c1e90',
      realm: 'contoso.com',
      certificates: [expired],
      hostAuthority: 'retired.contoso.com',
    });
    const run = await cli(mail, 'partner-application', 'test', 'retired', '-o', 'json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ passed: false, failedStep: 'keys' });
    for (const name of ['dns', 'tls', 'download', 'parse', 'issuer']) expect(stepOf(report, name)).toMatchObject({ status: 'skip', reason: 'no_metadata_url' });
    expect(stepOf(report, 'keys')).toMatchObject({ status: 'fail', reason: 'no_valid_key', detail: expect.stringContaining('expired') });
    expect(stepOf(report, 'actor-token')).toMatchObject({ status: 'pass' });
    expect(stepOf(report, 'probe')).toMatchObject({ status: 'skip', reason: 'no_probe_url' });

    // The same with metadata: a partner (here a plain HTTPS server) that publishes only its expired certificate.
    const tlsKey = await generateRsaKeyPair(2048);
    const tlsCertificate = createSelfSignedCertificate({ privateKeyPem: tlsKey.privateKeyPem, subject: { commonName: 'stale partner' }, dnsNames: [], ipAddresses: ['127.0.0.1'], notBefore: new Date(Date.now() - DAY), validityDays: 30, extendedKeyUsage: ['serverAuth'] });
    const stale = createHttpsServer({ key: tlsKey.privateKeyPem, cert: tlsCertificate }, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          issuer: '9d4b2a61-3c7e-4f80-a1b2-c3d4e5f60718@contoso.com',
          realm: 'contoso.com',
          keys: [{ usage: 'signing', keyvalue: { type: 'x509Certificate', value: expired.replace(/-----[^-]+-----|\s/g, '') } }],
        }),
      );
    });
    await new Promise<void>((resolve) => stale.listen(0, '127.0.0.1', resolve));
    try {
      await admin(mail, 'POST', '/partner-applications', { identity: 'stale', metadataUrl: `https://127.0.0.1:${(stale.address() as AddressInfo).port}/metadata/json/1`, metadataCaBundle: tlsCertificate, hostAuthority: 'stale.contoso.com' });
      const staleRun = await cli(mail, 'partner-application', 'test', 'stale', '-o', 'json');
      expect(staleRun.code).toBe(1);
      const staleReport = JSON.parse(staleRun.stdout);
      expect(staleReport.failedStep).toBe('keys');
      for (const name of ['dns', 'tls', 'download', 'parse', 'issuer']) expect(stepOf(staleReport, name)).toMatchObject({ status: 'pass' });
      expect(stepOf(staleReport, 'keys')).toMatchObject({ status: 'fail', reason: 'no_valid_key', hint: expect.stringContaining('current certificate') });
      // Not an s2s-trust installation, and no --probe-url: nothing to probe.
      expect(stepOf(staleReport, 'probe')).toMatchObject({ status: 'skip', reason: 'no_probe_url' });
    } finally {
      await admin(mail, 'DELETE', '/partner-applications/stale').catch(() => undefined);
      stale.closeAllConnections();
      await new Promise((resolve) => stale.close(resolve));
    }
  });

  it('shows every credential kind in the expiry metric and status, and warns in /health/ready while staying ready', async () => {
    const client = await admin(mail, 'POST', '/clients', { displayName: 'expiring app' });
    const secret = await admin(mail, 'POST', `/clients/${client.clientId}/secrets`, { expiresAt: new Date(Date.now() + 20 * DAY).toISOString() });
    const { privateKeyPem } = await generateRsaKeyPair(2048);
    const clientCertificate = createSelfSignedCertificate({ privateKeyPem, subject: { commonName: 'expiring app' }, dnsNames: ['app.contoso.com'], notBefore: new Date(Date.now() - DAY), validityDays: 50, extendedKeyUsage: [] });
    await admin(mail, 'POST', `/clients/${client.clientId}/certificates`, { certificate: clientCertificate });
    const adminKey = await admin(mail, 'POST', '/admin-keys', { name: 'temporary', role: 'reader', expiresAt: new Date(Date.now() + 3 * DAY).toISOString() });
    expect(adminKey.expiresAt).not.toBeNull();
    // An ACS-style OAuth server (a Microsoft JSON metadata document: conferencing's) publishes certificates, so its keys expire.
    await admin(mail, 'POST', '/oauth-servers', { identity: 'conf.acs', metadataUrl: `${conferencing.server.url}/metadata/json/1`, metadataCaBundle: conferencing.ca.toString(), audiences: ['api://mail'] });
    const acsTest = await cli(mail, 'oauth-server', 'test', 'conf.acs', '-o', 'json');
    expect(acsTest.code).toBe(0);
    expect(JSON.parse(acsTest.stdout)).toMatchObject({ passed: true, daysToEarliestKeyExpiry: expect.any(Number) });

    const metrics = await httpRequest(`${mail.server.url}/metrics`, { ca: mail.ca });
    const kinds = new Set([...metrics.text.matchAll(/^s2s_credential_expiry_timestamp_seconds\{kind="([^"]+)"/gm)].map((match) => match[1]));
    expect([...kinds].sort()).toEqual(['admin-key', 'client-certificate', 'client-secret', 'https-certificate', 'oauth-server-key', 'partner-key', 'partner-pinned-certificate', 'token-issuer-certificate']);
    const secretLine = metrics.text.split('\n').find((line) => line.includes(`kind="client-secret",id="${client.clientId}"`));
    expect(Number(secretLine!.split(' ').at(-1))).toBe(Math.floor(Date.parse(secret.expiresAt) / 1000));

    const status = await cli(mail, 'status', '-o', 'json');
    expect(status.code).toBe(0);
    const body = JSON.parse(status.stdout);
    expect(body).toMatchObject({ realm: 'contoso.com', serviceName: mail.serviceName, database: { kind: kind === 'postgres' ? 'postgresql' : 'pglite', reachable: true, pendingMigrations: [] } });
    expect(body.tokenIssuer).toEqual([expect.objectContaining({ slot: 'current', daysLeft: expect.any(Number), effectiveDate: null })]);
    expect(body.credentialWarningDays).toEqual([120, 60, 30, 7]);
    const warned = Object.fromEntries(body.credentialWarnings.map((warning: { kind: string; tier: number }) => [warning.kind, warning.tier]));
    expect(warned).toEqual({ 'partner-pinned-certificate': 0, 'admin-key': 7, 'client-secret': 30, 'client-certificate': 60 });
    expect(body.partners.map((partner: { identity: string; state: string }) => `${partner.identity}:${partner.state}`).sort()).toEqual(['conferencing:ok', 'retired:ok']);
    expect(body.oauthServers).toEqual([expect.objectContaining({ identity: 'conf.acs', state: 'ok', earliestKeyExpiry: expect.any(String), lastGoodFetchAgeSeconds: expect.any(Number) })]);
    // PUBLIC_URL (https://mail.contoso.com) does not resolve here: status says so rather than pretending.
    expect(body.selfMetadata).toMatchObject({ url: 'https://mail.contoso.com/metadata/json/1', ok: false, reason: 'dns_failed' });
    expect(body.instances).toEqual([expect.objectContaining({ self: true, stale: false, processId: mail.server.pid })]);
    const human = await cli(mail, 'status');
    expect(human.stdout).toMatch(/credentials inside their warning window \(120\/60\/30\/7 days\)/);
    expect(human.stdout).toMatch(/partner-pinned-certificate\s+retired\s+\S+\s+\S+\s+-?\d+\s+EXPIRED/);

    const ready = await httpRequest(`${mail.server.url}/health/ready`, { ca: mail.ca });
    expect(ready.status).toBe(200);
    const expiry = ready.json().details.credentialExpiry;
    expect(expiry.status).toBe('up');
    expect(expiry.warnings.map((warning: { kind: string }) => warning.kind).sort()).toEqual(['admin-key', 'client-certificate', 'client-secret', 'partner-pinned-certificate']);
    await admin(mail, 'DELETE', '/partner-applications/retired');
    // Its issuer is conferencing's: OAuth servers are matched before partners, so it goes before the partner tests below.
    await admin(mail, 'DELETE', '/oauth-servers/conf.acs');
  });

  it('status downloads this server\'s own metadata through PUBLIC_URL when that address reaches it', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const database = await createTestDatabase(kind);
    const self = await startServerProcess({ env: { PORT: String(port), PUBLIC_URL: `https://localhost:${port}`, ...(database.url ? { DATABASE_URL: database.url } : {}) } });
    try {
      const at: Installation = { name: 'self', server: self, ca: (await self.tlsCertificate())!, adminKey: await self.bootstrapKey(), serviceName: '', host: `localhost:${port}`, database };
      const serviceName = (await admin(at, 'PUT', '/oauth-configuration', { realm: 'contoso.com' })).serviceName;
      const before = await admin(at, 'GET', '/status');
      // No certificate yet: the document has no key, so it is not a usable metadata document.
      expect(before.selfMetadata).toMatchObject({ url: `https://localhost:${port}/metadata/json/1`, ok: false, reason: 'metadata_invalid' });
      const certificate = await admin(at, 'POST', '/certificates/self-signed', { realms: ['contoso.com'] });
      await admin(at, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
      const after = await admin(at, 'GET', '/status');
      expect(after.selfMetadata).toEqual({ url: `https://localhost:${port}/metadata/json/1`, ok: true, reason: null, detail: `downloaded: 1 key(s), issuer ${serviceName}@contoso.com` });
    } finally {
      await self.stop();
      await removeDir(self.dataDir);
      await database.drop();
    }
  });

  (kind === 'postgres' ? it : it.skip)('lists every instance sharing the database in status, each with its heartbeat', async () => {
    const second = await startServerProcess({ env: { ...serverEnv(mail.host, mail.database), MASTER_KEY_FILE: `${mail.server.dataDir}/master.key` } });
    try {
      const status = await admin(mail, 'GET', '/status');
      expect(status.instances).toHaveLength(2);
      expect(status.instances.map((instance: { processId: number; self: boolean; stale: boolean }) => [instance.processId, instance.self, instance.stale]).sort()).toEqual(
        [[mail.server.pid, true, false], [second.pid, false, false]].sort(),
      );
    } finally {
      await second.stop();
      await removeDir(second.dataDir);
    }
    // A clean shutdown removes its row.
    expect((await admin(mail, 'GET', '/status')).instances.map((instance: { processId: number }) => instance.processId)).toEqual([mail.server.pid]);
  });

  it('with keyChangePolicy review holds a new partner key (key_pending_review) until approve-keys releases it', async () => {
    await cli(mail, 'partner-application', 'set', 'conferencing', '--key-change-policy', 'review').then((run) => expect(run.code).toBe(0));
    const app = await admin(conferencing, 'POST', '/clients', { displayName: 'conferencing app' });
    // Conferencing signs with a new certificate from now on.
    const next = await admin(conferencing, 'POST', '/certificates/self-signed', { realms: ['contoso.com'] });
    await admin(conferencing, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: next.thumbprint });
    const tokenResponse = await httpRequest(`${conferencing.server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'mail' }).toString(),
      ca: conferencing.ca,
    });
    expect(tokenResponse.status).toBe(200);
    const token = tokenResponse.json().access_token as string;

    const refreshed = await admin(mail, 'POST', '/partner-applications/conferencing/refresh');
    expect(refreshed.keyChangePolicy).toBe('review');
    expect(refreshed.pendingKeys.map((key: { x5t: string }) => key.x5t)).toEqual([expect.any(String)]);
    const held = refreshed.pendingKeys[0].x5t;
    expect(refreshed.keys.map((key: { x5t: string }) => key.x5t)).not.toContain(held);
    const refused = await admin(mail, 'POST', '/tokens/validate', { token });
    expect(refused).toMatchObject({ valid: false, reason: 'key_pending_review' });
    expect((await admin(mail, 'GET', '/status')).partners.find((partner: { identity: string }) => partner.identity === 'conferencing')).toMatchObject({ pendingKeys: 1 });
    expect(mail.server.output()).toContain('new partner keys held for review');

    const approved = await cli(mail, 'partner-application', 'approve-keys', 'conferencing', '-o', 'json');
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ pendingKeys: [], keys: expect.arrayContaining([expect.objectContaining({ x5t: held })]) });
    expect(await admin(mail, 'POST', '/tokens/validate', { token })).toMatchObject({ valid: true, trust: { kind: 'partner', id: 'conferencing' } });
    const audit = await admin(mail, 'GET', '/audit-events?action=partner-application.approve-keys');
    expect(audit.items).toEqual([expect.objectContaining({ targetId: 'conferencing', before: expect.objectContaining({ pendingKeys: [held] }), after: expect.objectContaining({ pendingKeys: [] }) })]);
    const again = await request(mail, 'POST', '/partner-applications/conferencing/approve-keys');
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ code: 'no_pending_keys' });
  });

  it('holds an issuer change for review end to end: not applied, flagged in status, and the test fails at the issuer step', async () => {
    const keysBefore = (await admin(mail, 'GET', '/partner-applications/conferencing')).keys;
    await admin(conferencing, 'PUT', '/oauth-configuration?force=true', { serviceName: '0b6f4c2e-1d3a-4e5f-8a9b-7c6d5e4f3a2b' });
    const refreshed = await admin(mail, 'POST', '/partner-applications/conferencing/refresh');
    expect(refreshed.applicationIdentifier).toBe(conferencing.serviceName);
    expect(refreshed.keys).toEqual(keysBefore);
    expect(refreshed.metadataStatus.reviewReason).toMatch(/^the metadata now names 0b6f4c2e-1d3a-4e5f-8a9b-7c6d5e4f3a2b@contoso.com instead of /);
    const audit = await admin(mail, 'GET', '/audit-events?action=partner-application.refresh&limit=1');
    expect(audit.items[0].after.reviewReason).toBe(refreshed.metadataStatus.reviewReason);
    const status = await admin(mail, 'GET', '/status');
    expect(status.partners.find((partner: { identity: string }) => partner.identity === 'conferencing')).toMatchObject({ state: 'review', problem: refreshed.metadataStatus.reviewReason });
    const run = await cli(mail, 'partner-application', 'test', 'conferencing', '-o', 'json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.failedStep).toBe('issuer');
    expect(stepOf(report, 'issuer')).toMatchObject({ status: 'fail', reason: 'issuer_changed', hint: expect.stringContaining('re-create the partner') });
  });
});
