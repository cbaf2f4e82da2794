import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  httpRequest,
  REPO_ROOT,
  removeDir,
  runCli,
  startServerProcess,
  type CliResult,
  type HttpResponse,
  type ServerProcess,
  type TestDatabase,
} from '@s2s/testing';

/** Starts the built server with a clock = machine time + the offset in a file the test writes (an injected clock for a real process). */
const OFFSET_CLOCK_SERVER = join(REPO_ROOT, 'test/fixtures/offset-clock.server.mjs');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Actor tokens live 12 h, validators allow 5 min of skew, other instances learn of a switch within a minute: the previous certificate stays that long after a switch. */
const LONGEST_TOKEN_MS = 43_200_000 + 300_000 + 60_000;
const TEST_AGENT = 'rollover-e2e/1.0';

interface Installation {
  name: string;
  server: ServerProcess;
  ca: Buffer;
  caFile: string;
  adminKey: string;
  host: string;
  database: TestDatabase;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * Rollover safety, evidence, the activation gate, automatic removal of the previous certificate and
 * automatic self-signed renewal (issue 16), with two real s2s-trust installations over HTTPS:
 * "conferencing" (ours, the one that rolls) and "mail" (the partner that validates our tokens).
 * Both run with one injected clock (an offset file), so a day passes in a moment for both.
 */
describe('certificate rollover that never breaks a partner', () => {
  const clockDir = mkdtempSync(join(tmpdir(), 's2s-clock-'));
  const clockFile = join(clockDir, 'offset');
  let offsetMs = 0;
  let conferencing: Installation;
  let mail: Installation;
  let conferencingApp: { clientId: string; clientSecret: string };
  let mailIntrospector: { clientId: string; clientSecret: string };

  /** Moves the shared clock and waits until both processes read it (they poll the file every 100 ms). */
  const setClock = async (offset: number): Promise<void> => {
    offsetMs = offset;
    writeFileSync(clockFile, String(offset));
    await new Promise((resolve) => setTimeout(resolve, 400));
  };
  const fakeNow = (): Date => new Date(Date.now() + offsetMs);

  const admin = async (at: Installation, method: string, path: string, body?: unknown): Promise<any> => {
    const response = await adminResponse(at, method, path, body);
    if (response.status >= 300) throw new Error(`${at.name} ${method} ${path}: ${response.status} ${response.text}`);
    return response.json();
  };
  const adminResponse = (at: Installation, method: string, path: string, body?: unknown): Promise<HttpResponse> =>
    httpRequest(`${at.server.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${at.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca: at.ca,
    });
  const cli = (at: Installation, args: string[]): Promise<CliResult> =>
    runCli(args, { env: { S2S_SERVER: at.server.url, S2S_ADMIN_KEY: at.adminKey, S2S_CA_FILE: at.caFile } });
  const cliJson = async (at: Installation, args: string[]): Promise<any> => {
    const result = await cli(at, [...args, '-o', 'json']);
    if (result.code !== 0) throw new Error(`s2sctl ${args.join(' ')}: ${result.code} ${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  const form = (at: Installation, path: string, fields: Record<string, string>, auth: { clientId: string; clientSecret: string }): Promise<HttpResponse> =>
    httpRequest(`${at.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams(fields).toString(),
      ca: at.ca,
    });
  const slots = (): Promise<any> => admin(conferencing, 'GET', '/certificate-assignments/oauth-token-issuer');
  const status = (): Promise<any> => cliJson(conferencing, ['certificate', 'status']);
  const auditActions = async (action: string): Promise<any[]> => (await admin(conferencing, 'GET', `/audit-events?action=${action}`)).items;
  /** Our metadata, fetched by the test from 127.0.0.2 (not the partner's address) with its own user agent. */
  const ourMetadataKeys = async (at: Installation = conferencing): Promise<string[]> => {
    const response = await httpRequest(`${at.server.url}/metadata/json/1`, { ca: at.ca, localAddress: '127.0.0.2', headers: { 'user-agent': TEST_AGENT } });
    return response.json().keys.map((key: { keyinfo: { x5t: string } }) => key.keyinfo.x5t);
  };
  const metric = async (name: string): Promise<number | null> => {
    const text = (await httpRequest(`${conferencing.server.url}/metrics`, { ca: conferencing.ca })).text;
    const line = text.split('\n').find((row) => row.startsWith(`${name} `));
    return line === undefined ? null : Number(line.split(' ')[1]);
  };

  /** One token from us for mail, introspected by mail: what a partner sees. */
  const tokenRoundTrip = async (): Promise<{ active: boolean; x5t: string; detail: string }> => {
    const issued = await form(conferencing, '/oauth2/token', { grant_type: 'client_credentials', resource: 'mail' }, conferencingApp);
    if (issued.status !== 200) return { active: false, x5t: '', detail: `issue ${issued.status} ${issued.text}` };
    const token: string = issued.json().access_token;
    const x5t = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).x5t as string;
    const verdict = await form(mail, '/oauth2/introspect', { token }, mailIntrospector);
    return { active: verdict.status === 200 && verdict.json().active === true, x5t, detail: verdict.text };
  };

  const start = async (name: string, host: string): Promise<Installation> => {
    const database = await createTestDatabase('pglite');
    const server = await startServerProcess({ entry: OFFSET_CLOCK_SERVER, env: { PUBLIC_URL: `https://${host}`, CLOCK_OFFSET_FILE: clockFile } });
    const installation: Installation = { name, server, ca: (await server.tlsCertificate())!, caFile: join(server.certsDir, 'localhost-tls.crt'), adminKey: await server.bootstrapKey(), host, database };
    await admin(installation, 'PUT', '/oauth-configuration', { realm: 'contoso.com', publicHost: host });
    const certificate = await admin(installation, 'POST', '/certificates/self-signed', { realms: ['contoso.com'], days: 60 });
    await admin(installation, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
    return installation;
  };
  const register = (at: Installation, other: Installation): Promise<any> =>
    admin(at, 'POST', '/partner-applications', {
      identity: other.name,
      metadataUrl: `${other.server.url}/metadata/json/1`,
      metadataCaBundle: other.ca.toString(),
      hostAuthority: other.host,
      trustLevel: 'Full',
    });

  beforeAll(async () => {
    writeFileSync(clockFile, '0');
    [conferencing, mail] = await Promise.all([start('conferencing', 'conf.contoso.com'), start('mail', 'mail.contoso.com')]);
    // Mail re-reads partner metadata weekly: within this test only an explicit refresh makes it fetch ours.
    await admin(mail, 'PUT', '/oauth-configuration', { metadataRefreshIntervalSeconds: 604_800 });
    await register(mail, conferencing);
    await register(conferencing, mail);
    conferencingApp = await admin(conferencing, 'POST', '/clients', { displayName: 'conferencing app' });
    mailIntrospector = await admin(mail, 'POST', '/clients', { displayName: 'mail resource server' });
    expect(await tokenRoundTrip()).toMatchObject({ active: true });
  }, 120_000);

  afterAll(async () => {
    for (const installation of [conferencing, mail]) {
      if (!installation) continue;
      await installation.server.stop();
      await removeDir(installation.server.dataDir);
      await installation.database.drop();
    }
    await removeDir(clockDir);
  });

  let first: string;
  let second: string;

  it('refuses a roll with less than the minimum lead (24 h) unless forced with a reason, which the audit keeps', async () => {
    first = (await slots()).current.thumbprint;
    second = (await admin(conferencing, 'POST', '/certificates/self-signed', { realms: ['contoso.com'], days: 60 })).thumbprint;
    const soon = new Date(fakeNow().getTime() + 2 * HOUR).toISOString();

    const refused = await cli(conferencing, ['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', second, '--roll', '--effective-date', soon]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/roll_lead_too_short/);
    expect(refused.stderr).toMatch(/less than the minimum roll lead of 24h 0m/);
    const viaApi = await adminResponse(conferencing, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: second, roll: true, effectiveDate: soon });
    expect(viaApi.status).toBe(422);
    expect(viaApi.json()).toMatchObject({ code: 'roll_lead_too_short', details: [{ field: 'effectiveDate' }] });
    const noReason = await adminResponse(conferencing, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: second, roll: true, effectiveDate: soon, force: true });
    expect(noReason.status).toBe(422);
    expect(noReason.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'reason' }] });
    const noForce = await cli(conferencing, ['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', second, '--roll', '--effective-date', soon, '--force']);
    expect(noForce.code).toBe(2);
    expect(noForce.stderr).toMatch(/--force needs --reason/);
    // Nothing changed.
    expect((await slots()).next).toBeNull();
    expect(await auditActions('certificate-assignment.roll')).toEqual([]);

    // A shorter minimum is a setting; a forced roll is audited with its reason.
    const configured = await cliJson(conferencing, ['oauth-configuration', 'get']);
    expect(configured.minimumRollLeadSeconds).toBe(86_400);
    const forced = await cliJson(conferencing, ['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', second, '--roll', '--effective-date', soon, '--force', '--reason', 'change 4711: lab partner only']);
    expect(forced.next).toMatchObject({ thumbprint: second, effectiveDate: soon });
    const [audited] = await auditActions('certificate-assignment.roll');
    expect(audited.after).toMatchObject({ next: second, forced: true, reason: 'change 4711: lab partner only' });
  });

