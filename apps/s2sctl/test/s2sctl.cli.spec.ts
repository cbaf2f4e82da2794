import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TlsStubServer } from './tls-stub.server.js';

/**
 * Runs the built CLI (`npm run build` first; `npm test` does it) as a child process against a
 * stub admin API over real TLS, and checks what a user or script sees: stdout, stderr, exit code
 * and the HTTP requests that were sent.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist/apps/s2sctl/src/main.js');
const LAUNCHER = join(ROOT, 'apps/s2sctl/bin/s2sctl.js');
const KEY = 's2sk.e2e-secret-admin-key';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const CONFIGURATION = {
  serviceName: '00000004-0000-0ff1-ce00-000000000000',
  realm: 'contoso.com',
  publicHost: 's2s.contoso.com',
  actorTokenLifetimeSeconds: 43200,
  outerTokenLifetimeSeconds: 300,
  accessTokenLifetimeSeconds: 3600,
  clockSkewSeconds: 300,
  metadataRefreshIntervalSeconds: 3600,
  minimumRollLeadSeconds: 86400,
  autoRenew: 'off',
  renewBeforeSeconds: 2592000,
  updatedAt: '2025-01-31T12:00:00.000Z',
};

describe('s2sctl (built CLI)', () => {
  let stub: TlsStubServer;
  let cwd: string;
  let caFile: string;

  /** A clean environment: nothing inherited from the developer's S2S_* variables. */
  const run = (args: readonly string[], env: Record<string, string> = {}, entry = MAIN): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [entry, ...args], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  /** The usual invocation: stub server, its CA, key from the environment. */
  const runAgainstStub = (args: readonly string[]): Promise<CliResult> =>
    run([...args, '--server', stub.url, '--ca-file', caFile], { S2S_ADMIN_KEY: KEY });

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before these tests`);
    stub = await TlsStubServer.start();
    cwd = mkdtempSync(join(tmpdir(), 's2sctl-cli-'));
    caFile = join(cwd, 'server-ca.pem');
    writeFileSync(caFile, stub.certificate.cert);
  });
  afterAll(async () => {
    await stub.close();
    rmSync(cwd, { recursive: true, force: true });
  });
  beforeEach(() => stub.reset());

  describe('--help', () => {
    const COMMANDS: readonly (readonly [string, string])[] = [
      ['', 'Administer an s2s-trust server'],
      ['oauth-configuration', 'Show or change the OAuth configuration'],
      ['oauth-configuration get', 'Show the OAuth configuration'],
      ['oauth-configuration set', '--actor-token-lifetime <duration>'],
      ['admin-key', 'Create, list and revoke admin API keys'],
      ['admin-key create', '--role <role>'],
      ['admin-key list', 'List admin API keys'],
      ['admin-key revoke', 'ID of the key to revoke'],
      ['audit', 'Read the audit log'],
      ['audit list', '--target-type <type>'],
    ];

    // Each run boots Nest (about a second); start them all at once instead of one per test.
    const results = new Map<string, Promise<CliResult>>();
    beforeAll(() => {
      for (const [path] of COMMANDS) results.set(path, run([...(path ? path.split(' ') : []), '--help']));
    });

    it.each(COMMANDS)('s2sctl %s --help describes the command and the global options', async (path, expected) => {
      const result = await results.get(path)!;
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.startsWith(`Usage: s2sctl${path ? ` ${path}` : ''} `)).toBe(true);
      expect(result.stdout).toContain(expected);
      for (const option of ['--server <url>', '--admin-key <key>', '--admin-key-file <path>', '--ca-file <pem>', '-o, --output <format>']) {
        expect(result.stdout).toContain(option);
      }
    });

    it('works through the npx launcher (apps/s2sctl/bin/s2sctl.js)', async () => {
      const result = await run(['admin-key', '--help'], {}, LAUNCHER);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain('Usage: s2sctl admin-key');
    });
  });

  describe('oauth-configuration', () => {
    it('get -o json prints exactly the response body, pretty-printed, and authenticates with the key', async () => {
      stub.on('GET', '/admin/v1/oauth-configuration', { status: 200, body: CONFIGURATION });
      const result = await runAgainstStub(['oauth-configuration', 'get', '-o', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(CONFIGURATION, null, 2)}\n`, stderr: '' });
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0]).toMatchObject({ method: 'GET', path: '/admin/v1/oauth-configuration' });
      expect(stub.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    });

    it('get accepts the global options before the subcommand and uses the bootstrap key file from DATA_DIR', async () => {
      stub.on('GET', '/admin/v1/oauth-configuration', { status: 200, body: { ...CONFIGURATION, publicHost: null } });
      mkdirSync(join(cwd, 'state'), { recursive: true });
      writeFileSync(join(cwd, 'state', 'bootstrap-admin.key'), 's2sk.bootstrap\n');
      try {
        const result = await run(['--server', stub.url, '--ca-file', caFile, 'oauth-configuration', 'get'], { DATA_DIR: 'state' });
        expect(result.code).toBe(0);
        expect(result.stderr).toBe('');
        expect(result.stdout.split('\n')).toEqual([
          'service-name               00000004-0000-0ff1-ce00-000000000000',
          'realm                      contoso.com',
          'public-host                (not set)',
          'actor-token-lifetime       12h (43200s)',
          'outer-token-lifetime       5m (300s)',
          'access-token-lifetime      1h (3600s)',
          'clock-skew                 5m (300s)',
          'metadata-refresh-interval  1h (3600s)',
          'minimum-roll-lead          1d (86400s)',
          'auto-renew                 off',
          'renew-before               30d (2592000s)',
          'updated-at                 2025-01-31T12:00:00.000Z',
          '',
        ]);
        expect(stub.requests[0].headers.authorization).toBe('Bearer s2sk.bootstrap');
      } finally {
        rmSync(join(cwd, 'state'), { recursive: true, force: true });
      }
    });

    it('set sends only the given fields, durations in seconds, and force=true; global options may follow command options', async () => {
      stub.on('PUT', '/admin/v1/oauth-configuration', { status: 200, body: { ...CONFIGURATION, realm: 'fabrikam.com' } });
      const result = await run(
        ['oauth-configuration', 'set', '--realm', 'fabrikam.com', '--actor-token-lifetime', '1d', '--clock-skew', '90', '--access-token-lifetime', '5m', '--force', '--server', stub.url, '--ca-file', caFile, '-o', 'json'],
        { S2S_ADMIN_KEY: KEY },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ ...CONFIGURATION, realm: 'fabrikam.com' });
      expect(stub.requests).toHaveLength(1);
      const [request] = stub.requests;
      expect(request.method).toBe('PUT');
      expect(request.path).toBe('/admin/v1/oauth-configuration');
      expect(request.query.toString()).toBe('force=true');
      expect(JSON.parse(request.body)).toEqual({
        realm: 'fabrikam.com',
        actorTokenLifetimeSeconds: 86400,
        accessTokenLifetimeSeconds: 300,
        clockSkewSeconds: 90,
      });
    });

    it('set without --force sends no query string', async () => {
      stub.on('PUT', '/admin/v1/oauth-configuration', { status: 200, body: CONFIGURATION });
      const result = await runAgainstStub(['oauth-configuration', 'set', '--public-host', 's2s.contoso.com']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('public-host                s2s.contoso.com\n');
      expect(stub.requests[0].query.toString()).toBe('');
      expect(JSON.parse(stub.requests[0].body)).toEqual({ publicHost: 's2s.contoso.com' });
    });

    it('set rejects a bad duration with one line naming the option, exit 2, and no request', async () => {
      const result = await runAgainstStub(['oauth-configuration', 'set', '--clock-skew', '5 minutes']);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr:
          "s2sctl: option '--clock-skew <duration>' argument '5 minutes' is invalid. Expected a whole number with an optional unit s, m, h or d, e.g. 90, 90s, 5m, 12h, 1d.\n",
      });
      expect(stub.requests).toHaveLength(0);
    });

    it('set with nothing to change is a usage error', async () => {
      const result = await runAgainstStub(['oauth-configuration', 'set', '--force']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^s2sctl: nothing to change: .*\n$/);
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(stub.requests).toHaveLength(0);
    });

    it('prints an API validation error as one line with details, code and status, exit 1', async () => {
      stub.on('PUT', '/admin/v1/oauth-configuration', {
        status: 422,
        body: {
          code: 'validation_failed',
          message: 'request validation failed',
          details: [{ field: 'realm', message: 'must be a lowercase DNS name or GUID' }],
          requestId: 'r-1',
        },
      });
      const result = await runAgainstStub(['oauth-configuration', 'set', '--realm', 'Not Valid']);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 's2sctl: request validation failed: realm: must be a lowercase DNS name or GUID (validation_failed, HTTP 422)\n',
      });
    });
  });

  describe('admin-key', () => {
    const CREATED = {
      id: '6f1c2d3e-0000-4000-8000-000000000001',
      name: 'ci',
      role: 'reader',
      createdAt: '2025-01-31T12:00:00.000Z',
      key: 's2sk.new-key-shown-once',
    };

    it('create defaults to the reader role and prints the key alone on a line with a shown-once note', async () => {
      stub.on('POST', '/admin/v1/admin-keys', { status: 201, body: CREATED });
      const result = await runAgainstStub(['admin-key', 'create', '--name', 'ci']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(JSON.parse(stub.requests[0].body)).toEqual({ name: 'ci', role: 'reader' });
      expect(stub.requests[0].headers['content-type']).toBe('application/json');
      const lines = result.stdout.split('\n');
      expect(lines).toContain('s2sk.new-key-shown-once');
      expect(lines).toContain('id          6f1c2d3e-0000-4000-8000-000000000001');
      expect(result.stdout).toMatch(/shown only once/);
    });

    it('create --role admin -o json prints the body as-is', async () => {
      stub.on('POST', '/admin/v1/admin-keys', { status: 201, body: { ...CREATED, role: 'admin' } });
      const result = await runAgainstStub(['admin-key', 'create', '--name', 'ops', '--role', 'admin', '-o', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify({ ...CREATED, role: 'admin' }, null, 2)}\n`, stderr: '' });
      expect(JSON.parse(stub.requests[0].body)).toEqual({ name: 'ops', role: 'admin' });
    });

    it('create rejects an unknown role before calling the server', async () => {
      const result = await runAgainstStub(['admin-key', 'create', '--name', 'x', '--role', 'root']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("s2sctl: option '--role <role>' argument 'root' is invalid. Allowed choices are admin, reader.\n");
      expect(stub.requests).toHaveLength(0);
    });

    it('create sends --expires as expiresAt and prints it', async () => {
      stub.on('POST', '/admin/v1/admin-keys', { status: 201, body: { id: 'k9', name: 'temp', role: 'reader', createdAt: '2025-01-01T00:00:00Z', lastUsedAt: null, revokedAt: null, expiresAt: '2025-02-01T00:00:00.000Z', key: 's2sk.k9.secret' } });
      const result = await runAgainstStub(['admin-key', 'create', '--name', 'temp', '--expires', '2025-02-01T00:00:00Z']);
      expect(result.code).toBe(0);
      expect(JSON.parse(stub.requests[0].body)).toEqual({ name: 'temp', role: 'reader', expiresAt: '2025-02-01T00:00:00.000Z' });
      expect(result.stdout).toContain('expires-at  2025-02-01T00:00:00.000Z\n');
    });

    it('list prints a table with a status column', async () => {
      stub.on('GET', '/admin/v1/admin-keys', {
        status: 200,
        body: {
          items: [
            { id: 'k1', name: 'bootstrap', role: 'admin', createdAt: '2025-01-01T00:00:00Z', lastUsedAt: '2025-01-31T00:00:00Z', revokedAt: null, expiresAt: null },
            { id: 'k2', name: 'old', role: 'reader', createdAt: '2025-01-02T00:00:00Z', lastUsedAt: null, revokedAt: '2025-01-03T00:00:00Z', expiresAt: null },
            { id: 'k3', name: 'temp', role: 'reader', createdAt: '2025-01-02T00:00:00Z', lastUsedAt: null, revokedAt: null, expiresAt: '2025-02-01T00:00:00Z' },
          ],
        },
      });
      const result = await runAgainstStub(['admin-key', 'list']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        [
          'ID  NAME       ROLE    CREATED               LAST-USED             EXPIRES               STATUS',
          'k1  bootstrap  admin   2025-01-01T00:00:00Z  2025-01-31T00:00:00Z  never                 active',
          'k2  old        reader  2025-01-02T00:00:00Z  -                     never                 revoked',
          'k3  temp       reader  2025-01-02T00:00:00Z  -                     2025-02-01T00:00:00Z  expired',
          '',
        ].join('\n'),
      );
    });

    it('revoke sends DELETE with the encoded id and prints "revoked <id>"', async () => {
      stub.on('DELETE', '/admin/v1/admin-keys/k%2F2', {
        status: 200,
        body: { id: 'k/2', name: 'old', role: 'reader', createdAt: '2025-01-02T00:00:00Z', lastUsedAt: null, revokedAt: '2025-02-01T00:00:00Z' },
      });
      const result = await runAgainstStub(['admin-key', 'revoke', 'k/2']);
      expect(result).toEqual({ code: 0, stdout: 'revoked k/2\n', stderr: '' });
      expect(stub.requests[0].method).toBe('DELETE');
    });

    it('revoke without an id is a usage error', async () => {
      const result = await runAgainstStub(['admin-key', 'revoke']);
      expect(result).toEqual({ code: 2, stdout: '', stderr: "s2sctl: missing required argument 'id'\n" });
    });
  });

  describe('audit list', () => {
    it('passes only the given filters as query parameters and hints at the next page on stderr', async () => {
      stub.on('GET', '/admin/v1/audit-events', {
        status: 200,
        body: {
          items: [
            {
              id: 'e1',
              occurredAt: '2025-01-31T12:00:00Z',
              actorKeyId: 'k1',
              actorName: 'bootstrap',
              action: 'admin-key.create',
              targetType: 'admin-key',
              targetId: 'k2',
              before: null,
              after: { name: 'ci' },
              requestId: 'req-9',
            },
          ],
          nextCursor: 'c-2',
        },
      });
      const result = await runAgainstStub(['audit', 'list', '--action', 'admin-key.create', '--actor', 'k1', '--since', '2025-01-01', '--limit', '1']);
      expect(result.code).toBe(0);
      expect(Object.fromEntries(stub.requests[0].query)).toEqual({ action: 'admin-key.create', actorKeyId: 'k1', since: '2025-01-01', limit: '1' });
      expect(result.stdout).toBe(
        ['TIME                  ACTION            TARGET        ACTOR      REQUEST-ID', '2025-01-31T12:00:00Z  admin-key.create  admin-key/k2  bootstrap  req-9', ''].join(
          '\n',
        ),
      );
      expect(result.stderr).toBe('more: --cursor c-2\n');
    });

    it('-o json keeps stdout a single JSON document', async () => {
      const page = { items: [], nextCursor: null };
      stub.on('GET', '/admin/v1/audit-events', { status: 200, body: page });
      const result = await runAgainstStub(['audit', 'list', '--target-type', 'oauth-configuration', '--cursor', 'c-2', '-o', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(page, null, 2)}\n`, stderr: '' });
      expect(Object.fromEntries(stub.requests[0].query)).toEqual({ targetType: 'oauth-configuration', cursor: 'c-2' });
    });
  });

  describe('failures', () => {
    it('without --ca-file the self-signed server is refused with a hint, exit 1', async () => {
      const result = await run(['admin-key', 'list', '--server', stub.url], { S2S_ADMIN_KEY: KEY });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^s2sctl: cannot verify the TLS certificate of ${stub.url}: .*pass --ca-file <pem>.*\\n$`));
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(stub.requests).toHaveLength(0);
    });

    it('an unreachable server gives "cannot reach <server>: connect ECONNREFUSED ..."', async () => {
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = server.address() as { port: number };
          server.close(() => resolve(free));
        });
      });
      const result = await run(['admin-key', 'list', '--server', `https://127.0.0.1:${port}`], { S2S_ADMIN_KEY: KEY });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `s2sctl: cannot reach https://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
      });
    });

    it('never prints the admin key, even when the server rejects it', async () => {
      stub.on('GET', '/admin/v1/admin-keys', { status: 401, body: { code: 'unauthorized', message: 'missing or invalid admin API key' } });
      const result = await run(['admin-key', 'list', '--server', stub.url, '--ca-file', caFile, '--admin-key', KEY]);
      expect(result).toEqual({ code: 1, stdout: '', stderr: 's2sctl: missing or invalid admin API key (unauthorized, HTTP 401)\n' });
    });

    it('explains where a key can come from when there is none', async () => {
      const result = await run(['admin-key', 'list', '--server', stub.url, '--ca-file', caFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `s2sctl: no admin key: pass --admin-key or --admin-key-file, set S2S_ADMIN_KEY, or run where the bootstrap key file ${join(cwd, 'data', 'bootstrap-admin.key')} is readable\n`,
      );
      expect(stub.requests).toHaveLength(0);
    });

    it('reads --admin-key-file', async () => {
      stub.on('GET', '/admin/v1/admin-keys', { status: 200, body: { items: [] } });
      writeFileSync(join(cwd, 'admin.key'), 's2sk.from-file\n');
      const result = await run(['admin-key', 'list', '--admin-key-file', 'admin.key', '--server', stub.url, '--ca-file', caFile]);
      expect(result).toEqual({ code: 0, stdout: 'ID  NAME  ROLE  CREATED  LAST-USED  EXPIRES  STATUS\n', stderr: '' });
      expect(stub.requests[0].headers.authorization).toBe('Bearer s2sk.from-file');
    });

    it('rejects an unknown subcommand and an unknown option with one line and exit 2', async () => {
      const unknownCommand = await runAgainstStub(['admin-key', 'rotate']);
      expect(unknownCommand).toEqual({ code: 2, stdout: '', stderr: "s2sctl: unknown command 'rotate' for 's2sctl admin-key' (available: create, list, revoke)\n" });
      const unknownOption = await runAgainstStub(['oauth-configuration', 'set', '--relm', 'x']);
      expect(unknownOption).toEqual({ code: 2, stdout: '', stderr: "s2sctl: unknown option '--relm' (Did you mean --realm?)\n" });
    });

    it('refuses plain http to a remote host', async () => {
      const result = await run(['admin-key', 'list', '--server', 'http://s2s.contoso.com'], { S2S_ADMIN_KEY: KEY });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^s2sctl: server URL "http:\/\/s2s.contoso.com" \(--server\) uses plain http to a non-loopback host.*\n$/);
    });
  });
});
