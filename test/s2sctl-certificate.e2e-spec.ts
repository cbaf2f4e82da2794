import { readFileSync, writeFileSync } from 'node:fs';
import { createTestDatabase, OpenSslToolkit, removeDir, runCli, startServerProcess, type CliResult, type ServerProcess, type TestDatabase } from '@s2s/testing';

const PRIVATE_KEY_MARKER = ['PRIVATE', 'KEY'].join(' ');

/**
 * The certificate assignment commands as an operator types them, with the real `s2sctl` against the
 * real server over HTTPS, and files made by the `openssl` CLI. (The storage behaviour is covered
 * on PGlite and PostgreSQL by certificates.e2e-spec.ts; this runs once, on PGlite.)
 */
describe('s2sctl certificate against a running server', () => {
  const openssl = new OpenSslToolkit();
  const outputs: CliResult[] = [];
  let database: TestDatabase;
  let server: ServerProcess;
  let env: Record<string, string>;
  const cli = async (args: string[], stdin?: string): Promise<CliResult> => {
    const result = await runCli(args, { env, stdin });
    outputs.push(result);
    return result;
  };
  const json = async (...args: string[]): Promise<any> => {
    const result = await cli([...args, '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    server = await startServerProcess();
    env = { S2S_SERVER: server.url, DATA_DIR: server.dataDir, CERTS_DIR: server.certsDir };
    expect((await cli(['oauth-configuration', 'set', '--realm', 'contoso.com'])).code).toBe(0);
  });

  afterAll(async () => {
    await server?.stop();
    if (server) await removeDir(server.dataDir);
    await database?.drop();
    openssl.dispose();
  });

  it('requests a CSR into a file, and completes it with the .cer the CA issued', async () => {
    const csrFile = openssl.path('s2s.csr');
    const requested = await cli(['certificate', 'request', '--realm', 'contoso.com', '--dns-name', 's2s.contoso.com', '--key-size', '3072', '--out', csrFile]);
    expect(requested.code).toBe(0);
    const id = /^id\s+([0-9a-f-]{36})$/m.exec(requested.stdout)?.[1];
    expect(id).toBeDefined();
    openssl.run(['req', '-in', csrFile, '-noout', '-verify']);
    expect(openssl.run(['req', '-in', csrFile, '-noout', '-text'])).toMatch(/Public-Key: \(3072 bit\)[\s\S]*DNS:contoso\.com, DNS:s2s\.contoso\.com/);

    const testCa = openssl.certificateAuthority();
    const issued = openssl.signCsr(testCa, readFileSync(csrFile, 'utf8'));
    const cerFile = openssl.path('issued.cer');
    writeFileSync(cerFile, openssl.runBinary(['x509', '-in', issued.certFile, '-outform', 'der']));
    const completed = await json('certificate', 'complete', '--request-id', id!, '--cert', cerFile, '--chain', testCa.certFile);
    expect(completed).toMatchObject({ thumbprint: openssl.sha1Thumbprint(issued.certFile), source: 'request', keySizeBits: 3072, chainLength: 1 });
  });

  it('imports a PFX with the password from a file or from stdin, and refuses a wrong one', async () => {
    const made = openssl.selfSigned({ cn: 'pfx.contoso.com', dnsNames: ['contoso.com'], days: 40 });
    const pfxFile = openssl.write('next.pfx', openssl.pfx({ certFile: made.certFile, keyFile: made.keyFile, password: 's3cret pass' }));
    const wrongFile = openssl.write('wrong.txt', 'not it\n');
    const wrong = await cli(['certificate', 'import', '--pfx', pfxFile, '--password-file', wrongFile]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('s2sctl: wrong PFX password or corrupted file (MAC check failed) (wrong_pfx_password, HTTP 422)\n');

    const fromStdin = await cli(['certificate', 'import', '--pfx', pfxFile, '-o', 'json'], 's3cret pass\n');
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ thumbprint: openssl.sha1Thumbprint(made.certFile), source: 'pfx' });
    expect(fromStdin.stdout + fromStdin.stderr).not.toContain('s3cret');

    const again = await cli(['certificate', 'import', '--pfx', pfxFile, '--password-file', openssl.write('right.txt', 's3cret pass\n')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`s2sctl: a certificate with thumbprint ${openssl.sha1Thumbprint(made.certFile)} is already stored (certificate_exists, HTTP 409)\n`);
  });

  it('lists certificates and marks the ones that expire within 60 days', async () => {
    const list = await cli(['certificate', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^THUMBPRINT\s+SUBJECT\s+DNS NAMES\s+NOT AFTER\s+DAYS LEFT\s+SLOT/m);
    expect(list.stdout).toMatch(/CN=pfx\.contoso\.com.*\b(39|40) \(expires soon\)/);
    expect(list.stdout).toContain('! 2 certificates expire within 60 days');
  });

  it('assigns, rolls with an effective date, shows the slots, and removes the previous certificate', async () => {
    const [second, first] = (await json('certificate', 'list')).items as { thumbprint: string; subject: string }[];
    const assigned = await cli(['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', first!.thumbprint.toLowerCase().match(/.{2}/g)!.join(':')]);
    expect(assigned.code).toBe(0);
    expect(assigned.stdout).toMatch(new RegExp(`^current\\s+${first!.thumbprint}\\s`, 'm'));

    const noDate = await cli(['certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', second!.thumbprint, '--roll']);
    expect(noDate.code).toBe(2);

    // Far enough ahead that a CLI process started on a loaded machine still sends it in the future.
    const effective = new Date(Date.now() + 15_000);
    effective.setMilliseconds(0);
    const rolled = await json('certificate', 'assign', '--type', 'OAuthTokenIssuer', '--thumbprint', second!.thumbprint, '--roll', '--effective-date', effective.toISOString(), '--force', '--reason', 'lab: a roll seconds ahead');
    expect(rolled).toMatchObject({ current: { thumbprint: first!.thumbprint }, next: { thumbprint: second!.thumbprint, effectiveDate: effective.toISOString() } });

    while (Date.now() < effective.getTime() + 1_000) await new Promise((resolve) => setTimeout(resolve, 250));
    const status = await cli(['certificate', 'get', '--type', 'OAuthTokenIssuer']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^current\\s+${second!.thumbprint}\\s`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^previous\\s+${first!.thumbprint}\\s`, 'm'));

    const busy = await cli(['certificate', 'remove', first!.thumbprint]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('(certificate_assigned, HTTP 409)');
    expect((await json('certificate', 'remove', '--type', 'OAuthTokenIssuer', '--previous')).previous).toBeNull();
    expect((await json('certificate', 'remove', first!.thumbprint)).thumbprint).toBe(first!.thumbprint);
    const show = await cli(['certificate', 'show', second!.thumbprint, '--pem']);
    expect(show.stdout).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('never prints a private key', () => {
    for (const { stdout, stderr } of outputs) expect(stdout + stderr).not.toContain(PRIVATE_KEY_MARKER);
    expect(server.output()).not.toContain(PRIVATE_KEY_MARKER);
  });
});
