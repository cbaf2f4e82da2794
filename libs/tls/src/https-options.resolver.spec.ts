import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHttpsOptions, type HttpsOptions, type ResolveHttpsOptionsInput } from './https-options.resolver.js';
import { TlsConfigurationError } from './tls-configuration.error.js';
import type { TlsLogger } from './tls-logger.js';

function recordingLogger(): TlsLogger & { lines: { level: string; msg: string; fields?: object }[] } {
  const lines: { level: string; msg: string; fields?: object }[] = [];
  return {
    lines,
    info: (msg, fields) => lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => lines.push({ level: 'warn', msg, fields }),
  };
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' });
}

/** Serves "hello" with the given options on 127.0.0.1:0 and GETs it with `clientOptions`. */
async function roundTrip(serverOptions: ServerOptions, clientOptions: { ca?: Buffer | string; servername?: string }): Promise<string> {
  const server = createServer(serverOptions, (_req, res) => res.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', agent: false, ...clientOptions }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('resolveHttpsOptions', () => {
  let dir: string;
  let certsDir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-https-'));
    certsDir = join(dir, 'certs');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const input = (overrides: Partial<ResolveHttpsOptionsInput> = {}): ResolveHttpsOptionsInput => ({
    mode: 'on',
    certsDir,
    now: new Date(),
    ...overrides,
  });

  /** An OpenSSL-made certificate + key for `name`, valid for `days`. */
  function opensslPair(name: string, days = 90): { certFile: string; keyFile: string } {
    const certFile = join(dir, `${name}.crt`);
    const keyFile = join(dir, `${name}.key`);
    openssl([
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(days),
      '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name},DNS:localhost,IP:127.0.0.1`,
    ]);
    return { certFile, keyFile };
  }

  function pfxOf(pair: { certFile: string; keyFile: string }, password: string, extra: string[] = []): string {
    const pfxFile = join(dir, `bundle-${Math.random().toString(36).slice(2)}.pfx`);
    openssl(['pkcs12', '-export', '-in', pair.certFile, '-inkey', pair.keyFile, '-out', pfxFile, '-passout', `pass:${password}`, ...extra]);
    return pfxFile;
  }

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  }

  describe('mode off', () => {
    it('returns null for plain HTTP and creates nothing', async () => {
      const log = recordingLogger();
      await expect(resolveHttpsOptions(input({ mode: 'off' }), log)).resolves.toBeNull();
      expect(() => readFileSync(join(certsDir, 'localhost-tls.crt'))).toThrow();
      expect(log.lines).toEqual([]);
    });

    it('warns that configured files are ignored', async () => {
      const log = recordingLogger();
      await expect(resolveHttpsOptions(input({ mode: 'off', pfxFile: '/nope.pfx' }), log)).resolves.toBeNull();
      expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/TLS is off/) })]);
    });

    it('rejects an unknown mode', async () => {
      await expect(resolveHttpsOptions(input({ mode: 'yes' as 'on' }), recordingLogger())).rejects.toThrow(TlsConfigurationError);
    });
  });

  describe('self-signed fallback', () => {
    it('returns a localhost certificate a node:https client can trust as CA', async () => {
      const log = recordingLogger();
      const options = (await resolveHttpsOptions(input({ hostNames: ['trust.example.test'] }), log)) as { key: Buffer; cert: Buffer };
      expect(Object.keys(options).sort()).toEqual(['cert', 'key']);
      const certFile = join(certsDir, 'localhost-tls.crt');
      expect(options.cert.equals(readFileSync(certFile))).toBe(true);
      const text = openssl(['x509', '-in', certFile, '-noout', '-text']);
      expect(text).toContain('DNS:localhost, DNS:trust.example.test, IP Address:127.0.0.1');
      openssl(['x509', '-in', certFile, '-noout', '-checkend', '86400']);

      await expect(roundTrip(options, { ca: options.cert, servername: 'localhost' })).resolves.toBe('hello');
      // IP SAN: connecting to 127.0.0.1 without SNI verifies against the IP address.
      await expect(roundTrip(options, { ca: options.cert })).resolves.toBe('hello');
      // Negative controls: untrusted, and a name the certificate does not cover.
      await expect(roundTrip(options, { servername: 'localhost' })).rejects.toThrow(/self[- ]signed/i);
      await expect(roundTrip(options, { ca: options.cert, servername: 'elsewhere.example.test' })).rejects.toThrow(
        /does not match certificate's altnames/,
      );
    });

    it('reuses the same certificate on the next call', async () => {
      const first = (await resolveHttpsOptions(input(), recordingLogger())) as { cert: Buffer };
      const second = (await resolveHttpsOptions(input(), recordingLogger())) as { cert: Buffer };
      expect(second.cert.equals(first.cert)).toBe(true);
    });

    it('treats empty-string settings as not configured', async () => {
      const options = await resolveHttpsOptions(input({ certFile: '', keyFile: ' ', pfxFile: '', pfxPassword: '' }), recordingLogger());
      expect(options).toHaveProperty('cert');
    });
  });

  describe('TLS_CERT_FILE + TLS_KEY_FILE', () => {
    it('returns the file contents when key and certificate match', async () => {
      const pair = opensslPair('svc.example.test');
      const log = recordingLogger();
      const options = (await resolveHttpsOptions(input(pair), log)) as { key: Buffer; cert: Buffer };
      expect(options.cert.equals(readFileSync(pair.certFile))).toBe(true);
      expect(options.key.equals(readFileSync(pair.keyFile))).toBe(true);
      expect(log.lines).toEqual([
        expect.objectContaining({
          level: 'info',
          fields: expect.objectContaining({ subject: 'CN=svc.example.test', certFile: pair.certFile }),
        }),
      ]);
      expect(JSON.stringify(log.lines)).not.toContain('PRIVATE KEY');
      await expect(roundTrip(options, { ca: options.cert, servername: 'svc.example.test' })).resolves.toBe('hello');
    });

    it('rejects a key that does not match the certificate', async () => {
      const a = opensslPair('a.example.test');
      const b = opensslPair('b.example.test');
      const error = await rejection(resolveHttpsOptions(input({ certFile: a.certFile, keyFile: b.keyFile }), recordingLogger()));
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect(error.message).toBe(`TLS_KEY_FILE (${b.keyFile}) does not match the certificate in TLS_CERT_FILE (${a.certFile})`);
    });

    it('rejects an expired certificate', async () => {
      const pair = opensslPair('old.example.test', 30);
      const error = await rejection(resolveHttpsOptions(input({ ...pair, now: new Date(Date.now() + 31 * 86_400_000) }), recordingLogger()));
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect(error.message).toMatch(/TLS_CERT_FILE .*CN=old\.example\.test\) expired at \d{4}-/);
    });

    it('warns when the certificate expires within 30 days', async () => {
      const log = recordingLogger();
      await resolveHttpsOptions(input(opensslPair('soon.example.test', 10)), log);
      expect(log.lines[0]).toMatchObject({ level: 'warn', msg: expect.stringMatching(/expires within 30 days/) });
    });

    it.each([
      ['TLS_CERT_FILE', (p: { certFile: string; keyFile: string }) => ({ certFile: `${p.certFile}.missing`, keyFile: p.keyFile })],
      ['TLS_KEY_FILE', (p: { certFile: string; keyFile: string }) => ({ certFile: p.certFile, keyFile: `${p.keyFile}.missing` })],
    ])('names %s when its file cannot be read', async (variable, files) => {
      const error = await rejection(resolveHttpsOptions(input(files(opensslPair('x.example.test'))), recordingLogger()));
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect(error.message).toMatch(new RegExp(`^${variable} \\(.*\\.missing\\) cannot be read: ENOENT$`));
    });

    it('names TLS_CERT_FILE when it is not a PEM certificate', async () => {
      const pair = opensslPair('y.example.test');
      const error = await rejection(resolveHttpsOptions(input({ certFile: pair.keyFile, keyFile: pair.keyFile }), recordingLogger()));
      expect(error.message).toMatch(/^TLS_CERT_FILE .* does not contain a PEM certificate/);
    });

    it('rejects an encrypted key, naming TLS_KEY_FILE', async () => {
      const pair = opensslPair('enc.example.test');
      const encryptedKey = join(dir, 'enc.key');
      openssl(['pkey', '-in', pair.keyFile, '-aes-256-cbc', '-passout', 'pass:k3y-pass', '-out', encryptedKey]);
      const error = await rejection(resolveHttpsOptions(input({ certFile: pair.certFile, keyFile: encryptedKey }), recordingLogger()));
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect(error.message).toMatch(/^TLS_KEY_FILE .* is not a readable unencrypted PEM private key/);
    });
  });

  describe('TLS_PFX_FILE', () => {
    it('returns { pfx, passphrase } that a node:https server can use', async () => {
      const pair = opensslPair('pfx.example.test');
      const pfxFile = pfxOf(pair, 'secret');
      const log = recordingLogger();
      const options = (await resolveHttpsOptions(input({ pfxFile, pfxPassword: 'secret' }), log)) as HttpsOptions & { pfx: Buffer };
      expect(Object.keys(options).sort()).toEqual(['passphrase', 'pfx']);
      expect(options.pfx.equals(readFileSync(pfxFile))).toBe(true);
      expect(options).toHaveProperty('passphrase', 'secret');
      expect(JSON.stringify(log.lines)).not.toContain('secret');
      await expect(roundTrip(options, { ca: readFileSync(pair.certFile), servername: 'pfx.example.test' })).resolves.toBe('hello');
    });

    it('fails with a clear error that does not contain the password when it is wrong', async () => {
      const pfxFile = pfxOf(opensslPair('pfx2.example.test'), 'secret');
      const log = recordingLogger();
      const error = await rejection(resolveHttpsOptions(input({ pfxFile, pfxPassword: 'hunter2-wrong' }), log));
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect(error.message).toMatch(/^TLS_PFX_FILE \(.*\.pfx\) cannot be opened: wrong or missing TLS_PFX_PASSWORD/);
      expect(error.message).not.toContain('hunter2-wrong');
      expect(error.message).not.toContain('secret');
      expect(String((error.cause as Error | undefined)?.message)).not.toContain('hunter2-wrong');
      expect(JSON.stringify(log.lines)).not.toContain('hunter2-wrong');
    });

    it('fails when the password is missing', async () => {
      const pfxFile = pfxOf(opensslPair('pfx3.example.test'), 'secret');
      await expect(resolveHttpsOptions(input({ pfxFile }), recordingLogger())).rejects.toThrow(/TLS_PFX_PASSWORD/);
    });

    it('fails when the PKCS#12 holds no private key', async () => {
      const pfxFile = pfxOf(opensslPair('pfx4.example.test'), 'secret', ['-nokeys']);
      await expect(resolveHttpsOptions(input({ pfxFile, pfxPassword: 'secret' }), recordingLogger())).rejects.toThrow(
        /^TLS_PFX_FILE .* cannot be opened/,
      );
    });

    it('explains legacy (RC2/3DES) PKCS#12 files that OpenSSL 3 cannot open', async () => {
      const pfxFile = pfxOf(opensslPair('legacy.example.test'), 'secret', ['-legacy']);
      const error = await rejection(resolveHttpsOptions(input({ pfxFile, pfxPassword: 'secret' }), recordingLogger()));
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect(error.message).toMatch(/^TLS_PFX_FILE .* cannot be opened: Unsupported PKCS12 PFX data; .*legacy RC2\/3DES.*Re-export it with AES-256/);
      expect(error.message).not.toContain('secret');
    });

    it('fails on a file that is not PKCS#12 and on a missing file', async () => {
      const notPfx = join(dir, 'not.pfx');
      writeFileSync(notPfx, 'garbage');
      await expect(resolveHttpsOptions(input({ pfxFile: notPfx, pfxPassword: 'secret' }), recordingLogger())).rejects.toThrow(
        /^TLS_PFX_FILE .* cannot be opened/,
      );
      await expect(resolveHttpsOptions(input({ pfxFile: join(dir, 'missing.pfx') }), recordingLogger())).rejects.toThrow(
        /^TLS_PFX_FILE .* cannot be read: ENOENT/,
      );
    });
  });

  describe('conflicting settings', () => {
    it.each([
      ['cert + key + pfx', { certFile: 'c', keyFile: 'k', pfxFile: 'p' }, /either TLS_CERT_FILE \+ TLS_KEY_FILE or TLS_PFX_FILE, not both/],
      ['cert + pfx', { certFile: 'c', pfxFile: 'p' }, /not both/],
      ['cert without key', { certFile: 'c' }, /TLS_CERT_FILE is set but TLS_KEY_FILE is not/],
      ['key without cert', { keyFile: 'k' }, /TLS_KEY_FILE is set but TLS_CERT_FILE is not/],
      ['password without pfx', { pfxPassword: 'pw' }, /TLS_PFX_PASSWORD is set but TLS_PFX_FILE is not/],
    ])('rejects %s', async (_label, settings, message) => {
      const error = await rejection(resolveHttpsOptions(input(settings), recordingLogger()));
      expect(error).toBeInstanceOf(TlsConfigurationError);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('pw');
    });
  });
});
