import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TlsStubServer, generateSelfSignedCertificate, type SelfSignedCertificate } from './tls-stub.server.js';

/**
 * `s2sctl partner-application ...` and `s2sctl token validate` run as a child process (the built
 * CLI; `npm run build` first) against the HTTPS stub of the admin API: the exact requests sent,
 * what is printed, exit codes, and that the validated token is never printed.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist/apps/s2sctl/src/main.js');
const ADMIN_KEY = 's2sk.e2e-partner-validate-admin-key';
const API = '/admin/v1';
const APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const METADATA_URL = 'https://mail.contoso.com/autodiscover/metadata/json/1';
/** A token to validate: sent in the request body, never printed. */
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Ing1dC1jdXJyZW50In0.eyJhdWQiOiJhcGk6Ly93ZWJhcGkiLCJpc3MiOiJ4In0.dG9rZW4tc2lnbmF0dXJlLW5ldmVyLXByaW50ZWQ';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface RunOptions {
  readonly stdin?: string;
  /** Leave out --server/--ca-file and point S2S_SERVER nowhere: for commands that must not call a server. */
  readonly offline?: boolean;
}

const EXCHANGE = {
  identity: 'microsoft.exchange',
  applicationIdentifier: APP_ID,
  realm: 'contoso.com',
  metadataUrl: METADATA_URL,
  hostAuthority: 'mail.contoso.com',
  trustLevel: 'Full',
  acceptSecurityIdentifierInformation: true,
  sourceAddresses: [],
  keyChangePolicy: 'accept',
  useOAuthServer: null,
  acceptedDomains: [],
  pendingKeys: [],
  enabled: false,
  hasMetadataCaBundle: true,
  metadataHostAllowList: ['mail.contoso.com', '10.0.0.5'],
  allowHttpMetadata: false,
  keys: [{ x5t: 'x5t-current', notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2099-01-01T00:00:00.000Z' }],
  metadataStatus: { lastAttemptAt: '2025-06-01T00:00:00.000Z', lastSuccessAt: '2025-06-01T00:00:00.000Z', lastError: null, reviewReason: null },
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
};

const FABRIKAM = {
  ...EXCHANGE,
  identity: 'fabrikam.app',
  applicationIdentifier: '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f',
  realm: 'fabrikam.com',
  metadataUrl: null,
  hostAuthority: null,
  trustLevel: 'Application',
  acceptSecurityIdentifierInformation: false,
  enabled: true,
  hasMetadataCaBundle: false,
  metadataHostAllowList: [],
  keys: [
    { x5t: 'x5t-pem', notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2099-01-01T00:00:00.000Z' },
    { x5t: 'x5t-der', notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2099-01-01T00:00:00.000Z' },
  ],
  metadataStatus: { lastAttemptAt: null, lastSuccessAt: null, lastError: null, reviewReason: null },
};

const REFRESH_ERROR = 'the metadata document could not be downloaded: connect ECONNREFUSED 10.0.0.5:443';
const REFRESH_FAILED = {
  ...EXCHANGE,
  metadataStatus: { lastAttemptAt: '2025-06-02T00:00:00.000Z', lastSuccessAt: '2025-06-01T00:00:00.000Z', lastError: REFRESH_ERROR, reviewReason: null },
};

const VALID = {
  valid: true,
  reason: null,
  message: null,
  trust: { kind: 'partner', id: 'microsoft.exchange' },
  appId: APP_ID,
  roles: ['Read.All'],
  scopes: [],
  user: { upn: 'alice@contoso.com' },
  checks: [
    { check: 'format', passed: true, detail: null },
    { check: 'signature', passed: true, detail: 'RS256, key x5t-current' },
    { check: 'lifetime', passed: true, detail: 'expires 2025-06-01T01:00:00Z' },
  ],
  key: { id: 'x5t-current', found: true, source: 'partner-metadata' },
  issuerMetadataFetchedAt: '2025-06-01T00:00:00.000Z',
  clockDifferenceSeconds: -2,
  header: { typ: 'JWT', alg: 'RS256', x5t: 'x5t-current' },
  claims: { aud: 'api://webapi', iss: 'x' },
};

const INVALID = {
  ...VALID,
  valid: false,
  reason: 'signature_invalid',
  message: 'the signature does not verify with key x5t-current',
  trust: null,
  appId: null,
  roles: [],
  user: null,
  checks: [
    { check: 'format', passed: true, detail: null },
    { check: 'signature', passed: false, detail: 'does not verify' },
  ],
  clockDifferenceSeconds: null,
};

describe('s2sctl partner-application / token validate (built CLI)', () => {
  let stub: TlsStubServer;
  let cwd: string;
  let caFile: string;
  /** The partner's signing certificate (openssl), as PEM and as DER. */
  let signer: SelfSignedCertificate;
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
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
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
      if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    });
  const body = (index = 0): unknown => JSON.parse(stub.requests[index].body);
  const requestLine = (index = 0): string => `${stub.requests[index].method} ${stub.requests[index].path}`;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before these tests`);
    stub = await TlsStubServer.start();
    cwd = mkdtempSync(join(tmpdir(), 's2sctl-partner-cli-'));
    caFile = join(cwd, 'server-ca.pem');
    writeFileSync(caFile, stub.certificate.cert);
    signer = generateSelfSignedCertificate('signing.fabrikam.com');
    writeFileSync(join(cwd, 'fabrikam.pem'), signer.cert);
    execFileSync('openssl', ['x509', '-in', signer.certFile, '-outform', 'DER', '-out', join(cwd, 'fabrikam.cer')], { stdio: 'ignore' });
    // A CA bundle with text before the certificate, as `openssl x509 -text` or a browser export writes it.
    writeFileSync(join(cwd, 'lab-root.pem'), `subject=CN=lab root\n${stub.certificate.cert}`);
  });
  afterAll(async () => {
    await stub?.close();
    rmSync(cwd, { recursive: true, force: true });
    if (signer) rmSync(signer.dir, { recursive: true, force: true });
  });
  beforeEach(() => stub.reset());

  describe('--help', () => {
    const COMMANDS: readonly (readonly [string, string])[] = [
      ['partner-application', 'commands: new get list set remove refresh'],
      ['partner-application new', '--metadata-ca-file <file>'],
      ['partner-application get', '<identity>'],
      ['partner-application list', 'List the partner applications'],
      ['partner-application set', '--accept-security-identifier-information <true|false>'],
      ['partner-application remove', 'Remove-CsPartnerApplication'],
      ['partner-application refresh', 'last known good keys'],
      ['token', 'commands: get decode validate'],
      ['token validate', '--explain'],
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
      // The metadata CA option must not be confused with the global --ca-file.
      expect(result.stdout).toContain('--ca-file <pem>');
    });

    it('the root help lists the group and examples', async () => {
      const result = await run(['--help'], { offline: true });
      expect(result.code).toBe(0);
      for (const line of ['partner-application [options]', 's2sctl partner-application new --identity', 's2sctl token validate "$TOKEN" --explain']) {
        expect(result.stdout).toContain(line);
      }
    });
  });

  describe('partner-application new', () => {
    it('by metadata URL: posts the URL and every setting given; the trust level in its canonical spelling; the CA file as PEM', async () => {
      stub.on('POST', `${API}/partner-applications`, { status: 201, body: EXCHANGE });
      const result = await run([
        ...['partner-application', 'new', '--identity', 'microsoft.exchange', '--metadata-url', METADATA_URL, '--host', 'mail.contoso.com'],
        ...['--trust-level', 'fULL', '--accept-security-identifier-information', '--enabled', 'false', '--metadata-ca-file', 'lab-root.pem'],
        ...['--metadata-host', 'mail.contoso.com', '--metadata-host', '10.0.0.5'],
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(stub.requests).toHaveLength(1);
      expect(requestLine()).toBe(`POST ${API}/partner-applications`);
      expect(stub.requests[0].headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
      expect(stub.requests[0].headers['content-type']).toBe('application/json');
      expect(body()).toEqual({
        identity: 'microsoft.exchange',
        metadataUrl: METADATA_URL,
        hostAuthority: 'mail.contoso.com',
        trustLevel: 'Full',
        acceptSecurityIdentifierInformation: true,
        enabled: false,
        metadataCaBundle: stub.certificate.cert,
        metadataHostAllowList: ['mail.contoso.com', '10.0.0.5'],
      });
      expect(result.stdout).toMatch(/^identity {8}microsoft\.exchange\napplication-id {2}00000002-0000-0ff1-ce00-000000000000\n/);
      expect(result.stdout).toContain('metadata-ca     own CA bundle and system store\nmetadata-hosts  mail.contoso.com, 10.0.0.5\n');
      expect(result.stdout).toContain('keys:\n  X5T          NOT BEFORE                NOT AFTER\n  x5t-current  2025-01-01T00:00:00.000Z  2099-01-01T00:00:00.000Z\n');
    });

    it('by metadata URL with defaults: only the identity, URL and trust level Application; -o json prints the body', async () => {
      stub.on('POST', `${API}/partner-applications`, { status: 201, body: EXCHANGE });
      const result = await run(['partner-application', 'new', '--identity', 'microsoft.exchange', '--metadata-url', METADATA_URL, '-o', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(EXCHANGE, null, 2)}\n`, stderr: '' });
      expect(body()).toEqual({ identity: 'microsoft.exchange', metadataUrl: METADATA_URL, trustLevel: 'Application' });
    });

    it('by application identifier, realm and certificates: a PEM file as its text, a DER file as base64, the GUID in lowercase', async () => {
      stub.on('POST', `${API}/partner-applications`, { status: 201, body: FABRIKAM });
      const result = await run([
        ...['partner-application', 'new', '--identity', 'fabrikam.app', '--application-identifier', '{2E8FE2CA-8B21-4D1A-9C7E-7F2B3C4D5E6F}'],
        ...['--realm', 'fabrikam.com', '--certificate', 'fabrikam.pem', '--certificate', 'fabrikam.cer', '--trust-level', 'user'],
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`POST ${API}/partner-applications`);
      expect(body()).toEqual({
        identity: 'fabrikam.app',
        applicationIdentifier: '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f',
        realm: 'fabrikam.com',
        certificates: [readFileSync(join(cwd, 'fabrikam.pem'), 'utf8'), readFileSync(join(cwd, 'fabrikam.cer')).toString('base64')],
        trustLevel: 'User',
      });
      expect(result.stdout).toContain('\nmetadata: none (pinned certificates)\n');
    });

    it('pins only the first certificate of a PEM file with several, and says so on stderr', async () => {
      stub.on('POST', `${API}/partner-applications`, { status: 201, body: FABRIKAM });
      writeFileSync(join(cwd, 'fullchain.pem'), `${signer.cert}${stub.certificate.cert}`);
      const result = await run(['partner-application', 'new', '--identity', 'fabrikam.app', '--application-identifier', FABRIKAM.applicationIdentifier, '--realm', 'fabrikam.com', '--certificate', 'fullchain.pem']);
      expect(result.code).toBe(0);
      expect((body() as { certificates: string[] }).certificates).toEqual([signer.cert]);
      expect(result.stderr).toBe('only the first certificate of fullchain.pem was pinned; the others in the file were not sent\n');
    });

    it.each([
      [['--metadata-url', METADATA_URL, '--realm', 'contoso.com'], "s2sctl: --metadata-url cannot be combined with --realm: the metadata document names the partner's application identifier, realm and certificates\n"],
      [['--application-identifier', APP_ID, '--realm', 'contoso.com'], 's2sctl: without --metadata-url, also give --certificate <file>\n'],
      [[], 's2sctl: give --metadata-url <url>, or --application-identifier <guid> --realm <realm> --certificate <file> (see s2sctl partner-application new --help)\n'],
      [['--application-identifier', APP_ID, '--realm', 'r', '--certificate', 'fabrikam.cer', '--metadata-host', 'h'], 's2sctl: --metadata-host goes with --metadata-url\n'],
      [['--metadata-url', 'http://lab.local/m'], 's2sctl: the metadata URL is http://: use https, or add --allow-http-metadata (labs only: the keys could be tampered with in transit)\n'],
      [['--metadata-url', METADATA_URL, '--trust-level', 'partner'], "s2sctl: option '--trust-level <level>' argument 'partner' is invalid. Supported values are Full, Application, User (in any case).\n"],
      [['--application-identifier', 'exchange', '--realm', 'r', '--certificate', 'x'], "s2sctl: option '--application-identifier <guid>' argument 'exchange' is invalid. Expected a GUID, e.g. 00000002-0000-0ff1-ce00-000000000000.\n"],
      [['--application-identifier', APP_ID, '--realm', 'r', '--certificate', 'missing.cer'], 's2sctl: cannot read --certificate missing.cer: no such file\n'],
    ])('refuses %j before any request', async (args, stderr) => {
      const result = await run(['partner-application', 'new', '--identity', 'x', ...args]);
      expect(result.stderr).toBe(stderr);
      expect(result.code).toBe(stderr.includes('cannot read') ? 1 : 2);
      expect(result.stdout).toBe('');
      expect(stub.requests).toHaveLength(0);
    });

    it('--allow-http-metadata lets an http:// URL through', async () => {
      stub.on('POST', `${API}/partner-applications`, { status: 201, body: EXCHANGE });
      const result = await run(['partner-application', 'new', '--identity', 'lab', '--metadata-url', 'http://lab.local/m', '--allow-http-metadata']);
      expect(result.code).toBe(0);
      expect(body()).toEqual({ identity: 'lab', metadataUrl: 'http://lab.local/m', allowHttpMetadata: true, trustLevel: 'Application' });
    });

    it('reports metadata_unavailable (422) in one line, exit 1', async () => {
      stub.on('POST', `${API}/partner-applications`, {
        status: 422,
        body: {
          code: 'metadata_unavailable',
          message: 'the metadata document could not be downloaded from the metadata URL or is not a valid metadata document: HTTP 404',
          details: [{ field: 'metadataUrl', message: 'HTTP 404' }],
        },
      });
      const result = await run(['partner-application', 'new', '--identity', 'microsoft.exchange', '--metadata-url', METADATA_URL]);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: 's2sctl: the metadata document could not be downloaded from the metadata URL or is not a valid metadata document: HTTP 404 (metadata_unavailable, HTTP 422)\n',
      });
    });
  });

  describe('partner-application list / get / set / remove', () => {
    it('list prints the table with the metadata status', async () => {
      stub.on('GET', `${API}/partner-applications`, { status: 200, body: { items: [REFRESH_FAILED, FABRIKAM] } });
      const result = await run(['partner-application', 'list']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')).toEqual([
        'IDENTITY            APPLICATION ID                        REALM         TRUST        ENABLED  KEYS  LAST SUCCESS              STATUS',
        `microsoft.exchange  ${APP_ID}  contoso.com   Full         no       1     2025-06-01T00:00:00.000Z  error: ${REFRESH_ERROR}`,
        'fabrikam.app        2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f  fabrikam.com  Application  yes      2     -                         ok',
        '',
      ]);
    });

    it('get and remove address the partner by its identity', async () => {
      const path = `${API}/partner-applications/microsoft.exchange`;
      stub.on('GET', path, { status: 200, body: EXCHANGE }).on('DELETE', path, { status: 200, body: EXCHANGE });
      const get = await run(['partner-application', 'get', 'microsoft.exchange']);
      expect(get.code).toBe(0);
      expect(get.stdout).toContain('\nmetadata:\n  status        ok\n  last-attempt  2025-06-01T00:00:00.000Z\n');
      const remove = await run(['partner-application', 'remove', 'microsoft.exchange']);
      expect(remove).toEqual({ code: 0, stdout: `removed partner application microsoft.exchange (${APP_ID}@contoso.com)\n`, stderr: '' });
      expect(stub.requests.map((_, index) => requestLine(index))).toEqual([`GET ${path}`, `DELETE ${path}`]);
      expect(stub.requests[1].body).toBe('');
    });

    it('set patches exactly the given fields; true|false switches', async () => {
      const path = `${API}/partner-applications/microsoft.exchange`;
      stub.on('PATCH', path, { status: 200, body: EXCHANGE });
      const result = await run([
        ...['partner-application', 'set', 'microsoft.exchange', '--trust-level', 'application', '--enabled', 'TRUE'],
        ...['--accept-security-identifier-information', 'false', '--allow-http-metadata', 'false', '--metadata-host', 'mail.contoso.com', '--host', 'mail.contoso.com:443'],
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`PATCH ${path}`);
      expect(body()).toEqual({
        trustLevel: 'Application',
        enabled: true,
        acceptSecurityIdentifierInformation: false,
        allowHttpMetadata: false,
        metadataHostAllowList: ['mail.contoso.com'],
        hostAuthority: 'mail.contoso.com:443',
      });
      expect(result.stdout).toMatch(/^identity {8}microsoft\.exchange\n/);
    });

    it('set --certificate replaces the pinned certificates; the unchangeable identifier and realm are sent for the server to compare', async () => {
      const path = `${API}/partner-applications/fabrikam.app`;
      stub.on('PATCH', path, { status: 200, body: FABRIKAM });
      const result = await run(['partner-application', 'set', 'fabrikam.app', '--certificate', 'fabrikam.cer', '--application-identifier', FABRIKAM.applicationIdentifier, '--realm', 'fabrikam.com']);
      expect(result.code).toBe(0);
      expect(body()).toEqual({
        applicationIdentifier: FABRIKAM.applicationIdentifier,
        realm: 'fabrikam.com',
        certificates: [readFileSync(join(cwd, 'fabrikam.cer')).toString('base64')],
      });
    });

    it('set with nothing to change, or with --metadata-url and --certificate, is a usage error and sends nothing', async () => {
      const empty = await run(['partner-application', 'set', 'microsoft.exchange', '-o', 'json']);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/^s2sctl: nothing to change: give --metadata-url, --certificate, --host, .*\(see s2sctl partner-application set --help\)\n$/);
      const both = await run(['partner-application', 'set', 'fabrikam.app', '--metadata-url', METADATA_URL, '--certificate', 'fabrikam.cer']);
      expect(both).toEqual({
        code: 2,
        stdout: '',
        stderr: 's2sctl: --metadata-url cannot be combined with --certificate: a partner with a metadata URL takes its keys from the metadata\n',
      });
      const bad = await run(['partner-application', 'set', 'fabrikam.app', '--enabled', 'yes']);
      expect(bad).toEqual({ code: 2, stdout: '', stderr: "s2sctl: option '--enabled <true|false>' argument 'yes' is invalid. Expected true or false.\n" });
      expect(stub.requests).toHaveLength(0);
    });

    it('reports a missing partner in one line', async () => {
      const result = await run(['partner-application', 'get', 'nobody']);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `s2sctl: no stub for GET ${API}/partner-applications/nobody (not_found, HTTP 404)\n` });
    });
  });

  describe('partner-application refresh', () => {
    const path = `${API}/partner-applications/microsoft.exchange/refresh`;

    it('posts to /refresh with no body and prints the keys and the status', async () => {
      stub.on('POST', path, { status: 200, body: EXCHANGE });
      const result = await run(['partner-application', 'refresh', 'microsoft.exchange']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`POST ${path}`);
      expect(stub.requests[0].body).toBe('');
      expect(result.stdout.split('\n')).toEqual([
        'refresh of microsoft.exchange: ok',
        '',
        'keys:',
        '  X5T          NOT BEFORE                NOT AFTER',
        '  x5t-current  2025-01-01T00:00:00.000Z  2099-01-01T00:00:00.000Z',
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
      const result = await run(['partner-application', 'refresh', 'microsoft.exchange']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^refresh of microsoft\.exchange: error \(the last known good keys were kept\)\n/);
      expect(result.stdout).toContain(`  last-error    ${REFRESH_ERROR}\n`);
      expect(result.stderr).toBe(`warning: ${REFRESH_ERROR}\n`);
      const json = await run(['partner-application', 'refresh', 'microsoft.exchange', '-o', 'json']);
      expect(json).toEqual({ code: 0, stdout: `${JSON.stringify(REFRESH_FAILED, null, 2)}\n`, stderr: `warning: ${REFRESH_ERROR}\n` });
    });

    it('a partner without metadata URL (409) is an error, exit 1', async () => {
      stub.on('POST', `${API}/partner-applications/fabrikam.app/refresh`, {
        status: 409,
        body: { code: 'no_metadata_url', message: 'partner fabrikam.app has pinned certificates and no metadata URL' },
      });
      const result = await run(['partner-application', 'refresh', 'fabrikam.app']);
      expect(result).toEqual({ code: 1, stdout: '', stderr: 's2sctl: partner fabrikam.app has pinned certificates and no metadata URL (no_metadata_url, HTTP 409)\n' });
    });
  });

  describe('partner-application test / approve-keys, oauth-server test, status', () => {
    const testPath = `${API}/partner-applications/microsoft.exchange/test`;
    const step = (name: string, status: string, reason: string | null = null, hint: string | null = null) => ({ step: name, status, reason, detail: `${name} detail`, hint });
    const PASSED = {
      kind: 'partner-application',
      identity: 'microsoft.exchange',
      testedAt: '2025-06-01T00:00:00.000Z',
      passed: true,
      failedStep: null,
      steps: [step('dns', 'pass'), step('download', 'pass'), step('outer-token', 'skip', 'not_requested'), step('probe', 'pass')],
      daysToEarliestKeyExpiry: 300,
      clockDifferenceSeconds: 0,
      probe: { url: 'https://mail.contoso.com/s2s/whoami', status: 200, wwwAuthenticate: null, diagnostics: null, body: '{"trust":{}}' },
    };
    const FAILED = {
      ...PASSED,
      passed: false,
      failedStep: 'download',
      steps: [step('dns', 'pass'), step('download', 'fail', 'connection_refused', 'is the partner running?'), step('probe', 'skip', 'previous_step_failed')],
      probe: null,
    };

    it('test: every step and the probe on stdout; exit 0 when it passed; the options go in the body', async () => {
      stub.on('POST', testPath, { status: 200, body: PASSED });
      const result = await run(['partner-application', 'test', 'microsoft.exchange', '--user', 'alice@contoso.com', '--probe-url', 'https://mail.contoso.com/ews/exchange.asmx']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`POST ${testPath}`);
      expect(JSON.parse(stub.requests[0].body)).toEqual({ user: 'alice@contoso.com', probeUrl: 'https://mail.contoso.com/ews/exchange.asmx' });
      expect(result.stdout.split('\n').slice(0, 6)).toEqual([
        'partner-application microsoft.exchange: every step passed',
        'RESULT  STEP         REASON         DETAIL',
        'PASS    dns          -              dns detail',
        'PASS    download     -              download detail',
        'SKIP    outer-token  not_requested  outer-token detail',
        'PASS    probe        -              probe detail',
      ]);
      expect(result.stdout).toContain('probe: https://mail.contoso.com/s2s/whoami → HTTP 200\n');
    });

    it('test: a failed step is exit 1, with its hint on stdout and one line on stderr; -o json prints the report too', async () => {
      stub.on('POST', testPath, { status: 200, body: FAILED });
      const result = await run(['partner-application', 'test', 'microsoft.exchange']);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^partner-application microsoft.exchange: FAILED at download\n/);
      expect(result.stdout).toContain('FAIL    download  connection_refused    download detail\n');
      expect(result.stdout).toContain('hint (download): is the partner running?\n');
      expect(result.stderr).toBe('s2sctl: connectivity test of microsoft.exchange failed at step download\n');
      expect(JSON.parse(stub.requests[0].body)).toEqual({});
      const json = await run(['partner-application', 'test', 'microsoft.exchange', '-o', 'json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual(FAILED);
    });

    it('test: an unknown partner is the API error, exit 1; a bad --probe-url a usage error, exit 2, nothing sent', async () => {
      stub.on('POST', `${API}/partner-applications/nobody/test`, { status: 404, body: { code: 'not_found', message: 'no partner application nobody' } });
      expect(await run(['partner-application', 'test', 'nobody'])).toEqual({ code: 1, stdout: '', stderr: 's2sctl: no partner application nobody (not_found, HTTP 404)\n' });
      const before = stub.requests.length;
      const usage = await run(['partner-application', 'test', 'microsoft.exchange', '--probe-url', 'not a url']);
      expect(usage.code).toBe(2);
      expect(stub.requests).toHaveLength(before);
    });

    it('oauth-server test: POST …/oauth-servers/{identity}/test, exit 1 on a failed step', async () => {
      const path = `${API}/oauth-servers/microsoft.sts/test`;
      stub.on('POST', path, { status: 200, body: { ...FAILED, kind: 'oauth-server', identity: 'microsoft.sts' } });
      const result = await run(['oauth-server', 'test', 'microsoft.sts']);
      expect(requestLine()).toBe(`POST ${path}`);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^oauth-server microsoft.sts: FAILED at download\n/);
    });

    it('approve-keys posts to /approve-keys and prints the partner; set --key-change-policy sends the policy', async () => {
      const path = `${API}/partner-applications/microsoft.exchange/approve-keys`;
      stub.on('POST', path, { status: 200, body: { ...EXCHANGE, keyChangePolicy: 'review' } });
      const approved = await run(['partner-application', 'approve-keys', 'microsoft.exchange']);
      expect(approved.code).toBe(0);
      expect(requestLine()).toBe(`POST ${path}`);
      expect(approved.stdout).toContain('key-changes     review\n');
      stub.on('PATCH', `${API}/partner-applications/microsoft.exchange`, { status: 200, body: EXCHANGE });
      const set = await run(['partner-application', 'set', 'microsoft.exchange', '--key-change-policy', 'Review']);
      expect(set.code).toBe(0);
      expect(JSON.parse(stub.requests.at(-1)!.body)).toEqual({ keyChangePolicy: 'review' });
      const bad = await run(['partner-application', 'set', 'microsoft.exchange', '--key-change-policy', 'sometimes']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('must be accept or review');
    });
  });

  describe('token validate', () => {
    const path = `${API}/tokens/validate`;

    it('valid --explain: posts {token}, prints the verdict, every check, key, metadata age and clock difference; exit 0', async () => {
      stub.on('POST', path, { status: 200, body: VALID });
      const result = await run(['token', 'validate', TOKEN, '--explain']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestLine()).toBe(`POST ${path}`);
      expect(stub.requests[0].headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
      expect(body()).toEqual({ token: TOKEN });
      expect(result.stdout.split('\n')).toEqual([
        'valid (trusted as partner microsoft.exchange)',
        `app-id  ${APP_ID}`,
        'roles   Read.All',
        'scopes  -',
        'user    upn=alice@contoso.com',
        '',
        'CHECK      RESULT  DETAIL',
        'format     pass    -',
        'signature  pass    RS256, key x5t-current',
        'lifetime   pass    expires 2025-06-01T01:00:00Z',
        'key: x5t-current (found, partner-metadata)',
        'metadata fetched: 2025-06-01T00:00:00.000Z',
        'clock difference: -2 s',
        '',
      ]);
    });

    it('invalid: the verdict on stdout, "s2sctl: token is not valid: <reason>" on stderr, exit 1', async () => {
      stub.on('POST', path, { status: 200, body: INVALID });
      const result = await run(['token', 'validate', TOKEN]);
      expect(result).toEqual({
        code: 1,
        stdout: 'invalid: signature_invalid: the signature does not verify with key x5t-current\n',
        stderr: 's2sctl: token is not valid: signature_invalid\n',
      });
      const explained = await run(['token', 'validate', TOKEN, '--explain']);
      expect(explained.code).toBe(1);
      expect(explained.stdout).toContain('\nCHECK      RESULT  DETAIL\nformat     pass    -\nsignature  FAIL    does not verify\n');
      expect(explained.stdout.endsWith('metadata fetched: 2025-06-01T00:00:00.000Z\nclock difference: unknown\n')).toBe(true);
    });

    it('-o json prints the body as-is, valid (exit 0) or not (exit 1)', async () => {
      stub.on('POST', path, { status: 200, body: INVALID });
      const invalid = await run(['token', 'validate', TOKEN, '-o', 'json', '--explain']);
      expect(invalid).toEqual({ code: 1, stdout: `${JSON.stringify(INVALID, null, 2)}\n`, stderr: 's2sctl: token is not valid: signature_invalid\n' });
      stub.on('POST', path, { status: 200, body: VALID });
      const valid = await run(['token', 'validate', TOKEN, '-o', 'json']);
      expect(valid).toEqual({ code: 0, stdout: `${JSON.stringify(VALID, null, 2)}\n`, stderr: '' });
    });

    it('- reads the token from stdin and drops "Bearer "; --audience is sent', async () => {
      stub.on('POST', path, { status: 200, body: VALID });
      const result = await run(['token', 'validate', '-', '--audience', 'api://webapi'], { stdin: `Bearer ${TOKEN}\n` });
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe('valid (trusted as partner microsoft.exchange)');
      expect(body()).toEqual({ token: TOKEN, audience: 'api://webapi' });
      const argument = await run(['token', 'validate', `Bearer ${TOKEN}`]);
      expect(argument.code).toBe(0);
      expect(body(1)).toEqual({ token: TOKEN });
    });

    it('an empty token is a usage error without a request; an API error is one line, exit 1', async () => {
      const empty = await run(['token', 'validate', '-'], { stdin: '\n' });
      expect(empty).toEqual({ code: 2, stdout: '', stderr: 's2sctl: no token given: pass the token, or - to read it from standard input\n' });
      expect(stub.requests).toHaveLength(0);
      stub.on('POST', path, { status: 403, body: { code: 'forbidden', message: 'the admin key lacks the role to validate tokens' } });
      const forbidden = await run(['token', 'validate', TOKEN]);
      expect(forbidden).toEqual({ code: 1, stdout: '', stderr: 's2sctl: the admin key lacks the role to validate tokens (forbidden, HTTP 403)\n' });
    });
  });

  // Declared last, so it runs after every other test of this file.
  it('never printed the validated token or the admin key', () => {
    expect(outputs.length).toBeGreaterThan(30);
    const signature = TOKEN.split('.')[2];
    for (const { stdout, stderr } of outputs) {
      for (const secret of [signature, ADMIN_KEY]) {
        expect(stdout).not.toContain(secret);
        expect(stderr).not.toContain(secret);
      }
    }
  });
});
