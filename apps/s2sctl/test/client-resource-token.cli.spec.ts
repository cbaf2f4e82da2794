import { execFileSync, spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TlsStubServer, generateSelfSignedCertificate, type RecordedRequest, type SelfSignedCertificate } from './tls-stub.server.js';

/**
 * `s2sctl resource|client|token ...` run as a child process (the built CLI; `npm run build`
 * first) against the HTTPS stub: the exact requests sent to the admin API and to the public OAuth
 * endpoints, what is printed, exit codes, and that secrets and keys show up only where a command
 * is meant to print them once.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist/apps/s2sctl/src/main.js');
const ADMIN_KEY = 's2sk.e2e-client-resource-admin-key';
const API = '/admin/v1';
const CLIENT_ID = '6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b';
/** The secret `client new` / `add-secret` hand out: printed exactly once by those commands. */
const NEW_SECRET = 'Zx9Q-h_3kT0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456';
/** A secret `token get` sends: never printed. ':' '%' '+' and spaces need the RFC 6749 2.3.1 encoding. */
const TOKEN_SECRET = 'p:a%s+s w0rd with spaces:=';
const ISSUER = 'https://s2s.contoso.test';
const SHA1 = '9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01';
const ACCESS_TOKEN = 'eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly93ZWJhcGkifQ.c2lnbmF0dXJl';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunOptions {
  readonly stdin?: string;
  /** Leave out --server/--ca-file and point S2S_SERVER nowhere: for commands that must not call a server. */
  readonly offline?: boolean;
  /** This run is meant to print NEW_SECRET (once). */
  readonly showsNewSecret?: boolean;
  /** Run without S2S_ADMIN_KEY (and no bootstrap key file exists in cwd). */
  readonly withoutAdminKey?: boolean;
}