  it('evidence lists the partner server\'s download after publication, not the one before, and unknown fetchers apart', async () => {
    // Mail downloaded our metadata when it registered us (before this publication). Re-stage with a proper lead and the gate.
    const effective = new Date(fakeNow().getTime() + 25 * HOUR);
    effective.setUTCMilliseconds(0);
    const staged = await cliJson(conferencing, [
      'certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', second, '--roll', '--effective-date', effective.toISOString(), '--activate-when-fetched',
    ]);
    expect(staged.next).toMatchObject({ thumbprint: second, activateWhenFetched: true, deadline: new Date(effective.getTime() + 7 * DAY).toISOString() });
    expect(await ourMetadataKeys()).toHaveLength(2);

    const before = await status();
    expect(before.rollState).toBe('staged');
    expect(before.evidence.partners).toEqual([expect.objectContaining({ identity: 'mail', fetched: false, lastFetchAt: null, addresses: ['127.0.0.1'] })]);
    expect(before.evidence.allPartnersFetched).toBe(false);
    expect(before.evidence.unknownFetchers).toEqual([expect.objectContaining({ sourceAddress: '127.0.0.2', userAgent: TEST_AGENT, documents: ['metadata'] })]);
    // Extra source addresses of a partner count too; anything but an IP address is refused.
    const refused = await adminResponse(conferencing, 'PATCH', '/partner-applications/mail', { sourceAddresses: ['mail.contoso.com'] });
    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'validation_failed', details: [{ field: 'sourceAddresses', message: 'mail.contoso.com is not an IPv4 or IPv6 address' }] });
    expect((await cliJson(conferencing, ['partner-application', 'set', 'mail', '--source-address', '127.0.0.2'])).sourceAddresses).toEqual(['127.0.0.2']);
    const withTestAddress = await status();
    expect(withTestAddress.evidence.partners[0]).toMatchObject({ fetched: true, addresses: ['127.0.0.2', '127.0.0.1'], userAgents: [TEST_AGENT] });
    expect(withTestAddress.evidence.unknownFetchers).toEqual([]);
    expect((await cliJson(conferencing, ['partner-application', 'set', 'mail', '--source-address', 'none'])).sourceAddresses).toEqual([]);
    expect((await status()).evidence.partners[0].fetched).toBe(false);

