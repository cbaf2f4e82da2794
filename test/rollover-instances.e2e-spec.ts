import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, httpRequest, REPO_ROOT, removeDir, startServerProcess, testDatabaseServerUrl, type ServerProcess, type TestDatabase } from '@s2s/testing';

const OFFSET_CLOCK_SERVER = join(REPO_ROOT, 'test/fixtures/offset-clock.server.mjs');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** SPEC 8: a change made through one instance is applied by all within 2 s. */
const PROPAGATION_MS = 2_000;

/**
 * Automatic renewal on two instances sharing one PostgreSQL database (issue 16): the renewal, the
 * staging and the activation each happen once (the `rollover` lease and the slots' advisory lock),
 * and both instances serve the new metadata within 2 s. Needs TEST_DATABASE_URL (PGlite is one
 * process: one instance per database).
 */
const describeOnPostgres = testDatabaseServerUrl() ? describe : describe.skip;

describeOnPostgres('automatic renewal on two instances of one PostgreSQL database', () => {
  const clockDir = mkdtempSync(join(tmpdir(), 's2s-clock-'));
  const clockFile = join(clockDir, 'offset');
  let offsetMs = 0;
  let database: TestDatabase;
  let instances: ServerProcess[] = [];
  let ca: Buffer[] = [];
  let adminKey: string;

  const setClock = async (offset: number): Promise<void> => {
    offsetMs = offset;
    writeFileSync(clockFile, String(offset));
  };
  const admin = async (index: number, method: string, path: string, body?: unknown): Promise<any> => {
    const response = await httpRequest(`${instances[index]!.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca: ca[index]!,
    });
    if (response.status >= 300) throw new Error(`instance ${index} ${method} ${path}: ${response.status} ${response.text}`);
    return response.json();
  };
  const metadataKeys = async (index: number): Promise<string[]> =>
    (await httpRequest(`${instances[index]!.url}/metadata/json/1`, { ca: ca[index]!, localAddress: '127.0.0.2' })).json().keys.map((key: { keyinfo: { x5t: string } }) => key.keyinfo.x5t);

  /** Polls both instances until each serves `expected`; returns when each first did (machine time). */
  const firstServed = async (expected: string[], timeoutMs = 30_000): Promise<number[]> => {
    const seen: (number | null)[] = [null, null];
    const deadline = Date.now() + timeoutMs;
    while (seen.some((at) => at === null)) {
      if (Date.now() > deadline) throw new Error(`instances did not serve ${expected.join(',')} in time (seen ${JSON.stringify(seen)})`);
      await Promise.all(
        [0, 1].map(async (index) => {
          if (seen[index] !== null) return;
          const keys = await metadataKeys(index);
          if (JSON.stringify(keys) === JSON.stringify(expected)) seen[index] = Date.now();
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return seen as number[];
  };
  /** When the audit event was written, in machine time. */
  const committedAt = (event: { occurredAt: string }): number => new Date(event.occurredAt).getTime() - offsetMs;

  beforeAll(async () => {
    writeFileSync(clockFile, '0');
    database = await createTestDatabase('postgres');
    const env = { DATABASE_URL: database.url!, MASTER_KEY: randomBytes(32).toString('hex'), PUBLIC_URL: 'https://s2s.contoso.com', CLOCK_OFFSET_FILE: clockFile };
    const first = await startServerProcess({ entry: OFFSET_CLOCK_SERVER, env });
    const second = await startServerProcess({ entry: OFFSET_CLOCK_SERVER, env });
    instances = [first, second];
    ca = [(await first.tlsCertificate())!, (await second.tlsCertificate())!];
    adminKey = await first.bootstrapKey();
    await admin(0, 'PUT', '/oauth-configuration', { realm: 'contoso.com' });
    const certificate = await admin(0, 'POST', '/certificates/self-signed', { realms: ['contoso.com'], days: 60 });
    await admin(0, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) {
      await instance.stop();
      await removeDir(instance.dataDir);
    }
    await database?.drop();
    await removeDir(clockDir);
  });

  it('renews once, not twice, and both instances serve the successor within 2 s; it activates once too', async () => {
    const renewed = (await admin(1, 'GET', '/certificate-assignments/oauth-token-issuer')).current;
    await admin(1, 'PUT', '/oauth-configuration', { autoRenew: 'self-signed' });
    expect(await metadataKeys(0)).toEqual([renewed.x5t]);

    await setClock(new Date(renewed.notAfter).getTime() - 30 * DAY + HOUR - Date.now());
    const staged = await (async () => {
      for (;;) {
        const events = (await admin(0, 'GET', '/audit-events?action=certificate-renewal.staged')).items;
        if (events.length) return events[0];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const successor = await admin(0, 'GET', `/certificates/${staged.after.successor}`);
    const served = await firstServed([renewed.x5t, successor.x5t]);
    for (const at of served) expect(at - committedAt(staged)).toBeLessThanOrEqual(PROPAGATION_MS);

    // Both schedulers keep checking (every 250 ms here): still one renewal, one new certificate.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await admin(1, 'GET', '/audit-events?action=certificate-renewal.staged')).items).toHaveLength(1);
    expect((await admin(1, 'GET', '/audit-events?action=certificate.create-self-signed')).items.filter((event: { actorName: string }) => event.actorName === 'system')).toHaveLength(1);
    expect((await admin(1, 'GET', '/certificates')).items).toHaveLength(2);
    expect((await admin(1, 'GET', '/certificate-assignments/oauth-token-issuer')).next).toMatchObject({ thumbprint: successor.thumbprint, activateWhenFetched: true });

    // No partner to wait for: at the effective date the successor becomes current, once, on both.
    await setClock(offsetMs + 25 * HOUR);
    const activated = await (async () => {
      for (;;) {
        const events = (await admin(1, 'GET', '/audit-events?action=certificate-assignment.roll-activated')).items;
        if (events.length) return events[0];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const switched = await firstServed([successor.x5t, renewed.x5t]);
    for (const at of switched) expect(at - committedAt(activated)).toBeLessThanOrEqual(PROPAGATION_MS);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await admin(0, 'GET', '/audit-events?action=certificate-assignment.roll-activated')).items).toHaveLength(1);
  });
});