const RESOURCE = {
  id: '0b7c8a52-0000-4000-8000-000000000001',
  appIdUri: 'api://webapi',
  displayName: 'Web API',
  roles: [
    { value: 'Read.All', description: '', allowedMemberTypes: ['Application', 'User'] },
    { value: 'Write.All', description: '', allowedMemberTypes: ['Application'] },
  ],
  scopes: [{ value: 'user_impersonation', description: '' }],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

const CLIENT = {
  clientId: CLIENT_ID,
  displayName: 'batch daemon',
  realm: 'contoso.com',
  enabled: true,
  actAsUsers: false,
  grantTypes: ['client_credentials'],
  allowTokenEndpointAudience: false,
  secrets: [{ id: 'a1b2c3d4-0000-4000-8000-000000000001', hint: '…3456', description: null, createdAt: '2025-01-01T00:00:00.000Z', expiresAt: null }],
  certificates: [],
  roleGrants: [],
  scopeGrants: [],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};
const GRANTED = { ...CLIENT, roleGrants: [{ resource: 'api://webapi', resourceId: RESOURCE.id, role: 'Read.All' }] };

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** How a strict server reads `Authorization: Basic` (RFC 6749 2.3.1): base64, first ':', form-decode each side. */
function decodeBasic(header: unknown): { clientId: string; secret: string } {
  expect(typeof header).toBe('string');
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header as string);
  expect(match).not.toBeNull();
  const decoded = Buffer.from(match![1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const formDecode = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));
  return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

describe('s2sctl resource / client / token (built CLI)', () => {
  let stub: TlsStubServer;
  let cwd: string;
  let caFile: string;
  /** The client's certificate and key (openssl), for add-certificate and private_key_jwt. */
  let daemon: SelfSignedCertificate;
  const outputs: (CliResult & { readonly showsNewSecret: boolean })[] = [];

  const run = (args: readonly string[], options: RunOptions = {}): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const server = options.offline ? [] : ['--server', stub.url, '--ca-file', caFile];
      const child = spawn(process.execPath, [MAIN, ...args, ...server], {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: cwd,
          ...(options.withoutAdminKey ? {} : { S2S_ADMIN_KEY: ADMIN_KEY }),
          ...(options.offline ? { S2S_SERVER: 'https://127.0.0.1:9' } : {}),
        },
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        const result = { code, stdout, stderr };
        outputs.push({ ...result, showsNewSecret: options.showsNewSecret === true });
        resolve(result);
      });
      if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    });
  const body = (index = 0): unknown => JSON.parse(stub.requests[index].body);
  const form = (request: RecordedRequest): Record<string, string> => Object.fromEntries(new URLSearchParams(request.body));

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before these tests`);
    stub = await TlsStubServer.start();
    cwd = mkdtempSync(join(tmpdir(), 's2sctl-client-cli-'));
    caFile = join(cwd, 'server-ca.pem');
    writeFileSync(caFile, stub.certificate.cert);
    daemon = generateSelfSignedCertificate('daemon.contoso.com');
    execFileSync('openssl', ['x509', '-in', daemon.certFile, '-outform', 'DER', '-out', join(cwd, 'daemon.cer')], { stdio: 'ignore' });
    writeFileSync(join(cwd, 'daemon.secret'), `${TOKEN_SECRET}\n`);
  });
  afterAll(async () => {
    await stub?.close();
    rmSync(cwd, { recursive: true, force: true });
    if (daemon) rmSync(daemon.dir, { recursive: true, force: true });
  });
  beforeEach(() => stub.reset());

  describe('--help', () => {
    const COMMANDS: readonly (readonly [string, string])[] = [
      ['resource', 'commands: new list show set remove'],
      ['resource new', '--user-role <value>'],
      ['resource list', 'List the registered APIs'],
      ['resource show', 'App ID URI (e.g. api://webapi) or id'],
      ['resource set', 'replaces the roles'],
      ['resource remove', 'every role and scope grant'],
      ['client', 'grant-role'],
      ['client new', '--no-secret'],
      ['client list', 'List the clients'],
      ['client show', '<client-id>'],
      ['client set', '--enabled <true|false>'],
      ['client remove', 'Delete a client'],
      ['client add-secret', '--expires <time>'],
      ['client remove-secret', '--secret-id <id>'],
      ['client add-certificate', '--cert <file>'],
      ['client remove-certificate', '--thumbprint <thumbprint>'],
      ['client grant-role', '--role <value>'],
      ['client revoke-role', '--resource <app-id-uri>'],
      ['client grant-scope', '--scope <value>'],
      ['client revoke-scope', '--scope <value>'],
      ['token', 'commands: get decode'],
      ['token get', '--secret-file <file>'],
      ['token decode', 'or - to read it from standard input'],
    ];
    const results = new Map<string, Promise<CliResult>>();
    beforeAll(() => {
      for (const [path] of COMMANDS) results.set(path, run([...path.split(' '), '--help'], { offline: true }));
    });

    it.each(COMMANDS)('s2sctl %s --help', async (path, expected) => {
      const result = await results.get(path)!;
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.startsWith(`Usage: s2sctl ${path} `)).toBe(true);
      const [group] = path.split(' ');
      if (expected.startsWith('commands: ')) {
        for (const sub of expected.slice('commands: '.length).split(' ')) expect(result.stdout).toMatch(new RegExp(`^  ${sub} `, 'm'));
        expect(result.stdout).toContain(`Usage: s2sctl ${group} [options] [command]`);
      } else {
        expect(result.stdout).toContain(expected);
      }
      expect(result.stdout).toContain('-o, --output <format>');
    });

    it('the root help lists the new groups and their examples', async () => {
      const result = await run(['--help'], { offline: true });
      expect(result.code).toBe(0);
      for (const line of ['resource [options]', 'client [options]', 'token [options]', 's2sctl resource new --app-id-uri', 'TOKEN=$(s2sctl token get']) {
        expect(result.stdout).toContain(line);
      }
    });
  });

  describe('resource', () => {
    it('new posts the App ID URI, name, roles (--role: Application, --user-role: User, both: both) and scopes', async () => {
      stub.on('POST', `${API}/resources`, { status: 201, body: RESOURCE });
      const result = await run([
        ...['resource', 'new', '--app-id-uri', 'api://webapi', '--name', 'Web API'],
        ...['--role', 'Read.All', '--role', 'Write.All', '--user-role', 'Read.All', '--user-role', 'Files.Read', '--scope', 'user_impersonation'],
      ]);
      expect(result.code).toBe(0);
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0]).toMatchObject({ method: 'POST', path: `${API}/resources` });
      expect(stub.requests[0].headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
      expect(body()).toEqual({
        appIdUri: 'api://webapi',
        displayName: 'Web API',
        roles: [
          { value: 'Read.All', allowedMemberTypes: ['Application', 'User'] },
          { value: 'Write.All', allowedMemberTypes: ['Application'] },
          { value: 'Files.Read', allowedMemberTypes: ['User'] },
        ],
        scopes: [{ value: 'user_impersonation' }],
      });
      expect(result.stdout).toContain('app-id-uri  api://webapi\n');
      expect(result.stdout).toContain('  Read.All   Application, User  -\n');
      expect(result.stderr).toBe('next: s2sctl client grant-role --client <client id> --resource api://webapi --role <role>\n');
    });

    it('new -o json prints the body as-is; a bad --app-id-uri is refused before any request', async () => {
      stub.on('POST', `${API}/resources`, { status: 201, body: RESOURCE });
      const json = await run(['resource', 'new', '--app-id-uri', 'api://webapi', '-o', 'json']);
      expect(json).toEqual({ code: 0, stdout: `${JSON.stringify(RESOURCE, null, 2)}\n`, stderr: '' });
      expect(body()).toEqual({ appIdUri: 'api://webapi' });
      stub.reset();
      const bad = await run(['resource', 'new', '--app-id-uri', 'webapi']);
      expect(bad).toEqual({
        code: 2,
        stdout: '',
        stderr: "s2sctl: option '--app-id-uri <uri>' argument 'webapi' is invalid. Expected an absolute URI, e.g. api://webapi or https://api.contoso.com.\n",
      });
      expect(stub.requests).toHaveLength(0);
    });

    it('show, set and remove address the resource by its URL-encoded App ID URI', async () => {
      const path = `${API}/resources/api%3A%2F%2Fwebapi`;
      stub.on('GET', path, { status: 200, body: RESOURCE }).on('PATCH', path, { status: 200, body: RESOURCE }).on('DELETE', path, { status: 200, body: RESOURCE });
      const show = await run(['resource', 'show', 'api://webapi']);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('scopes:\n  VALUE               DESCRIPTION\n  user_impersonation  -\n');
      const set = await run(['resource', 'set', 'api://webapi', '--user-role', 'Read.All', '--scope', 'user_impersonation', '--scope', 'Files.Read']);
      expect(set.code).toBe(0);
      const remove = await run(['resource', 'remove', 'api://webapi']);
      expect(remove).toEqual({ code: 0, stdout: `removed api://webapi (${RESOURCE.id})\n`, stderr: '' });
      expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`GET ${path}`, `PATCH ${path}`, `DELETE ${path}`]);
      expect(body(1)).toEqual({ roles: [{ value: 'Read.All', allowedMemberTypes: ['User'] }], scopes: [{ value: 'user_impersonation' }, { value: 'Files.Read' }] });
    });

    it('set with nothing to change is a usage error and sends nothing', async () => {
      const result = await run(['resource', 'set', 'api://webapi']);
      expect(result).toEqual({ code: 2, stdout: '', stderr: 's2sctl: nothing to change: give --name, --role, --user-role or --scope (see s2sctl resource set --help)\n' });
      expect(stub.requests).toHaveLength(0);
    });

    it('list prints a table', async () => {
      stub.on('GET', `${API}/resources`, { status: 200, body: { items: [RESOURCE] } });
      const result = await run(['resource', 'list']);
      expect(result.stdout.split('\n')).toEqual([
        'APP ID URI    NAME     ROLES                                    SCOPES              ID',
        `api://webapi  Web API  Read.All (application, user), Write.All  user_impersonation  ${RESOURCE.id}`,
        '',
      ]);
    });
  });

  describe('client', () => {
    const CREATED = { ...CLIENT, clientSecret: NEW_SECRET, clientSecretId: CLIENT.secrets[0].id };

    it('new -o json prints the API body with clientId and clientSecret, and nothing else', async () => {
      stub.on('POST', `${API}/clients`, { status: 201, body: CREATED });
      const result = await run(
        [
          ...['client', 'new', '--name', 'batch daemon', '--realm', 'contoso.com', '--act-as-users'],
          ...['--grant-type', 'client_credentials', '--grant-type', 'jwt-bearer', '--legacy-token-endpoint-audience', '--secret-expires', '2026-01-01T01:00:00+01:00', '-o', 'json'],
        ],
        { showsNewSecret: true },
      );
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(CREATED, null, 2)}\n`, stderr: '' });
      expect(JSON.parse(result.stdout)).toMatchObject({ clientId: CLIENT_ID, clientSecret: NEW_SECRET });
      expect(stub.requests[0]).toMatchObject({ method: 'POST', path: `${API}/clients` });
      expect(body()).toEqual({
        displayName: 'batch daemon',
        realm: 'contoso.com',
        actAsUsers: true,
        grantTypes: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
        allowTokenEndpointAudience: true,
        secretExpiresAt: '2026-01-01T00:00:00.000Z',
      });
    });

    it('new prints the client id and the secret once, on a client-secret line, with a note on stderr', async () => {
      stub.on('POST', `${API}/clients`, { status: 201, body: CREATED });
      const result = await run(['client', 'new', '--name', 'batch daemon'], { showsNewSecret: true });
      expect(result.code).toBe(0);
      expect(body()).toEqual({ displayName: 'batch daemon' });
      expect(result.stdout).toMatch(new RegExp(`^client-id      ${CLIENT_ID}\\n`));
      expect(result.stdout).toContain(`\nclient-secret  ${NEW_SECRET}\n`);
      expect(occurrences(result.stdout + result.stderr, NEW_SECRET)).toBe(1);
      expect(result.stderr).toBe(
        `store it now: it is not shown again\nnext: s2sctl client grant-role --client ${CLIENT_ID} --resource <app-id-uri> --role <role>\n`,
      );
    });

    it('new --no-secret asks for none and prints none; with --secret-expires it is a usage error', async () => {
      stub.on('POST', `${API}/clients`, { status: 201, body: { ...CLIENT, secrets: [] } });
      const result = await run(['client', 'new', '--name', 'cert only', '--no-secret']);
      expect(result.code).toBe(0);
      expect(body()).toEqual({ displayName: 'cert only', withSecret: false });
      expect(result.stdout).not.toContain('client-secret');
      expect(result.stderr).not.toContain('store it now');
      stub.reset();
      const refused = await run(['client', 'new', '--name', 'x', '--no-secret', '--secret-expires', '2026-01-01T00:00:00Z']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^s2sctl: --secret-expires goes with a secret; .*\n$/);
      expect(stub.requests).toHaveLength(0);
    });

    it('new refuses an unknown grant type, naming the option', async () => {
      const result = await run(['client', 'new', '--name', 'x', '--grant-type', 'password']);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr:
          "s2sctl: option '--grant-type <type>' argument 'password' is invalid. Allowed values are client_credentials or jwt-bearer (short for urn:ietf:params:oauth:grant-type:jwt-bearer).\n",
      });
    });

    it('list prints the table with counts and granted roles', async () => {
      stub.on('GET', `${API}/clients`, { status: 200, body: { items: [GRANTED] } });
      const result = await run(['client', 'list']);
      expect(result.stdout.split('\n')).toEqual([
        'CLIENT ID                             NAME          REALM        ENABLED  ACT AS USERS  SECRETS  CERTIFICATES  ROLES',
        `${CLIENT_ID}  batch daemon  contoso.com  yes      no            1        0             Read.All (api://webapi)`,
        '',
      ]);
      expect(result.stdout).not.toContain(NEW_SECRET);
    });

    it('set sends only the given fields; --enabled takes true or false', async () => {
      stub.on('PATCH', `${API}/clients/${CLIENT_ID}`, { status: 200, body: { ...CLIENT, enabled: false } });
      const result = await run(['client', 'set', CLIENT_ID, '--enabled', 'false', '--act-as-users', 'TRUE', '--grant-type', 'jwt-bearer', '--legacy-token-endpoint-audience', 'false']);
      expect(result.code).toBe(0);
      expect(body()).toEqual({ enabled: false, actAsUsers: true, grantTypes: ['urn:ietf:params:oauth:grant-type:jwt-bearer'], allowTokenEndpointAudience: false });
      expect(result.stdout).toContain('enabled        no\n');
      stub.reset();
      const bad = await run(['client', 'set', CLIENT_ID, '--enabled', 'no']);
      expect(bad).toEqual({ code: 2, stdout: '', stderr: "s2sctl: option '--enabled <true|false>' argument 'no' is invalid. Expected true or false.\n" });
      const empty = await run(['client', 'set', CLIENT_ID]);
      expect(empty.code).toBe(2);
      expect(stub.requests).toHaveLength(0);
    });

    it('show and remove use the client id in the path', async () => {
      stub.on('GET', `${API}/clients/${CLIENT_ID}`, { status: 200, body: GRANTED }).on('DELETE', `${API}/clients/${CLIENT_ID}`, { status: 200, body: CLIENT });
      const show = await run(['client', 'show', CLIENT_ID]);
      expect(show.stdout).toContain('role grants:\n  RESOURCE      ROLE\n  api://webapi  Read.All\n');
      expect(show.stdout).toContain('…3456');
      const remove = await run(['client', 'remove', CLIENT_ID]);
      expect(remove).toEqual({ code: 0, stdout: `removed client ${CLIENT_ID} (batch daemon)\n`, stderr: '' });
    });

    it('add-secret posts description and expiry and prints the secret once; remove-secret deletes by id', async () => {
      const secret = { id: 'a1b2c3d4-0000-4000-8000-000000000002', clientSecret: NEW_SECRET, hint: '…3456', description: 'rotation', createdAt: '2025-06-01T00:00:00.000Z', expiresAt: '2026-06-01T00:00:00.000Z' };
      stub.on('POST', `${API}/clients/${CLIENT_ID}/secrets`, { status: 201, body: secret });
      const added = await run(['client', 'add-secret', '--client', CLIENT_ID, '--description', 'rotation', '--expires', '2026-06-01T00:00:00Z'], { showsNewSecret: true });
      expect(added.code).toBe(0);
      expect(body()).toEqual({ description: 'rotation', expiresAt: '2026-06-01T00:00:00.000Z' });
      expect(added.stdout).toContain(`\nclient-secret  ${NEW_SECRET}\n`);
      expect(occurrences(added.stdout + added.stderr, NEW_SECRET)).toBe(1);
      expect(added.stderr).toBe('store it now: it is not shown again\n');

      stub.reset();
      stub.on('DELETE', `${API}/clients/${CLIENT_ID}/secrets/${secret.id}`, { status: 200, body: CLIENT });
      const removed = await run(['client', 'remove-secret', '--client', CLIENT_ID, '--secret-id', secret.id]);
      expect(removed.code).toBe(0);
      expect(stub.requests[0]).toMatchObject({ method: 'DELETE', path: `${API}/clients/${CLIENT_ID}/secrets/${secret.id}`, body: '' });
    });

    it('grant-role posts {resource, role}; revoke-role sends them as the query string', async () => {
      stub.on('POST', `${API}/clients/${CLIENT_ID}/role-grants`, { status: 201, body: GRANTED });
      stub.on('DELETE', `${API}/clients/${CLIENT_ID}/role-grants`, { status: 200, body: CLIENT });
      const grant = await run(['client', 'grant-role', '--client', CLIENT_ID, '--resource', 'api://webapi', '--role', 'Read.All']);
      expect(grant.code).toBe(0);
      expect(stub.requests[0]).toMatchObject({ method: 'POST', path: `${API}/clients/${CLIENT_ID}/role-grants` });
      expect(body()).toEqual({ resource: 'api://webapi', role: 'Read.All' });
      expect(grant.stdout).toContain('  api://webapi  Read.All\n');

      const revoke = await run(['client', 'revoke-role', '--client', CLIENT_ID, '--resource', 'api://webapi', '--role', 'Read.All', '-o', 'json']);
      expect(revoke).toEqual({ code: 0, stdout: `${JSON.stringify(CLIENT, null, 2)}\n`, stderr: '' });
      const request = stub.requests[1];
      expect(request).toMatchObject({ method: 'DELETE', path: `${API}/clients/${CLIENT_ID}/role-grants`, body: '' });
      expect(request.query.toString()).toBe('resource=api%3A%2F%2Fwebapi&role=Read.All');
      expect([...request.query]).toEqual([
        ['resource', 'api://webapi'],
        ['role', 'Read.All'],
      ]);
    });

    it('grant-scope and revoke-scope', async () => {
      stub.on('POST', `${API}/clients/${CLIENT_ID}/scope-grants`, { status: 201, body: CLIENT });
      stub.on('DELETE', `${API}/clients/${CLIENT_ID}/scope-grants`, { status: 200, body: CLIENT });
      await run(['client', 'grant-scope', '--client', CLIENT_ID, '--resource', 'api://webapi', '--scope', 'user_impersonation']);
      await run(['client', 'revoke-scope', '--client', CLIENT_ID, '--resource', 'api://webapi', '--scope', 'user_impersonation']);
      expect(body()).toEqual({ resource: 'api://webapi', scope: 'user_impersonation' });
      expect(stub.requests[1].query.toString()).toBe('resource=api%3A%2F%2Fwebapi&scope=user_impersonation');
    });

    it('add-certificate sends a PEM certificate as text and a DER one as base64, never the key', async () => {
      const registered = { ...CLIENT, certificates: [{ thumbprint: SHA1, thumbprintSha256: 'AB'.repeat(32), x5t: 'x5t', subject: 'CN=daemon.contoso.com', notAfter: '2099-01-01T00:00:00.000Z' }] };
      stub.on('POST', `${API}/clients/${CLIENT_ID}/certificates`, { status: 201, body: registered });
      // The key sits in the same file as the certificate: only the certificate may be sent.
      writeFileSync(join(cwd, 'daemon-with-key.pem'), `${daemon.key}${daemon.cert}`);
      const pem = await run(['client', 'add-certificate', '--client', CLIENT_ID, '--cert', 'daemon-with-key.pem']);
      expect(pem.code).toBe(0);
      expect(body()).toEqual({ certificate: daemon.cert });
      expect(stub.requests[0].body).not.toContain('PRIVATE KEY');
      expect(pem.stdout).toContain(`  ${SHA1}  CN=daemon.contoso.com  2099-01-01T00:00:00.000Z\n`);
      const der = await run(['client', 'add-certificate', '--client', CLIENT_ID, '--cert', 'daemon.cer']);
      expect(der.code).toBe(0);
      expect(body(1)).toEqual({ certificate: readFileSync(join(cwd, 'daemon.cer')).toString('base64') });
    });

    it('remove-certificate normalises the thumbprint like the certificate commands', async () => {
      stub.on('DELETE', `${API}/clients/${CLIENT_ID}/certificates/${SHA1}`, { status: 200, body: CLIENT });
      const result = await run(['client', 'remove-certificate', '--client', CLIENT_ID, '--thumbprint', `\u200e${SHA1.toLowerCase().match(/../g)!.join(':')}`]);
      expect(result.code).toBe(0);
      expect(stub.requests[0]).toMatchObject({ method: 'DELETE', path: `${API}/clients/${CLIENT_ID}/certificates/${SHA1}` });
      const bad = await run(['client', 'remove-certificate', '--client', CLIENT_ID, '--thumbprint', '9A3F']);
      expect(bad.code).toBe(2);
      expect(stub.requests).toHaveLength(1);
    });

    it('reports an API error in one line with its code', async () => {
      stub.on('POST', `${API}/clients/${CLIENT_ID}/role-grants`, {
        status: 422,
        body: { code: 'role_not_found', message: 'resource api://webapi has no app role Delete.All' },
      });
      const result = await run(['client', 'grant-role', '--client', CLIENT_ID, '--resource', 'api://webapi', '--role', 'Delete.All']);
      expect(result).toEqual({ code: 1, stdout: '', stderr: 's2sctl: resource api://webapi has no app role Delete.All (role_not_found, HTTP 422)\n' });
    });
  });

  describe('token get', () => {
    const TOKEN_RESPONSE = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3599 };

    it('--secret-file: client_secret_basic with the RFC 6749 encoding, the form body, no admin key; prints the token alone', async () => {
      stub.on('POST', '/oauth2/token', { status: 200, body: TOKEN_RESPONSE });
      const result = await run(['token', 'get', '--client', CLIENT_ID, '--resource', 'api://webapi', '--secret-file', 'daemon.secret', '--upn', 'alice@contoso.com', '--sid', 'S-1-5-21-1-2-3-1001']);
      expect(result).toEqual({ code: 0, stdout: `${ACCESS_TOKEN}\n`, stderr: 'expires in 3599s\n' });
      expect(stub.requests).toHaveLength(1);
      const [request] = stub.requests;
      expect(request).toMatchObject({ method: 'POST', path: '/oauth2/token' });
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(decodeBasic(request.headers.authorization)).toEqual({ clientId: CLIENT_ID, secret: TOKEN_SECRET });
      expect(request.body).toBe('grant_type=client_credentials&resource=api%3A%2F%2Fwebapi&upn=alice%40contoso.com&sid=S-1-5-21-1-2-3-1001');
      expect(request.body).not.toContain('client_secret');
      expect(JSON.stringify(request.headers)).not.toContain(ADMIN_KEY);
    });

    it('reads the secret from piped stdin; --scope instead of --resource; -o json prints the token response; needs no admin key', async () => {
      stub.on('POST', '/oauth2/token', { status: 200, body: TOKEN_RESPONSE });
      const result = await run(['token', 'get', '--client', CLIENT_ID, '--scope', 'api://webapi/.default', '-o', 'json'], {
        stdin: `${TOKEN_SECRET}\n`,
        withoutAdminKey: true,
      });
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(TOKEN_RESPONSE, null, 2)}\n`, stderr: '' });
      expect(decodeBasic(stub.requests[0].headers.authorization).secret).toBe(TOKEN_SECRET);
      expect(form(stub.requests[0])).toEqual({ grant_type: 'client_credentials', scope: 'api://webapi/.default' });
    });

    it('--cert/--key: reads the issuer from discovery and sends a private_key_jwt assertion that verifies with the certificate', async () => {
      stub.on('GET', '/.well-known/oauth-authorization-server', { status: 200, body: { issuer: ISSUER, token_endpoint: `${ISSUER}/oauth2/token` } });
      stub.on('POST', '/oauth2/token', { status: 200, body: TOKEN_RESPONSE });
      const before = Math.floor(Date.now() / 1000);
      const result = await run(['token', 'get', '--client', CLIENT_ID, '--resource', 'api://webapi', '--cert', 'daemon.cer', '--key', daemon.keyFile]);
      expect(result).toEqual({ code: 0, stdout: `${ACCESS_TOKEN}\n`, stderr: 'expires in 3599s\n' });
      expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /.well-known/oauth-authorization-server', 'POST /oauth2/token']);
      const tokenRequest = stub.requests[1];
      // No Basic credentials and no admin key: the assertion is the authentication.
      expect(tokenRequest.headers.authorization).toBeUndefined();
      expect(stub.requests[0].headers.authorization).toBeUndefined();
      const fields = form(tokenRequest);
      expect(Object.keys(fields).sort()).toEqual(['client_assertion', 'client_assertion_type', 'client_id', 'grant_type', 'resource']);
      expect(fields).toMatchObject({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        resource: 'api://webapi',
      });

      const [header, payload, signature] = fields.client_assertion.split('.');
      expect(verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey(daemon.cert), Buffer.from(signature, 'base64url'))).toBe(true);
      const x5t = execFileSync('sh', ['-c', `openssl x509 -in "${daemon.certFile}" -outform der | openssl dgst -sha1 -binary`]).toString('base64url');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT', x5t, kid: x5t });
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      expect(claims).toMatchObject({ iss: CLIENT_ID, sub: CLIENT_ID, aud: ISSUER });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.iat).toBeGreaterThanOrEqual(before);
      expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(300);
    });

    it('refuses a key that is not the certificate one before contacting the server', async () => {
      const stranger = generateSelfSignedCertificate('stranger.contoso.com');
      try {
        const result = await run(['token', 'get', '--client', CLIENT_ID, '--resource', 'api://webapi', '--cert', daemon.certFile, '--key', stranger.keyFile]);
        expect(result).toEqual({ code: 2, stdout: '', stderr: `s2sctl: --key ${stranger.keyFile} is not the private key of --cert ${daemon.certFile}\n` });
        expect(stub.requests).toHaveLength(0);
      } finally {
        rmSync(stranger.dir, { recursive: true, force: true });
      }
    });

    it('prints an OAuth error as "<error>: <error_description> (HTTP <status>)", exit 1, stdout empty', async () => {
      stub.on('POST', '/oauth2/token', { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } });
      const result = await run(['token', 'get', '--client', CLIENT_ID, '--resource', 'api://webapi', '--secret-file', 'daemon.secret']);
      expect(result).toEqual({ code: 1, stdout: '', stderr: 's2sctl: invalid_client: client authentication failed (HTTP 401)\n' });
      stub.reset();
      stub.on('POST', '/oauth2/token', { status: 400, body: { error: 'invalid_target' } });
      const bare = await run(['token', 'get', '--client', CLIENT_ID, '--resource', 'api://nothing', '--secret-file', 'daemon.secret', '-o', 'json']);
      expect(bare).toEqual({ code: 1, stdout: '', stderr: 's2sctl: invalid_target (HTTP 400)\n' });
    });

    it('reports discovery without an issuer and a token endpoint that is not OAuth', async () => {
      stub.on('GET', '/.well-known/oauth-authorization-server', { status: 200, body: { token_endpoint: 'x' } });
      const noIssuer = await run(['token', 'get', '--client', CLIENT_ID, '--resource', 'r', '--cert', daemon.certFile, '--key', daemon.keyFile]);
      expect(noIssuer).toEqual({ code: 1, stdout: '', stderr: `s2sctl: the authorization server metadata at ${stub.url}/.well-known/oauth-authorization-server has no issuer\n` });
      expect(stub.requests).toHaveLength(1);
      const notOAuth = await run(['token', 'get', '--client', CLIENT_ID, '--resource', 'r', '--secret-file', 'daemon.secret']);
      expect(notOAuth).toEqual({ code: 1, stdout: '', stderr: `s2sctl: unexpected response from ${stub.url}/oauth2/token: 404 Not Found\n` });
    });

    it.each([
      [['--secret-file', 'daemon.secret'], 's2sctl: give --resource <app-id-uri> or --scope <scope>: what the token is for\n'],
      [['--resource', 'r', '--cert', 'daemon.cer'], 's2sctl: --cert needs --key: the private key that signs the client assertion\n'],
      [['--resource', 'r', '--secret-file', 'daemon.secret', '--cert', 'daemon.cer', '--key', 'k'], 's2sctl: use either a client secret (--secret-file, stdin or a prompt) or --cert with --key, not both\n'],
    ])('refuses %j as a usage error without a request', async (args, stderr) => {
      const result = await run(['token', 'get', '--client', CLIENT_ID, ...args]);
      expect(result).toEqual({ code: 2, stdout: '', stderr });
      expect(stub.requests).toHaveLength(0);
    });
  });

  describe('token decode (no server)', () => {
    const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const SIGNATURE = 'YWN0b3Itc2lnbmF0dXJlLW5ldmVyLXByaW50ZWQ';
    const ACTOR = `${b64url({ typ: 'JWT', alg: 'RS256', x5t: 'x5t' })}.${b64url({ iss: '00000004-0000-0ff1-ce00-000000000000@contoso.com', nameid: `${CLIENT_ID}@contoso.com`, nbf: 1735689600, exp: 1735732800 })}.${SIGNATURE}`;
    const OUTER = `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url({ iss: `${CLIENT_ID}@contoso.com`, exp: 1735689900, actortoken: ACTOR, upn: 'alice@contoso.com' })}.`;

    it('prints header, payload, times and the nested actor token, never a signature', async () => {
      const result = await run(['token', 'decode', OUTER], { offline: true });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^header:\n\{\n {2}"typ": "JWT",\n {2}"alg": "none"\n\}\npayload:\n/);
      expect(result.stdout).toContain('\nexp: 2025-01-01T00:05:00.000Z (expired)\nactortoken:\n  header:\n  {\n    "typ": "JWT",\n    "alg": "RS256",\n');
      expect(result.stdout).toContain('  nbf: 2025-01-01T00:00:00.000Z\n  exp: 2025-01-01T12:00:00.000Z (expired)\n');
      expect(result.stdout.endsWith('\nsignature: not verified (decode only)\n')).toBe(true);
      expect(result.stdout).not.toContain(SIGNATURE);
      expect(stub.requests).toHaveLength(0);
    });

    it('- reads the token from stdin; -o json gives {header, payload, actortoken}', async () => {
      const result = await run(['token', 'decode', '-', '-o', 'json'], { offline: true, stdin: `Bearer ${OUTER}\n` });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const view = JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
      expect(Object.keys(view)).toEqual(['header', 'payload', 'actortoken']);
      expect(view.header).toEqual({ typ: 'JWT', alg: 'none' });
      expect(view.payload.upn).toBe('alice@contoso.com');
      expect(view.actortoken.payload).toMatchObject({ nameid: `${CLIENT_ID}@contoso.com` });
      expect(result.stdout).not.toContain(SIGNATURE);
    });

    it.each([
      ['not-a-token', 's2sctl: the token is not a JWT: expected 2 or 3 dot-separated segments, found 1\n'],
      [`${b64url({ alg: 'none' })}.e30.x.y`, 's2sctl: the token is not a JWT: expected 2 or 3 dot-separated segments, found 4\n'],
      [`${b64url({ alg: 'none' })}.not*base64.`, 's2sctl: the token is not a JWT: the payload is not base64url\n'],
      [`${Buffer.from('{"alg":').toString('base64url')}.e30.`, 's2sctl: the token is not a JWT: the header is not JSON\n'],
    ])('refuses %j with one line, exit 1', async (token, stderr) => {
      const result = await run(['token', 'decode', token], { offline: true });
      expect(result).toEqual({ code: 1, stdout: '', stderr });
    });
  });

  // Declared last, so it runs after every other test of this file.
  it('never printed a private key, the admin key or the token secret; the new client secret only where it is shown once', () => {
    expect(outputs.length).toBeGreaterThan(50);
    const keyLine = daemon.key.split('\n')[1];
    for (const { stdout, stderr, showsNewSecret } of outputs) {
      for (const secret of ['PRIVATE KEY', keyLine, ADMIN_KEY, TOKEN_SECRET, 'a%s+s w0rd']) {
        expect(stdout).not.toContain(secret);
        expect(stderr).not.toContain(secret);
      }
      expect(occurrences(stdout + stderr, NEW_SECRET)).toBe(showsNewSecret ? 1 : 0);
    }
    expect(outputs.filter((output) => output.showsNewSecret)).toHaveLength(3);
  });
});
