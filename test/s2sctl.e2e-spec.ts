import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, REPO_ROOT, removeDir, runCli, startServerProcess, testDatabaseKinds, type ServerProcess, type TestDatabase } from '@s2s/testing';

/**
 * The real `s2sctl` against the real server over HTTPS, using the operator defaults: the bootstrap
 * key from DATA_DIR and the server's self-signed certificate from CERTS_DIR.
 */
describe.each(testDatabaseKinds())('s2sctl against a server on %s', (kind) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, { env });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    server = await startServerProcess({ env: database.url ? { DATABASE_URL: database.url } : {} });
    env = { S2S_SERVER: server.url, DATA_DIR: server.dataDir, CERTS_DIR: server.certsDir };
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (server) await removeDir(server.dataDir);
  });

  it('sets and gets the OAuth configuration with the bootstrap key', async () => {
    const set = await cli('oauth-configuration', 'set', '--realm', 'contoso.com', '--clock-skew', '2m', '--public-host', 's2s.contoso.com');
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/^realm\s+contoso\.com$/m);

    const get = await cli('oauth-configuration', 'get', '-o', 'json');
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ realm: 'contoso.com', clockSkewSeconds: 120, publicHost: 's2s.contoso.com' });
  });

  it('fails with one line and exit code 1 on a rejected value, changing nothing', async () => {
    const bad = await cli('oauth-configuration', 'set', '--realm', 'Contoso.com');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('s2sctl: invalid OAuth configuration: realm: must be lowercase (validation_failed, HTTP 422)\n');
    expect(JSON.parse((await cli('oauth-configuration', 'get', '-o', 'json')).stdout).realm).toBe('contoso.com');
  });

  it('creates a reader key that can read but not write, lists keys without secrets, and revokes', async () => {
    const created = await cli('admin-key', 'create', '--name', 'auditor', '--role', 'reader', '-o', 'json');
    expect(created.code).toBe(0);
    const reader = JSON.parse(created.stdout) as { id: string; key: string; role: string };
    expect(reader).toMatchObject({ role: 'reader', key: expect.stringMatching(/^s2sk\./) });

    expect((await cli('oauth-configuration', 'get', '--admin-key', reader.key)).code).toBe(0);
    const denied = await cli('oauth-configuration', 'set', '--clock-skew', '1m', '--admin-key', reader.key);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe('s2sctl: the admin API key "auditor" has role reader, which may only read (forbidden, HTTP 403)\n');

    const list = await cli('admin-key', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+ROLE/m);
    expect(list.stdout).toMatch(new RegExp(`^${reader.id}\\s+auditor\\s+reader\\s.*active$`, 'm'));
    expect(list.stdout).not.toContain(reader.key.split('.')[2]);

    const revoke = await cli('admin-key', 'revoke', reader.id);
    expect(revoke.code).toBe(0);
    const afterRevoke = await cli('oauth-configuration', 'get', '--admin-key', reader.key);
    expect(afterRevoke.code).toBe(1);
    expect(afterRevoke.stderr).toBe('s2sctl: the admin API key is not valid (unauthorized, HTTP 401)\n');
  });

  it('shows every change in the audit log', async () => {
    const audit = await cli('audit', 'list', '--action', 'oauth-configuration.update', '-o', 'json');
    expect(audit.code).toBe(0);
    const events = JSON.parse(audit.stdout).items as { actorName: string; after: { realm: string } }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorName: 'bootstrap', after: { realm: 'contoso.com', clockSkewSeconds: 120 } });
    const table = await cli('audit', 'list');
    expect(table.stdout).toMatch(/^TIME\s+ACTION\s+TARGET\s+ACTOR\s+REQUEST-ID$/m);
    expect(table.stdout).toMatch(/admin-key\.revoke/);
  });

  it('refuses an untrusted server certificate with a hint, and reports an unreachable server', async () => {
    const untrusted = await runCli(['oauth-configuration', 'get'], { env: { ...env, CERTS_DIR: join(server.dataDir, 'nowhere') } });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^s2sctl: cannot verify the TLS certificate of https:\/\/127\.0\.0\.1:\d+: .*pass --ca-file/);
    const unreachable = await runCli(['oauth-configuration', 'get', '--server', 'https://127.0.0.1:1'], { env });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^s2sctl: cannot reach https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});

describe('npx s2sctl', () => {
  it('runs through the package bin and prints help for every command group', () => {
    const help = spawnSync('npx', ['--no-install', 's2sctl', '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: s2sctl');
    for (const group of ['oauth-configuration', 'admin-key', 'audit']) expect(help.stdout).toContain(group);
  });
});
