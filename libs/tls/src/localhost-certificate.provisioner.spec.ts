import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair } from '@s2s/crypto';
import {
  LOCALHOST_CERT_FILE_NAME,
  LOCALHOST_KEY_FILE_NAME,
  provisionLocalhostCertificate,
} from './localhost-certificate.provisioner.js';
import { TlsConfigurationError } from './tls-configuration.error.js';
import type { TlsLogger } from './tls-logger.js';

const DAY = 86_400_000;

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

function fingerprint(certFile: string): string {
  return openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256']).trim();
}

describe('provisionLocalhostCertificate', () => {
  let root: string;
  let certsDir: string;
  let certFile: string;
  let keyFile: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 's2s-tls-'));
    certsDir = join(root, 'data', 'certs'); // does not exist yet
    certFile = join(certsDir, LOCALHOST_CERT_FILE_NAME);
    keyFile = join(certsDir, LOCALHOST_KEY_FILE_NAME);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('generates a localhost certificate OpenSSL accepts, with a 0600 key, on first start', async () => {
    const log = recordingLogger();
    const now = new Date();
    const result = await provisionLocalhostCertificate({ certsDir, now }, log);

    expect(certFile).toBe(join(certsDir, 'localhost-tls.crt'));
    expect(result.cert.equals(readFileSync(certFile))).toBe(true);
    expect(result.key.equals(readFileSync(keyFile))).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(certFile).mode & 0o777).toBe(0o644);
    if (process.platform !== 'win32') expect(statSync(certsDir).mode & 0o777).toBe(0o700);

    const text = openssl(['x509', '-in', certFile, '-noout', '-text']);
    expect(text).toContain('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(text).toMatch(/Subject: O = s2s-trust self-signed, CN = localhost/);
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toMatch(/CA:FALSE/);
    // Valid now and for ~a year, not longer.
    openssl(['x509', '-in', certFile, '-noout', '-checkend', String(364 * 86_400)]);
    expect(() => openssl(['x509', '-in', certFile, '-noout', '-checkend', String(366 * 86_400)])).toThrow();
    const notBefore = new Date(openssl(['x509', '-in', certFile, '-noout', '-startdate']).trim().replace('notBefore=', ''));
    expect(Math.abs(notBefore.getTime() - (now.getTime() - 5 * 60_000))).toBeLessThan(1000);
    // The key belongs to the certificate.
    expect(openssl(['x509', '-in', certFile, '-noout', '-pubkey'])).toBe(openssl(['pkey', '-in', keyFile, '-pubout']));

    expect(log.lines.map((l) => l.msg)).toEqual([
      'TLS: generating self-signed certificate (no certificate yet)',
      'TLS: generated self-signed certificate',
      expect.stringContaining('self-signed certificate for localhost'),
    ]);
    expect(log.lines[0]!.level).toBe('info');
  });

  it('logs paths but never key material', async () => {
    const log = recordingLogger();
    const { key } = await provisionLocalhostCertificate({ certsDir, now: new Date() }, log);
    await provisionLocalhostCertificate({ certsDir, now: new Date() }, log);
    const logged = JSON.stringify(log.lines);
    expect(logged).toContain(keyFile.replace(/\\/g, '\\\\'));
    expect(logged).not.toContain('PRIVATE KEY');
    expect(logged).not.toContain(key.toString('utf8').split('\n')[1]!.slice(0, 40));
  });

  it('reuses the certificate on later starts', async () => {
    const now = new Date();
    const first = await provisionLocalhostCertificate({ certsDir, now }, recordingLogger());
    const before = fingerprint(certFile);
    const log = recordingLogger();
    const second = await provisionLocalhostCertificate({ certsDir, now: new Date(now.getTime() + 100 * DAY) }, log);
    expect(fingerprint(certFile)).toBe(before);
    expect(second.cert.equals(first.cert)).toBe(true);
    expect(second.key.equals(first.key)).toBe(true);
    expect(log.lines[0]!.msg).toBe('TLS: reusing self-signed certificate');
  });

  it('still reuses with 8 days left but regenerates with 7 days or less left', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    await provisionLocalhostCertificate({ certsDir, now: t0 }, recordingLogger());
    const original = fingerprint(certFile);
    // notAfter = t0 - 5 min + 365 days.
    await provisionLocalhostCertificate({ certsDir, now: new Date(t0.getTime() + 357 * DAY) }, recordingLogger());
    expect(fingerprint(certFile)).toBe(original);

    const log = recordingLogger();
    const later = new Date(t0.getTime() + 358 * DAY);
    await provisionLocalhostCertificate({ certsDir, now: later }, log);
    expect(fingerprint(certFile)).not.toBe(original);
    expect(log.lines[0]).toMatchObject({ level: 'warn', msg: expect.stringMatching(/expires 2030-12-31T23:55:00.000Z, within 7 days/) });
    const startdate = openssl(['x509', '-in', certFile, '-noout', '-startdate']).trim();
    expect(new Date(startdate.replace('notBefore=', '')).getTime()).toBe(later.getTime() - 5 * 60_000);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('regenerates an expired certificate and one that is not yet valid', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    await provisionLocalhostCertificate({ certsDir, now: t0 }, recordingLogger());
    const original = fingerprint(certFile);
    await provisionLocalhostCertificate({ certsDir, now: new Date(t0.getTime() + 400 * DAY) }, recordingLogger());
    const renewed = fingerprint(certFile);
    expect(renewed).not.toBe(original);

    const log = recordingLogger();
    await provisionLocalhostCertificate({ certsDir, now: t0 }, log); // clock went back
    expect(fingerprint(certFile)).not.toBe(renewed);
    expect(log.lines[0]!.msg).toMatch(/not valid before/);
  });

  it('regenerates when the key does not match the certificate', async () => {
    await provisionLocalhostCertificate({ certsDir, now: new Date() }, recordingLogger());
    const original = fingerprint(certFile);
    writeFileSync(keyFile, (await generateRsaKeyPair(2048)).privateKeyPem, { mode: 0o600 });
    const log = recordingLogger();
    const result = await provisionLocalhostCertificate({ certsDir, now: new Date() }, log);
    expect(fingerprint(certFile)).not.toBe(original);
    expect(log.lines[0]!.msg).toMatch(/key does not match/);
    expect(openssl(['x509', '-in', certFile, '-noout', '-pubkey'])).toBe(openssl(['pkey', '-in', keyFile, '-pubout']));
    expect(result.key.equals(readFileSync(keyFile))).toBe(true);
  });

  it('regenerates when a file is missing or corrupt', async () => {
    await provisionLocalhostCertificate({ certsDir, now: new Date() }, recordingLogger());
    rmSync(certFile);
    const log = recordingLogger();
    await provisionLocalhostCertificate({ certsDir, now: new Date() }, log);
    expect(existsSync(certFile)).toBe(true);
    expect(log.lines[0]).toMatchObject({ level: 'warn', msg: expect.stringContaining('(certificate: ENOENT, key: ok)') });
    writeFileSync(certFile, 'garbage');
    await provisionLocalhostCertificate({ certsDir, now: new Date() }, log);
    expect(log.lines.some((l) => /cannot be parsed/.test(l.msg))).toBe(true);
    openssl(['x509', '-in', certFile, '-noout', '-checkend', '86400']);
  });

  it('covers extra host names (DNS and IP) and regenerates when they change', async () => {
    const now = new Date();
    await provisionLocalhostCertificate({ certsDir, now, hostNames: ['Trust.Example.Test', '192.0.2.10'] }, recordingLogger());
    expect(openssl(['x509', '-in', certFile, '-noout', '-ext', 'subjectAltName'])).toContain(
      'DNS:localhost, DNS:trust.example.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.0.2.10',
    );
    const original = fingerprint(certFile);
    // A subset (or the same names spelled differently) is still covered.
    await provisionLocalhostCertificate({ certsDir, now, hostNames: ['trust.example.test', '[0:0::1]'] }, recordingLogger());
    expect(fingerprint(certFile)).toBe(original);

    const log = recordingLogger();
    await provisionLocalhostCertificate({ certsDir, now, hostNames: ['other.example.test', '2001:db8::5'] }, log);
    expect(fingerprint(certFile)).not.toBe(original);
    expect(log.lines[0]!.msg).toMatch(/does not cover other\.example\.test, 2001:db8::5/);
    expect(openssl(['x509', '-in', certFile, '-noout', '-ext', 'subjectAltName'])).toContain('DNS:other.example.test');
  });

  it('rejects an invalid host name with a TlsConfigurationError and writes nothing', async () => {
    await expect(provisionLocalhostCertificate({ certsDir, now: new Date(), hostNames: ['bad_host'] }, recordingLogger())).rejects.toThrow(
      TlsConfigurationError,
    );
    expect(existsSync(keyFile)).toBe(false);
  });

  it('fails with a TlsConfigurationError when certsDir cannot be created', async () => {
    const blocker = join(root, 'file');
    writeFileSync(blocker, 'not a directory');
    await expect(provisionLocalhostCertificate({ certsDir: join(blocker, 'certs'), now: new Date() }, recordingLogger())).rejects.toThrow(
      /Cannot create the TLS certificate directory/,
    );
  });
});