    const human = await cli(conferencing, ['certificate', 'status']);
    expect(human.stdout).toMatch(/^\s*mail\s+NO\s/m);
    expect(human.stdout).toMatch(/127\.0\.0\.2\s+rollover-e2e\/1\.0/);

    // The partner's download after publication (its refresh) is listed.
    const published = new Date(before.evidence.since);
    await admin(mail, 'POST', '/partner-applications/conferencing/refresh');
    const after = await waitFor('the partner download in the evidence', async () => {
      const current = await status();
      return current.evidence.partners[0].fetched ? current : null;
    });
    expect(new Date(after.evidence.partners[0].lastFetchAt).getTime()).toBeGreaterThanOrEqual(published.getTime());
    // Counts are hourly: the hour of publication also counts the registration download before it.
    expect(after.evidence.partners[0]).toMatchObject({ identity: 'mail', downloads: expect.any(Number), userAgents: [''] });
    expect(after.evidence.partners[0].downloads).toBeGreaterThanOrEqual(1);
    expect(after.evidence.allPartnersFetched).toBe(true);
    expect((await cli(conferencing, ['certificate', 'status'])).stdout).toMatch(/^\s*mail\s+yes\s/m);
  });

  it('the activation gate holds the switch while the partner has not fetched, raising the alert, and switches once it has', async () => {
    // A new roll is a new publication: mail's earlier download no longer counts.
    const third = (await admin(conferencing, 'POST', '/certificates/self-signed', { realms: ['contoso.com'], days: 60 })).thumbprint;
    const effective = new Date(fakeNow().getTime() + 25 * HOUR);
    await admin(conferencing, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: third, roll: true, effectiveDate: effective.toISOString(), activateWhenFetched: true });
    expect((await status()).evidence.partners[0].fetched).toBe(false);

    await setClock(offsetMs + 25 * HOUR + 2 * 60_000);
    await waitFor('the gate to wait for mail', async () => (await status()).rollState === 'waiting-for-partners');
    const [alert] = await waitFor('the waiting alert in the audit log', async () => {
      const events = await auditActions('certificate-assignment.activation-waiting');
      return events.length ? events : null;
    });
    expect(alert).toMatchObject({ actorName: 'system', after: { next: third, waitingFor: ['mail'] } });
    expect(await metric('s2s_token_issuer_activation_waiting')).toBe(1);
    expect(conferencing.server.output()).toMatch(/waits for partners to fetch the metadata \(activation gate\)/);
    // Held: several scheduler checks later, still current = first, and tokens still signed by it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await slots()).current.thumbprint).toBe(first);
    expect(await auditActions('certificate-assignment.activation-waiting')).toHaveLength(1);
    const held = await tokenRoundTrip();
    expect(held.active).toBe(true);

    await admin(mail, 'POST', '/partner-applications/conferencing/refresh');
    const switched = await waitFor('the gated roll to activate', async () => {
      const current = await slots();
      return current.current?.thumbprint === third ? current : null;
    });
    expect(switched.previous.thumbprint).toBe(first);
    const [activated] = await auditActions('certificate-assignment.roll-activated');
    expect(activated).toMatchObject({ actorName: 'system', after: { current: third, activation: 'every enabled partner fetched the metadata since publication' } });
    expect(await metric('s2s_token_issuer_activation_waiting')).toBe(0);
    const after = await tokenRoundTrip();
    expect(after.active).toBe(true);
    expect(after.x5t).toBe((await admin(conferencing, 'GET', `/certificates/${third}`)).x5t);
    second = third;
  });

  it('removes the previous certificate once the longest token lifetime has passed after the switch, never earlier', async () => {
    const removalAt = new Date((await slots()).previousRemovalAt);
    const switchedAt = new Date((await auditActions('certificate-assignment.roll-activated'))[0].occurredAt);
    expect(removalAt.getTime() - switchedAt.getTime()).toBeGreaterThanOrEqual(LONGEST_TOKEN_MS - 1_000);
    expect(removalAt.getTime() - switchedAt.getTime()).toBeLessThanOrEqual(LONGEST_TOKEN_MS + 1_000);

    await setClock(offsetMs + (removalAt.getTime() - fakeNow().getTime()) - 5 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await slots()).previous?.thumbprint).toBe(first);

    await setClock(offsetMs + 10 * 60_000);
    await waitFor('the previous certificate to be removed', async () => (await slots()).previous === null);
    const [removed] = await auditActions('certificate-assignment.previous-removed');
    expect(removed).toMatchObject({ actorName: 'system', before: { previous: first }, after: { previous: null } });
    expect(await ourMetadataKeys()).toHaveLength(1);
  });

  it('renews itself (self-signed): stages, publishes, activates and removes the old one while mail validates every token', async () => {
    const renewed = second;
    const current = await admin(conferencing, 'GET', `/certificates/${renewed}`);
    const results = { accepted: 0, refused: [] as string[], kids: new Set<string>() };
    let paused = false;
    let stopped = false;
    let inFlight = Promise.resolve();
    const loop = (async () => {
      while (!stopped) {
        if (paused) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        inFlight = tokenRoundTrip().then((result) => {
          if (result.active) results.accepted++;
          else results.refused.push(result.detail);
          results.kids.add(result.x5t);
        });
        await inFlight;
      }
    })();
    /** The clock jumps only between round trips (a token issued before a jump of hours would expire across it, not because of the roll). */
    const jump = async (ms: number): Promise<void> => {
      paused = true;
      await inFlight;
      await setClock(offsetMs + ms);
      paused = false;
    };

    try {
      const configured = await cliJson(conferencing, ['oauth-configuration', 'set', '--auto-renew', 'self-signed', '--renew-before', '30d']);
      expect(configured).toMatchObject({ autoRenew: 'self-signed', renewBeforeSeconds: 2_592_000 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await slots()).next).toBeNull();

      // 30 days before the current certificate expires: a successor is made and staged, published at once.
      await jump(new Date(current.notAfter).getTime() - 30 * DAY + HOUR - fakeNow().getTime());
      const staged = await waitFor('the automatic renewal to stage a successor', async () => {
        const value = await slots();
        return value.next ? value : null;
      });
      const successor = staged.next.thumbprint;
      expect(staged.next).toMatchObject({ activateWhenFetched: true, dnsNames: ['contoso.com'] });
      // The minimum lead (24 h) and a minute.
      const lead = new Date(staged.next.effectiveDate).getTime() - new Date(staged.next.publishedAt).getTime();
      expect(lead).toBeGreaterThanOrEqual(86_400_000);
      expect(lead).toBeLessThanOrEqual(86_400_000 + 61_000);
      const made = await admin(conferencing, 'GET', `/certificates/${successor}`);
      expect(made).toMatchObject({ source: 'self-signed', keySizeBits: current.keySizeBits });
      expect(await auditActions('certificate-renewal.staged')).toEqual([expect.objectContaining({ actorName: 'system', after: expect.objectContaining({ mode: 'self-signed', renews: renewed, successor }) })]);
      expect((await auditActions('certificate.create-self-signed'))[0]).toMatchObject({ actorName: 'system', targetId: successor });
      expect(await ourMetadataKeys()).toEqual([current.x5t, made.x5t]);
      expect((await status()).renewal).toMatchObject({ mode: 'self-signed', renewsThumbprint: renewed, successorThumbprint: successor, state: 'staged' });

      // Mail's periodic refresh picks up the published successor; then the effective date passes.
      await admin(mail, 'POST', '/partner-applications/conferencing/refresh');
      await jump(25 * HOUR);
      await waitFor('the successor to become current', async () => (await slots()).current?.thumbprint === successor);
      await waitFor('tokens signed by the successor', async () => results.kids.has(made.x5t));

      // Every token the old certificate signed has expired: it leaves the metadata.
      await jump(LONGEST_TOKEN_MS + 2 * 60_000);
      await waitFor('the renewed certificate to be removed from the previous slot', async () => (await slots()).previous === null);
      expect(await ourMetadataKeys()).toEqual([made.x5t]);
      const accepted = results.accepted;
      await waitFor('more round trips after the roll', async () => results.accepted >= accepted + 5);
    } finally {
      stopped = true;
      await loop;
    }
    expect(results.refused).toEqual([]);
    expect(results.accepted).toBeGreaterThan(20);
    expect(results.kids).toEqual(new Set([current.x5t, (await slots()).current.x5t]));
  });
});
