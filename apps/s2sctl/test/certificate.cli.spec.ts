import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TlsStubServer, generateSelfSignedCertificate, type SelfSignedCertificate } from './tls-stub.server.js';

/**
 * `s2sctl certificate ...` run as a child process (the built CLI; `npm run build` first) against
 * the HTTPS stub of the admin API: the exact requests sent, what is printed, exit codes, and that
 * neither a private key nor a PFX password ever shows up in the output.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist/apps/s2sctl/src/main.js');
const KEY = 's2sk.e2e-certificate-admin-key';
const PFX_PASSWORD = 'pfx-Pa55 word!';
const API = '/admin/v1';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const SHA1 = '9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01';
const SHA1_NEXT = 'D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F607';

const CERTIFICATE = {
  thumbprint: SHA1,
  thumbprintSha256: '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0',
  x5t: 'mj9cfhstT2qMDpo_XH4bLU9qjAE',
  subject: 'CN=contoso.com',
  issuer: 'CN=contoso.com',
  serialNumber: '01AB',
  dnsNames: ['contoso.com'],
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2026-01-01T00:00:00.000Z',
  daysToExpiry: 300,
  expiresSoon: false,
  keyAlgorithm: 'RSA',
  keySizeBits: 2048,
  hasPrivateKey: true,
  source: 'pfx',
  chainLength: 1,
  assignment: null,
  createdAt: '2025-01-01T00:05:00.000Z',
  certificatePem: '-----BEGIN CERTIFICATE-----\nTUlJQw==\n-----END CERTIFICATE-----\n',
};

const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nQ1NSLWJvZHk=\n-----END CERTIFICATE REQUEST-----\n';
const REQUEST = {
  id: '3f0c8a52-0000-4000-8000-000000000001',
  status: 'pending',
  subject: 'CN=contoso.com',
  dnsNames: ['contoso.com', 'fabrikam.com', 's2s.contoso.com'],
  keySizeBits: 3072,
  csr: CSR,
  createdAt: '2025-01-31T12:00:00.000Z',
  completedAt: null,
  certificateThumbprint: null,
};

const slot = (thumbprint: string, subject: string, notAfter: string, daysToExpiry: number, expiresSoon = false) => ({
  thumbprint,
  thumbprintSha256: 'AB'.repeat(32),
  x5t: 'x5t',
  subject,
  dnsNames: ['contoso.com'],
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter,
  daysToExpiry,
  expiresSoon,
});

describe('s2sctl certificate (built CLI)', () => {
  let stub: TlsStubServer;
  let cwd: string;
  let caFile: string;
  /** A real certificate and key (openssl), in PEM, DER and PFX form. */
  let issued: SelfSignedCertificate;
  let derFile: string;
  let pfxFile: string;
  const outputs: CliResult[] = [];

  const run = (args: readonly string[], options: { readonly stdin?: string } = {}): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [MAIN, ...args, '--server', stub.url, '--ca-file', caFile], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, S2S_ADMIN_KEY: KEY },
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
  const requestBody = (index = 0): unknown => JSON.parse(stub.requests[index].body);

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before these tests`);
    stub = await TlsStubServer.start();
    cwd = mkdtempSync(join(tmpdir(), 's2sctl-cert-cli-'));
    caFile = join(cwd, 'server-ca.pem');
    writeFileSync(caFile, stub.certificate.cert);
    issued = generateSelfSignedCertificate('contoso.com');
    derFile = join(cwd, 'issued.cer');
    pfxFile = join(cwd, 's2s.pfx');
    execFileSync('openssl', ['x509', '-in', issued.certFile, '-outform', 'DER', '-out', derFile], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-in', issued.certFile, '-inkey', issued.keyFile, '-out', pfxFile, '-passout', `pass:${PFX_PASSWORD}`], {
      stdio: 'ignore',
    });
    writeFileSync(join(cwd, 'pfx-password.txt'), `${PFX_PASSWORD}\n`);
  });
  afterAll(async () => {
    await stub?.close();
    rmSync(cwd, { recursive: true, force: true });
    if (issued) rmSync(issued.dir, { recursive: true, force: true });
  });
  beforeEach(() => stub.reset());

  describe('--help', () => {
    const COMMANDS: readonly (readonly [string, string])[] = [
      ['certificate', 'status'],
      ['certificate request', '--out <file>'],
      ['certificate complete', '--request-id <id>'],
      ['certificate import', '--password-file <file>'],
      ['certificate new-self-signed', '--days <n>'],
      ['certificate list', 'expiring'],
      ['certificate show', '--pem'],
      ['certificate remove', '--previous'],
      ['certificate assign', '--effective-date <time>'],
      ['certificate get', '--type <type>'],
    ];
    const results = new Map<string, Promise<CliResult>>();
    beforeAll(() => {
      for (const [path] of COMMANDS) results.set(path, run([...path.split(' '), '--help']));
    });

    it.each(COMMANDS)('s2sctl %s --help', async (path, expected) => {
      const result = await results.get(path)!;
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^Usage: s2sctl ${path}(\\|status)? `));
      expect(result.stdout).toContain(expected);
      expect(result.stdout).toContain('-o, --output <format>');
    });
  });

  describe('show-request', () => {
    it('prints a request with its CSR, or writes the CSR to --out (0644), e.g. the one automatic renewal created', async () => {
      stub.on('GET', `${API}/certificate-requests/${REQUEST.id}`, { status: 200, body: REQUEST });
      const shown = await run(['certificate', 'show-request', '--request-id', REQUEST.id]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`id          ${REQUEST.id}`);
      expect(shown.stdout).toContain(CSR);
      const written = await run(['certificate', 'show-request', '--request-id', REQUEST.id, '--out', 'renewal.csr']);
      expect(written.code).toBe(0);
      expect(written.stdout).toBe(`id        ${REQUEST.id}\nstatus    pending\ncsr-file  renewal.csr\n`);
      expect(readFileSync(join(cwd, 'renewal.csr'), 'utf8')).toBe(CSR);
      expect(statSync(join(cwd, 'renewal.csr')).mode & 0o777).toBe(0o644);
      expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        `GET ${API}/certificate-requests/${REQUEST.id}`,
        `GET ${API}/certificate-requests/${REQUEST.id}`,
      ]);
    });
  });

  describe('request', () => {
    it('--out writes the CSR file (0644) and prints the id and the path; repeatable options become arrays', async () => {
      stub.on('POST', `${API}/certificate-requests`, { status: 201, body: REQUEST });
      const result = await run([
        'certificate',
        'request',
        '--realm',
        'contoso.com',
        '--realm',
        'fabrikam.com',
        '--dns-name',
        's2s.contoso.com',
        '--key-size',
        '3072',
        '--subject',
        'CN=contoso.com',
        '--out',
        's2s.csr',
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`id        ${REQUEST.id}\nstatus    pending\ncsr-file  s2s.csr\n`);
      expect(result.stderr).toBe(`next: have your CA sign the CSR, then run s2sctl certificate complete --request-id ${REQUEST.id} --cert <issued certificate>\n`);
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0]).toMatchObject({ method: 'POST', path: `${API}/certificate-requests` });
      expect(requestBody()).toEqual({ realms: ['contoso.com', 'fabrikam.com'], dnsNames: ['s2s.contoso.com'], keySize: 3072, subject: 'CN=contoso.com' });
      expect(readFileSync(join(cwd, 's2s.csr'), 'utf8')).toBe(CSR);
      expect(statSync(join(cwd, 's2s.csr')).mode & 0o777).toBe(0o644);
    });

    it('refuses to overwrite an existing --out file before creating a request, unless --force', async () => {
      stub.on('POST', `${API}/certificate-requests`, { status: 201, body: REQUEST });
      writeFileSync(join(cwd, 'old.csr'), 'old', { mode: 0o600 });
      const refused = await run(['certificate', 'request', '--realm', 'contoso.com', '--out', 'old.csr']);
      expect(refused).toEqual({ code: 2, stdout: '', stderr: 's2sctl: old.csr already exists; give --force to overwrite it\n' });
      expect(stub.requests).toHaveLength(0);

      const forced = await run(['certificate', 'request', '--realm', 'contoso.com', '--out', 'old.csr', '--force']);
      expect(forced.code).toBe(0);
      expect(requestBody()).toEqual({ realms: ['contoso.com'] });
      expect(readFileSync(join(cwd, 'old.csr'), 'utf8')).toBe(CSR);
      expect(statSync(join(cwd, 'old.csr')).mode & 0o777).toBe(0o644);
    });

    it('without --out prints the summary and then the CSR on stdout', async () => {
      stub.on('POST', `${API}/certificate-requests`, { status: 201, body: REQUEST });
      const result = await run(['certificate', 'request', '--realm', 'contoso.com']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^id {10}${REQUEST.id}\\n[\\s\\S]*\\n\\n${CSR.replace(/[+=]/g, '\\$&')}$`));
    });

    it('without --realm is a usage error and sends nothing', async () => {
      const result = await run(['certificate', 'request', '--dns-name', 'x.contoso.com']);
      expect(result).toEqual({ code: 2, stdout: '', stderr: "s2sctl: required option '--realm <realm>' not specified\n" });
      expect(stub.requests).toHaveLength(0);
    });
  });

  describe('complete', () => {
    it('sends a DER certificate as base64 to /certificate-requests/{id}/complete and prints the certificate', async () => {
      stub.on('POST', `${API}/certificate-requests/${REQUEST.id}/complete`, { status: 201, body: { ...CERTIFICATE, source: 'request' } });
      const result = await run(['certificate', 'complete', '--request-id', REQUEST.id, '--cert', 'issued.cer']);
      expect(result.code).toBe(0);
      expect(requestBody()).toEqual({ certificate: readFileSync(derFile).toString('base64') });
      expect(result.stdout).toContain(`thumbprint         ${SHA1}\n`);
      expect(result.stdout).toContain('source             request\n');
      expect(result.stderr).toBe(`next: s2sctl certificate assign --type OAuthTokenIssuer --thumbprint ${SHA1} [--roll --effective-date <time>]\n`);
    });

    it('sends a PEM certificate as text, with --chain', async () => {
      stub.on('POST', `${API}/certificate-requests/${REQUEST.id}/complete`, { status: 201, body: CERTIFICATE });
      writeFileSync(join(cwd, 'chain.pem'), stub.certificate.cert);
      const result = await run(['certificate', 'complete', '--request-id', REQUEST.id, '--cert', issued.certFile, '--chain', 'chain.pem', '-o', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(CERTIFICATE, null, 2)}\n`, stderr: '' });
      expect(requestBody()).toEqual({ certificate: issued.cert, chain: stub.certificate.cert });
    });
  });

  describe('import', () => {
    it('--pfx with --password-file sends the PFX as base64 and the password, and prints neither', async () => {
      stub.on('POST', `${API}/certificates`, { status: 201, body: CERTIFICATE });
      const result = await run(['certificate', 'import', '--pfx', 's2s.pfx', '--password-file', 'pfx-password.txt']);
      expect(result.code).toBe(0);
      expect(stub.requests[0]).toMatchObject({ method: 'POST', path: `${API}/certificates` });
      expect(requestBody()).toEqual({ pfx: readFileSync(pfxFile).toString('base64'), password: PFX_PASSWORD });
      expect(result.stdout).toContain(`thumbprint         ${SHA1}\n`);
      expect(result.stdout).toContain('has-private-key    yes\n');
    });

    it('--pfx reads the password from piped stdin, without a prompt', async () => {
      stub.on('POST', `${API}/certificates`, { status: 201, body: CERTIFICATE });
      const result = await run(['certificate', 'import', '--pfx', pfxFile, '-o', 'json'], { stdin: `${PFX_PASSWORD}\n` });
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(CERTIFICATE, null, 2)}\n`, stderr: '' });
      expect(requestBody()).toEqual({ pfx: readFileSync(pfxFile).toString('base64'), password: PFX_PASSWORD });
    });

    it('a wrong PFX password comes back as one error line, exit 1, without the password', async () => {
      stub.on('POST', `${API}/certificates`, { status: 422, body: { code: 'wrong_pfx_password', message: 'the PFX password is wrong or the file is damaged', details: [{ field: 'password', message: 'wrong password' }] } });
      const result = await run(['certificate', 'import', '--pfx', 's2s.pfx'], { stdin: `${PFX_PASSWORD}\n` });
      expect(result).toEqual({ code: 1, stdout: '', stderr: 's2sctl: the PFX password is wrong or the file is damaged: password: wrong password (wrong_pfx_password, HTTP 422)\n' });
    });

    it('--cert --key --chain sends {certificate, privateKey, chain} and never prints the key', async () => {
      stub.on('POST', `${API}/certificates`, { status: 201, body: { ...CERTIFICATE, source: 'pem', chainLength: 2 } });
      writeFileSync(join(cwd, 'chain.pem'), stub.certificate.cert);
      const result = await run(['certificate', 'import', '--cert', issued.certFile, '--key', issued.keyFile, '--chain', 'chain.pem']);
      expect(result.code).toBe(0);
      expect(requestBody()).toEqual({ certificate: issued.cert, privateKey: issued.key, chain: stub.certificate.cert });
      expect(result.stdout).toContain('source             pem\n');
    });

    it('a DER --cert is sent as base64 next to the PEM key', async () => {
      stub.on('POST', `${API}/certificates`, { status: 201, body: CERTIFICATE });
      const result = await run(['certificate', 'import', '--cert', 'issued.cer', '--key', issued.keyFile, '-o', 'json']);
      expect(result.code).toBe(0);
      expect(requestBody()).toEqual({ certificate: readFileSync(derFile).toString('base64'), privateKey: issued.key });
    });

    it.each([
      [['--pfx', 's2s.pfx', '--cert', 'issued.cer'], 's2sctl: --pfx cannot be combined with --cert: a PFX already holds the certificate, its key and chain\n'],
      [['--key', 'key.pem'], 's2sctl: --key needs --cert: give the certificate that goes with the key\n'],
      [[], 's2sctl: nothing to import: give --pfx <file>, or --cert <file> with --key <file> (see s2sctl certificate import --help)\n'],
    ])('refuses %j as a usage error without calling the server', async (args, stderr) => {
      const result = await run(['certificate', 'import', ...args]);
      expect(result).toEqual({ code: 2, stdout: '', stderr });
      expect(stub.requests).toHaveLength(0);
    });

    it('refuses a file over 1 MiB before sending anything', async () => {
      writeFileSync(join(cwd, 'huge.pfx'), Buffer.alloc(1024 * 1024 + 1, 0x30));
      const result = await run(['certificate', 'import', '--pfx', 'huge.pfx', '--password-file', 'pfx-password.txt']);
      expect(result).toEqual({ code: 2, stdout: '', stderr: 's2sctl: --pfx huge.pfx is larger than 1 MiB; is it the right file?\n' });
      expect(stub.requests).toHaveLength(0);
    });

    it('refuses the key file given as --cert without echoing it', async () => {
      const result = await run(['certificate', 'import', '--cert', issued.keyFile, '--key', issued.keyFile]);
      expect(result).toEqual({ code: 2, stdout: '', stderr: `s2sctl: --cert ${issued.keyFile} holds no PEM certificate\n` });
      expect(stub.requests).toHaveLength(0);
    });
  });

  it('new-self-signed posts the realms, DNS names, days, key size and subject', async () => {
    stub.on('POST', `${API}/certificates/self-signed`, { status: 201, body: { ...CERTIFICATE, source: 'self-signed' } });
    const result = await run(['certificate', 'new-self-signed', '--realm', 'contoso.com', '--dns-name', 'a.contoso.com', '--dns-name', 'b.contoso.com', '--days', '30', '--key-size', '4096', '--subject', 'CN=lab']);
    expect(result.code).toBe(0);
    expect(requestBody()).toEqual({ realms: ['contoso.com'], dnsNames: ['a.contoso.com', 'b.contoso.com'], days: 30, keySize: 4096, subject: 'CN=lab' });
    const badSize = await run(['certificate', 'new-self-signed', '--realm', 'contoso.com', '--key-size', '1024']);
    expect(badSize).toEqual({ code: 2, stdout: '', stderr: "s2sctl: option '--key-size <bits>' argument '1024' is invalid. Allowed choices are 2048, 3072, 4096.\n" });
  });

  it('list marks expiring and expired certificates and warns under the table', async () => {
    stub.on('GET', `${API}/certificates`, {
      status: 200,
      body: {
        items: [
          { ...CERTIFICATE, assignment: 'current' },
          { ...CERTIFICATE, thumbprint: SHA1_NEXT, subject: 'CN=old', notAfter: '2025-03-01T00:00:00.000Z', daysToExpiry: 45, expiresSoon: true, assignment: 'previous' },
        ],
      },
    });
    const result = await run(['certificate', 'list']);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'THUMBPRINT                                SUBJECT         DNS NAMES    NOT AFTER                 DAYS LEFT          SLOT',
        `${SHA1}  CN=contoso.com  contoso.com  2026-01-01T00:00:00.000Z  300                current`,
        `${SHA1_NEXT}  CN=old          contoso.com  2025-03-01T00:00:00.000Z  45 (expires soon)  previous`,
        '! 1 certificate expires within 60 days',
        '',
      ].join('\n'),
    });
  });

  describe('show', () => {
    it('normalises a pasted thumbprint (U+200E, spaces, lowercase) into the path', async () => {
      stub.on('GET', `${API}/certificates/${SHA1}`, { status: 200, body: CERTIFICATE });
      const pasted = `\u200e${SHA1.toLowerCase().match(/../g)!.join(' ')}`;
      const result = await run(['certificate', 'show', pasted]);
      expect(result.code).toBe(0);
      expect(stub.requests[0]).toMatchObject({ method: 'GET', path: `${API}/certificates/${SHA1}` });
      expect(result.stdout).toContain('slot               (none)\n');
    });

    it('--pem prints only the public certificate', async () => {
      stub.on('GET', `${API}/certificates/${SHA1}`, { status: 200, body: CERTIFICATE });
      const result = await run(['certificate', 'show', SHA1.match(/../g)!.join(':'), '--pem']);
      expect(result).toEqual({ code: 0, stdout: CERTIFICATE.certificatePem, stderr: '' });
    });

    it('refuses something that is not a thumbprint before calling the server', async () => {
      const result = await run(['certificate', 'show', '../admin-keys']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^s2sctl: THUMBPRINT "\.\.\/admin-keys" is not a SHA-1 \(40 hex digits\) or SHA-256/);
      expect(stub.requests).toHaveLength(0);
    });
  });

  describe('remove', () => {
    it('deletes a certificate by thumbprint', async () => {
      stub.on('DELETE', `${API}/certificates/${SHA1}`, { status: 200, body: CERTIFICATE });
      const result = await run(['certificate', 'remove', SHA1.toLowerCase()]);
      expect(result).toEqual({ code: 0, stdout: `removed ${SHA1} (CN=contoso.com)\n`, stderr: '' });
      expect(stub.requests[0].method).toBe('DELETE');
    });

    it('--type OAuthTokenIssuer --previous clears the previous slot (Remove-CsCertificate -Previous)', async () => {
      const assignment = { type: 'OAuthTokenIssuer', current: slot(SHA1, 'CN=contoso.com', '2026-01-01T00:00:00.000Z', 300), next: null, previous: null };
      stub.on('DELETE', `${API}/certificate-assignments/oauth-token-issuer/previous`, { status: 200, body: assignment });
      const result = await run(['certificate', 'remove', '--type', 'oauthtokenissuer', '--previous', '-o', 'json']);
      expect(result).toEqual({ code: 0, stdout: `${JSON.stringify(assignment, null, 2)}\n`, stderr: '' });
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0]).toMatchObject({ method: 'DELETE', path: `${API}/certificate-assignments/oauth-token-issuer/previous`, body: '' });
    });

    it.each([
      [[SHA1, '--type', 'OAuthTokenIssuer', '--previous'], 's2sctl: give either a THUMBPRINT or --previous, not both\n'],
      [['--previous'], 's2sctl: --previous needs --type (OAuthTokenIssuer): the assignment whose previous certificate to remove\n'],
      [[], 's2sctl: give the THUMBPRINT of the certificate to delete, or --type OAuthTokenIssuer --previous\n'],
    ])('refuses %j as a usage error', async (args, stderr) => {
      const result = await run(['certificate', 'remove', ...args]);
      expect(result).toEqual({ code: 2, stdout: '', stderr });
      expect(stub.requests).toHaveLength(0);
    });

    it('reports a 409 certificate_assigned as the server words it, in one line, exit 1', async () => {
      const message = `certificate ${SHA1} is the previous OAuth token-issuer certificate (remove it from the slot with: s2sctl certificate remove --type OAuthTokenIssuer --previous)`;
      stub.on('DELETE', `${API}/certificates/${SHA1}`, { status: 409, body: { code: 'certificate_assigned', message } });
      const result = await run(['certificate', 'remove', SHA1]);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `s2sctl: ${message} (certificate_assigned, HTTP 409)\n` });
    });
  });

  describe('assign', () => {
    const ROLLED = {
      type: 'OAuthTokenIssuer',
      current: slot(SHA1, 'CN=contoso.com', '2025-03-20T00:00:00.000Z', 40, true),
      next: { ...slot(SHA1_NEXT, 'CN=contoso.com 2026', '2027-01-01T00:00:00.000Z', 700), effectiveDate: '2025-03-01T08:00:00.000Z' },
      previous: null,
    };

    it('--roll --effective-date PUTs {thumbprint, roll, effectiveDate in UTC} and prints the slots', async () => {
      stub.on('PUT', `${API}/certificate-assignments/oauth-token-issuer`, { status: 200, body: ROLLED });
      const result = await run([
        'certificate',
        'assign',
        '--type',
        'OAuthTokenIssuer',
        '--thumbprint',
        SHA1_NEXT.toLowerCase().match(/../g)!.join(':'),
        '--roll',
        '--effective-date',
        '2025-03-01T09:00:00+01:00',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(stub.requests[0]).toMatchObject({ method: 'PUT', path: `${API}/certificate-assignments/oauth-token-issuer` });
      expect(requestBody()).toEqual({ thumbprint: SHA1_NEXT, roll: true, effectiveDate: '2025-03-01T08:00:00.000Z' });
      expect(result.stdout.split('\n')).toEqual([
        'SLOT      THUMBPRINT                                SUBJECT              NOT AFTER                 DAYS LEFT          EFFECTIVE',
        `current   ${SHA1}  CN=contoso.com       2025-03-20T00:00:00.000Z  40 (expires soon)  -`,
        `next      ${SHA1_NEXT}  CN=contoso.com 2026  2027-01-01T00:00:00.000Z  700                2025-03-01T08:00:00.000Z`,
        'previous  (empty)                                   -                    -                         -                  -',
        '',
      ]);
    });

    it('sends the rollover options: --force with its --reason, --activate-when-fetched with a --deadline in UTC, --keep-previous', async () => {
      stub.on('PUT', `${API}/certificate-assignments/oauth-token-issuer`, { status: 200, body: ROLLED });
      const result = await run([
        ...['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', SHA1_NEXT, '--roll', '--effective-date', '2025-03-01T09:00:00Z'],
        ...['--force', '--reason', 'partner migration, change 4711', '--activate-when-fetched', '--deadline', '2025-03-08T10:00:00+01:00', '--keep-previous', '-o', 'json'],
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(requestBody()).toEqual({
        thumbprint: SHA1_NEXT,
        roll: true,
        effectiveDate: '2025-03-01T09:00:00.000Z',
        force: true,
        reason: 'partner migration, change 4711',
        activateWhenFetched: true,
        deadline: '2025-03-08T09:00:00.000Z',
        keepPrevious: true,
      });
    });

    it.each([
      [['--force'], 's2sctl: --force needs --reason: why the minimum roll lead is overridden (it is recorded in the audit log)\n'],
      [['--reason', 'x'], 's2sctl: --reason is only used with --force or --emergency\n'],
      [['--deadline', '2025-03-08T09:00:00Z', '--roll', '--effective-date', '2025-03-01T09:00:00Z'], 's2sctl: --deadline needs --activate-when-fetched\n'],
      [['--activate-when-fetched'], 's2sctl: --activate-when-fetched needs --roll\n'],
    ])('refuses the rollover options %j used alone with exit 2 and no request', async (args, stderr) => {
      const result = await run(['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', SHA1, ...args]);
      expect(result).toEqual({ code: 2, stdout: '', stderr });
      expect(stub.requests).toEqual([]);
    });

    it('without --roll sends the thumbprint alone', async () => {
      stub.on('PUT', `${API}/certificate-assignments/oauth-token-issuer`, { status: 200, body: ROLLED });
      const result = await run(['certificate', 'assign', '--type', 'oauthtokenissuer', '--thumbprint', SHA1, '-o', 'json']);
      expect(result.code).toBe(0);
      expect(requestBody()).toEqual({ thumbprint: SHA1 });
    });

    it.each([
      [['--thumbprint', SHA1, '--roll'], 's2sctl: --roll needs --effective-date: the time at which the new certificate becomes current, e.g. 2025-03-01T09:00:00Z\n'],
      [
        ['--thumbprint', SHA1, '--roll', '--effective-date', '2025-03-01T09:00:00'],
        "s2sctl: option '--effective-date <time>' argument '2025-03-01T09:00:00' is invalid. It has no timezone, so it would mean a different instant on each machine: add Z or an offset, e.g. 2025-03-01T09:00:00Z (UTC) or 2025-03-01T09:00:00+01:00.\n",
      ],
      [['--type', 'WebServer', '--thumbprint', SHA1], "s2sctl: option '--type <type>' argument 'WebServer' is invalid. Supported values are OAuthTokenIssuer (in any case).\n"],
    ])('refuses %j with exit 2 and no request', async (args, stderr) => {
      const withType = args.includes('--type') ? args : ['--type', 'OAuthTokenIssuer', ...args];
      const result = await run(['certificate', 'assign', ...withType]);
      expect(result).toEqual({ code: 2, stdout: '', stderr });
      expect(stub.requests).toHaveLength(0);
    });

    it('a refused roll is one line with the API code, exit 1', async () => {
      stub.on('PUT', `${API}/certificate-assignments/oauth-token-issuer`, {
        status: 422,
        body: { code: 'effective_date_invalid', message: 'the effective date is after the current certificate expires', details: [{ field: 'effectiveDate', message: 'must be before 2025-03-20T00:00:00.000Z' }] },
      });
      const result = await run(['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', SHA1_NEXT, '--roll', '--effective-date', '2025-06-01T00:00:00Z']);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr:
          's2sctl: the effective date is after the current certificate expires: effectiveDate: must be before 2025-03-20T00:00:00.000Z (effective_date_invalid, HTTP 422)\n',
      });
    });
  });

  it('get shows current / next / previous with warnings, for any spelling of the type', async () => {
    stub.on('GET', `${API}/certificate-assignments/oauth-token-issuer`, {
      status: 200,
      body: {
        type: 'OAuthTokenIssuer',
        current: slot(SHA1, 'CN=contoso.com', '2025-03-20T00:00:00.000Z', 40, true),
        next: null,
        previous: slot(SHA1_NEXT, 'CN=old', '2025-02-01T00:00:00.000Z', -3, true),
        previousRemovalAt: null,
      },
    });
    const [get, status] = await Promise.all([run(['certificate', 'get']), run(['certificate', 'get', '--type', 'OAUTHTOKENISSUER'])]);
    expect(get).toEqual(status);
    expect(get.code).toBe(0);
    expect(get.stdout.split('\n')).toEqual([
      'SLOT      THUMBPRINT                                SUBJECT         NOT AFTER                 DAYS LEFT          EFFECTIVE',
      `current   ${SHA1}  CN=contoso.com  2025-03-20T00:00:00.000Z  40 (expires soon)  -`,
      'next      (empty)                                   -               -                         -                  -',
      `previous  ${SHA1_NEXT}  CN=old          2025-02-01T00:00:00.000Z  expired            -`,
      '! the current certificate expires in 40 days: stage its successor with s2sctl certificate assign --type OAuthTokenIssuer --thumbprint <T> --roll --effective-date <time>',
      '',
    ]);
    expect(stub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET ${API}/certificate-assignments/oauth-token-issuer`,
      `GET ${API}/certificate-assignments/oauth-token-issuer`,
    ]);
  });

  // Declared last, so it runs after every other test of this file.
  it('never printed a private key, the PFX password or the admin key in any of the runs above', () => {
    expect(outputs.length).toBeGreaterThan(30);
    const keyLine = issued.key.split('\n')[1];
    for (const { stdout, stderr } of outputs) {
      for (const secret of ['PRIVATE KEY', PFX_PASSWORD, KEY, keyLine]) {
        expect(stdout).not.toContain(secret);
        expect(stderr).not.toContain(secret);
      }
    }
  });
});
