import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TlsStubServer } from './tls-stub.server.js';

/**
 * `s2sctl oauth-server ...` run as a child process (the built CLI; `npm run build` first) against
 * the HTTPS stub of the admin API: the exact requests sent, what is printed, and exit codes.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist/apps/s2sctl/src/main.js');
const ADMIN_KEY = 's2sk.e2e-oauth-server-admin-key';
const API = '/admin/v1';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ACS_URL = `https://accounts.accesscontrol.windows.net/${TENANT}/metadata/json/1`;
const ACS_ISSUER = `00000001-0000-0000-c000-000000000000@${TENANT}`;
const OIDC_URL = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration';
const APP_ID = '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f';
const SHAREPOINT_AUDIENCE = '00000003-0000-0ff1-ce00-000000000000';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunOptions {
  /** Leave out --server/--ca-file and point S2S_SERVER nowhere: for commands that must not call a server. */
  readonly offline?: boolean;
}

const STS = {
  identity: 'microsoft.sts',
  metadataUrl: ACS_URL,
  type: 'acs',
  issuer: ACS_ISSUER,
  jwksUri: null,
  issuanceEndpoint: null,
  audiences: [SHAREPOINT_AUDIENCE],
  tenantId: TENANT,
  allowedApplicationIds: [],
  allowedObjectIds: [],
  requiredRole: null,
  allowedTenants: [],
  allowAnyTenant: false,
  enabled: true,
  hasMetadataCaBundle: false,
  metadataHostAllowList: ['accounts.accesscontrol.windows.net'],
  allowHttpMetadata: false,
  keys: [{ kid: null, x5t: 'x5t-acs', alg: null, kty: 'RSA' }],
  metadataStatus: { lastAttemptAt: '2025-06-01T00:00:00.000Z', lastSuccessAt: '2025-06-01T00:00:00.000Z', lastError: null, reviewReason: null },
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
};

const ENTRA = {
  ...STS,
  identity: 'entra',
  metadataUrl: OIDC_URL,
  type: 'oidc',
  issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  jwksUri: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/discovery/v2.0/keys',
  audiences: ['api://webapi', 'api://webapi-v2'],
  tenantId: null,
  allowedApplicationIds: [APP_ID],
  allowedObjectIds: ['oid-1', 'oid-2'],
  requiredRole: 'Read.All',
  enabled: false,
  hasMetadataCaBundle: true,
  metadataHostAllowList: ['login.microsoftonline.com', '10.0.0.5'],
  keys: [
    { kid: 'kid-1', x5t: 'x5t-1', alg: 'RS256', kty: 'RSA' },
    { kid: 'ec-1', x5t: null, alg: 'ES256', kty: 'EC' },
  ],
  metadataStatus: { lastAttemptAt: null, lastSuccessAt: null, lastError: null, reviewReason: null },
};

const REFRESH_ERROR = 'the metadata document could not be downloaded: connect ECONNREFUSED 10.0.0.5:443';
const REFRESH_FAILED = {
  ...STS,
  metadataStatus: { lastAttemptAt: '2025-06-02T00:00:00.000Z', lastSuccessAt: '2025-06-01T00:00:00.000Z', lastError: REFRESH_ERROR, reviewReason: null },
};

describe('s2sctl oauth-server (built CLI)', () => {
  let stub: TlsStubServer;
  let cwd: string;
  let caFile: string;
  const outputs: CliResult[] = [];

  const run = (args: readonly string[], options: RunOptions = {}): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const server = options.offline ? [] : ['--server', stub.url, '--ca-file', caFile];
      const child = spawn(process.execPath, [MAIN, ...args, ...server], {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: cwd,
          S2S_ADMIN_KEY: ADMIN_KEY,
          ...(options.offline ? { S2S_SERVER: 'https://127.0.0.1:9' } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        const result = { code, stdout, stderr };
        outputs.push(result);
        resolve(result);
      });
    });
  const body = (index = 0): unknown => JSON.parse(stub.requests[index].body);
  const requestLine = (index = 0): string => `${stub.requests[index].method} ${stub.requests[index].path}`;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before these tests`);
    stub = await TlsStubServer.start();
    cwd = mkdtempSync(join(tmpdir(), 's2sctl-oauth-server-cli-'));
    caFile = join(cwd, 'server-ca.pem');
    writeFileSync(caFile, stub.certificate.cert);
    // A CA bundle with text before the certificate, as `openssl x509 -text` or a browser export writes it.
    writeFileSync(join(cwd, 'lab-root.pem'), `subject=CN=lab root\n${stub.certificate.cert}`);
  });
  afterAll(async () => {
    await stub?.close();
    rmSync(cwd, { recursive: true, force: true });
  });
  beforeEach(() => stub.reset());

  describe('--help', () => {
    const COMMANDS: readonly (readonly [string, string])[] = [
      ['oauth-server', 'commands: new get list set remove refresh'],
      ['oauth-server new', '--allowed-application-id <id>'],
      ['oauth-server get', '<identity>'],
      ['oauth-server list', 'List the OAuth servers'],
      ['oauth-server set', '--clear-required-role'],
      ['oauth-server remove', 'Remove-CsOAuthServer'],
      ['oauth-server refresh', 'last known good keys'],
    ];
    const results = new Map<string, Promise<CliResult>>();
    beforeAll(() => {
      for (const [path] of COMMANDS) results.set(path, run([...path.split(' '), '--help'], { offline: true }));
    });

    it.each(COMMANDS)('s2sctl %s --help', async (path, expected) => {
      const result = await results.get(path)!;
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.startsWith(`Usage: s2sctl ${path} `)).toBe(true);
      if (expected.startsWith('commands: ')) {
        for (const sub of expected.slice('commands: '.length).split(' ')) expect(result.stdout).toMatch(new RegExp(`^  ${sub} `, 'm'));
      } else {
        expect(result.stdout).toContain(expected);
      }
    });

    it('the root help lists the group and examples', async () => {
      const result = await run(['--help'], { offline: true });
      expect(result.code).toBe(0);
      for (const line of ['oauth-server [options]', 's2sctl oauth-server new --identity microsoft.sts', 's2sctl oauth-server list']) {
        expect(result.stdout).toContain(line);
      }
    });
  });

  describe('oauth-server new', () => {
    it('posts every option given: lists in order and once each, the CA file as PEM', async () => {
      stub.on('POST', `${API}/oauth-servers`, { status: 201, body: ENTRA });
      const result = await run([
        ...['oauth-server', 'new', '--identity', 'entra', '--metadata-url', OIDC_URL, '--audience', 'api://webapi', '--audience', 'api://webapi-v2'],
        ...['--audience', 'api://webapi', '--tenant-id', TENANT, '--allowed-application-id', APP_ID, '--allowed-object-id', 'oid-1'],
        ...['--allowed-object-id', 'oid-2', '--required-role', 'Read.All', '--enabled', 'false', '--metadata-ca-file', 'lab-root.pem'],
        ...['--metadata-host', 'login.microsoftonline.com', '--metadata-host', '10.0.0.5', '--allow-http-metadata'],
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(stub.requests).toHaveLength(1);
      expect(requestLine()).toBe(`POST ${API}/oauth-servers`);
      expect(stub.requests[0].headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
      expect(stub.requests[0].headers['content-type']).toBe('application/json');
      expect(body()).toEqual({
        identity: 'entra',
        metadataUrl: OIDC_URL,
        audiences: ['api://webapi', 'api://webapi-v2'],
        tenantId: TENANT,
        allowedApplicationIds: [APP_ID],
        allowedObjectIds: ['oid-1', 'oid-2'],
        requiredRole: 'Read.All',
        enabled: false,
        metadataCaBundle: stub.certificate.cert,
        metadataHostAllowList: ['login.microsoftonline.com', '10.0.0.5'],
        allowHttpMetadata: true,
      });
      expect(result.stdout.split('\n').slice(0, 16)).toEqual([
        'identity            entra',
        'type                oidc',
        `issuer              https://login.microsoftonline.com/${TENANT}/v2.0`,
        `metadata-url        ${OIDC_URL}`,
        'jwks-uri            https://login.microsoftonline.com/contoso.onmicrosoft.com/discovery/v2.0/keys',
        'audiences           api://webapi, api://webapi-v2',
        'tenant-id           any',
        `allowed-app-ids     ${APP_ID}`,
        'allowed-object-ids  oid-1, oid-2',
        'required-role       Read.All',
        'enabled             no',
        'metadata-ca         own CA bundle and system store',
        'metadata-hosts      login.microsoftonline.com, 10.0.0.5',
        'allow-http          no',
        'created-at          2025-06-01T00:00:00.000Z',
        'updated-at          2025-06-01T00:00:00.000Z',
      ]);
      expect(result.stdout).toContain('\nkeys:\n  KID    X5T    ALG    KTY\n  kid-1  x5t-1  RS256  RSA\n  ec-1   -      ES256  EC\n');
    });

    it('with defaults: only the identity, URL and audience; -o json prints the body', async () => {
      stub.on('POST', `${API}/oauth-servers`, { status: 201, body: STS });
      const result = await run(['oauth-server', 'new', '--identity', 'microsoft.sts', '--metadata-url', ACS_URL, '--audience', SHAREPOINT_AUDIENCE, '-o', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(STS, null, 2)}\n`, stderr: '' });
      expect(body()).toEqual({ identity: 'microsoft.sts', metadataUrl: ACS_URL, audiences: [SHAREPOINT_AUDIENCE] });
    });

    it.each([
      [['--metadata-url', ACS_URL], "s2sctl: required option '--audience <aud>' not specified\n"],
      [['--audience', 'a'], "s2sctl: required option '--metadata-url <url>' not specified\n"],
      [['--metadata-url', 'http://idp.lab.local/m', '--audience', 'a'], 's2sctl: the metadata URL is http://: use https, or add --allow-http-metadata (labs only: the keys could be tampered with in transit)\n'],
      [
        ['--metadata-url', 'login.microsoftonline.com', '--audience', 'a'],
        "s2sctl: option '--metadata-url <url>' argument 'login.microsoftonline.com' is invalid. Expected an https URL, e.g. https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration.\n",
      ],
      [['--metadata-url', ACS_URL, '--audience', ' '], "s2sctl: option '--audience <aud>' argument ' ' is invalid. Must not be empty.\n"],
      [['--metadata-url', ACS_URL, '--audience', 'a', '--enabled', 'yes'], "s2sctl: option '--enabled <true|false>' argument 'yes' is invalid. Expected true or false.\n"],
      [['--metadata-url', ACS_URL, '--audience', 'a', '--metadata-host', 'https://x'], "s2sctl: option '--metadata-host <host>' argument 'https://x' is invalid. Expected a host name or IP address without scheme or path, e.g. mail.contoso.com.\n"],
      [['--metadata-url', ACS_URL, '--audience', 'a', '--metadata-ca-file', 'missing.pem'], 's2sctl: cannot read --metadata-ca-file missing.pem: no such file\n'],
      [['--metadata-url', ACS_URL, '--audience', 'a', '--clear-tenant-id'], "s2sctl: unknown option '--clear-tenant-id'\n"],
    ])('refuses %j before any request', async (args, stderr) => {
      const result = await run(['oauth-server', 'new', '--identity', 'x', ...args]);
      expect(result.stderr).toBe(stderr);
      expect(result.code).toBe(stderr.includes('cannot read') ? 1 : 2);
      expect(result.stdout).toBe('');
      expect(stub.requests).toHaveLength(0);
    });

    it('reports metadata_unavailable (422) in one line, exit 1', async () => {
      stub.on('POST', `${API}/oauth-servers`, {
        status: 422,
        body: {
          code: 'metadata_unavailable',
          message: 'the metadata document could not be downloaded from the metadata URL or is not a valid metadata document: HTTP 404',
          details: [{ field: 'metadataUrl', message: 'HTTP 404' }],
        },
      });
      const result = await run(['oauth-server', 'new', '--identity', 'microsoft.sts', '--metadata-url', ACS_URL, '--audience', SHAREPOINT_AUDIENCE]);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 's2sctl: the metadata document could not be downloaded from the metadata URL or is not a valid metadata document: HTTP 404 (metadata_unavailable, HTTP 422)\n',
      });
      expect(stub.requests).toHaveLength(1);
    });
  });

  describe('oauth-server list / get / set / remove', () => {
    it('list prints the table with the metadata status', async () => {
      stub.on('GET', `${API}/oauth-servers`, { status: 200, body: { items: [REFRESH_FAILED, ENTRA] } });
      const result = await run(['oauth-server', 'list']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`GET ${API}/oauth-servers`);
      expect(result.stdout.split('\n')).toEqual([
        'IDENTITY       TYPE  ISSUER                                                                       AUDIENCES                             TENANT                                KEYS  LAST SUCCESS              STATUS',
        `microsoft.sts  acs   ${ACS_ISSUER}    ${SHAREPOINT_AUDIENCE}  ${TENANT}  1     2025-06-01T00:00:00.000Z  error: ${REFRESH_ERROR}`,
        `entra          oidc  https://login.microsoftonline.com/${TENANT}/v2.0  api://webapi, api://webapi-v2         any                                   2     never                     ok`,
        '',
      ]);
    });

    it('get and remove address the server by its identity', async () => {
      const path = `${API}/oauth-servers/microsoft.sts`;
      stub.on('GET', path, { status: 200, body: STS }).on('DELETE', path, { status: 200, body: STS });
      const get = await run(['oauth-server', 'get', 'microsoft.sts']);
      expect(get.code).toBe(0);
      expect(get.stdout).toMatch(/^identity {12}microsoft\.sts\ntype {16}acs\n/);
      expect(get.stdout).toContain('\nkeys:\n  KID  X5T      ALG  KTY\n  -    x5t-acs  -    RSA\n');
      expect(get.stdout).toContain('\nmetadata:\n  status        ok\n  last-attempt  2025-06-01T00:00:00.000Z\n');
      const remove = await run(['oauth-server', 'remove', 'microsoft.sts']);
      expect(remove).toEqual({ code: 0, stdout: `removed OAuth server microsoft.sts (issuer ${ACS_ISSUER})\n`, stderr: '' });
      expect(stub.requests.map((_, index) => requestLine(index))).toEqual([`GET ${path}`, `DELETE ${path}`]);
      expect(stub.requests[1].body).toBe('');
    });

    it('set patches exactly the given fields; lists replace; true|false switches', async () => {
      const path = `${API}/oauth-servers/entra`;
      stub.on('PATCH', path, { status: 200, body: ENTRA });
      const result = await run([
        ...['oauth-server', 'set', 'entra', '--metadata-url', OIDC_URL, '--audience', 'api://webapi', '--tenant-id', TENANT],
        ...['--allowed-application-id', APP_ID, '--allowed-object-id', 'oid-3', '--required-role', 'Write.All', '--enabled', 'TRUE'],
        ...['--metadata-ca-file', 'lab-root.pem', '--metadata-host', 'login.microsoftonline.com', '--allow-http-metadata', 'false'],
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`PATCH ${path}`);
      expect(body()).toEqual({
        metadataUrl: OIDC_URL,
        audiences: ['api://webapi'],
        tenantId: TENANT,
        allowedApplicationIds: [APP_ID],
        allowedObjectIds: ['oid-3'],
        requiredRole: 'Write.All',
        enabled: true,
        metadataCaBundle: stub.certificate.cert,
        metadataHostAllowList: ['login.microsoftonline.com'],
        allowHttpMetadata: false,
      });
      expect(result.stdout).toMatch(/^identity {12}entra\n/);
    });

    it('set --clear-...: null for the tenant id and role, an empty list for the allow lists', async () => {
      const path = `${API}/oauth-servers/entra`;
      stub.on('PATCH', path, { status: 200, body: ENTRA });
      const cleared = await run(['oauth-server', 'set', 'entra', '--clear-tenant-id', '--clear-required-role']);
      expect(cleared.code).toBe(0);
      expect(stub.requests[0].body).toBe('{"tenantId":null,"requiredRole":null}');
      const lists = await run(['oauth-server', 'set', 'entra', '--clear-allowed-application-ids', '--clear-allowed-object-ids', '--enabled', 'false']);
      expect(lists.code).toBe(0);
      expect(body(1)).toEqual({ allowedApplicationIds: [], allowedObjectIds: [], enabled: false });
      expect(stub.requests.map((_, index) => requestLine(index))).toEqual([`PATCH ${path}`, `PATCH ${path}`]);
    });

    it('set with nothing to change, or a setting with its --clear-..., is a usage error and sends nothing', async () => {
      const empty = await run(['oauth-server', 'set', 'entra', '-o', 'json']);
      expect(empty.code).toBe(2);
      expect(empty.stdout).toBe('');
      expect(empty.stderr).toMatch(/^s2sctl: nothing to change: give --metadata-url, --audience, --tenant-id, .*\(see s2sctl oauth-server set --help\)\n$/);
      const both = await run(['oauth-server', 'set', 'entra', '--tenant-id', TENANT, '--clear-tenant-id']);
      expect(both).toEqual({ code: 2, stdout: '', stderr: 's2sctl: --tenant-id cannot be combined with --clear-tenant-id\n' });
      const role = await run(['oauth-server', 'set', 'entra', '--clear-required-role', '--required-role', 'Read.All']);
      expect(role).toEqual({ code: 2, stdout: '', stderr: 's2sctl: --required-role cannot be combined with --clear-required-role\n' });
      expect(stub.requests).toHaveLength(0);
    });

    it('reports a missing server in one line', async () => {
      const result = await run(['oauth-server', 'get', 'nobody']);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `s2sctl: no stub for GET ${API}/oauth-servers/nobody (not_found, HTTP 404)\n` });
    });
  });

  describe('oauth-server refresh', () => {
    const path = `${API}/oauth-servers/microsoft.sts/refresh`;

    it('posts to /refresh with no body and prints the keys and the status', async () => {
      stub.on('POST', path, { status: 200, body: STS });
      const result = await run(['oauth-server', 'refresh', 'microsoft.sts']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`POST ${path}`);
      expect(stub.requests[0].body).toBe('');
      expect(result.stdout.split('\n')).toEqual([
        'refresh of microsoft.sts: ok',
        '',
        'keys:',
        '  KID  X5T      ALG  KTY',
        '  -    x5t-acs  -    RSA',
        '',
        'metadata:',
        '  status        ok',
        '  last-attempt  2025-06-01T00:00:00.000Z',
        '  last-success  2025-06-01T00:00:00.000Z',
        '  last-error    -',
        '  review        -',
        '',
      ]);
    });

    it('a recorded download error: exit 0, the status on stdout and "warning: <error>" on stderr, also with -o json', async () => {
      stub.on('POST', path, { status: 200, body: REFRESH_FAILED });
      const result = await run(['oauth-server', 'refresh', 'microsoft.sts']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^refresh of microsoft\.sts: error \(the last known good keys were kept\)\n/);
      expect(result.stdout).toContain(`  last-success  2025-06-01T00:00:00.000Z\n  last-error    ${REFRESH_ERROR}\n`);
      expect(result.stderr).toBe(`warning: ${REFRESH_ERROR}\n`);
      const json = await run(['oauth-server', 'refresh', 'microsoft.sts', '-o', 'json']);
      expect(json).toEqual({ code: 0, stdout: `${JSON.stringify(REFRESH_FAILED, null, 2)}\n`, stderr: `warning: ${REFRESH_ERROR}\n` });
    });
  });

  // Declared last, so it runs after every other test of this file.
  it('never printed the admin key', () => {
    expect(outputs.length).toBeGreaterThan(25);
    for (const { stdout, stderr } of outputs) {
      expect(stdout).not.toContain(ADMIN_KEY);
      expect(stderr).not.toContain(ADMIN_KEY);
    }
  });
});
