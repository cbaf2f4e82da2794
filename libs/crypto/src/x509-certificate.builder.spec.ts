import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair } from './rsa-key.generator.js';
import { createSelfSignedCertificate, type SelfSignedCertificateOptions } from './x509-certificate.builder.js';

const NOT_BEFORE = new Date('2025-03-01T11:55:00Z');

describe('createSelfSignedCertificate', () => {
  let dir: string;
  let privateKeyPem: string;

  beforeAll(async () => {
    ({ privateKeyPem } = await generateRsaKeyPair(2048));
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-x509-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function build(overrides: Partial<SelfSignedCertificateOptions> = {}): string {
    return createSelfSignedCertificate({
      privateKeyPem,
      subject: { commonName: 'localhost', organization: 'Example, Inc' },
      dnsNames: ['localhost', 'Trust.Example.TEST'],
      ipAddresses: ['127.0.0.1', '::1'],
      notBefore: NOT_BEFORE,
      validityDays: 365,
      extendedKeyUsage: ['serverAuth'],
      ...overrides,
    });
  }

  function openssl(args: string[], pem: string): string {
    const file = join(dir, `cert-${Math.random().toString(36).slice(2)}.pem`);
    writeFileSync(file, pem);
    return execFileSync('openssl', [...args.map((a) => (a === '$CERT' ? file : a))], { encoding: 'utf8', stdio: 'pipe' });
  }

  it('builds an X.509 v3 sha256WithRSA certificate with the requested extensions', () => {
    const pem = build();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n/);
    const text = openssl(['x509', '-in', '$CERT', '-noout', '-text'], pem);
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: ?\s+TLS Web Server Authentication\n/);
    expect(text).toMatch(
      /X509v3 Subject Alternative Name: ?\s+DNS:localhost, DNS:trust\.example\.test, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1\n/,
    );
    expect(text).toMatch(/X509v3 Subject Key Identifier: ?\s+([0-9A-F]{2}:){19}[0-9A-F]{2}\n/);
  });

  it('uses subject = issuer with UTF8String O and CN', () => {
    const pem = build({ subject: { commonName: 'Grüße-Host', organization: 'Example, Inc' } });
    const out = openssl(['x509', '-in', '$CERT', '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253,-esc_msb'], pem);
    expect(out).toContain('subject=CN=Grüße-Host,O=Example\\, Inc');
    expect(out).toContain('issuer=CN=Grüße-Host,O=Example\\, Inc');
    const asn1 = openssl(['asn1parse', '-in', '$CERT'], pem);
    expect(asn1).toMatch(/UTF8STRING\s+:Example, Inc/);
    expect(asn1).not.toMatch(/PRINTABLESTRING/);
  });

  it('uses the given notBefore and validityDays exactly', () => {
    const out = openssl(['x509', '-in', '$CERT', '-noout', '-startdate', '-enddate'], build({ validityDays: 30 }));
    expect(out).toContain('notBefore=Mar  1 11:55:00 2025 GMT');
    expect(out).toContain('notAfter=Mar 31 11:55:00 2025 GMT');
  });

  it('uses a random positive 16-octet serial number', () => {
    const serials = [build(), build()].map((pem) => openssl(['x509', '-in', '$CERT', '-noout', '-serial'], pem).trim());
    for (const serial of serials) {
      // 32 hex digits = 16 octets; first digit 4..7 = positive and no leading zero octet.
      expect(serial).toMatch(/^serial=[4-7][0-9A-F]{31}$/);
    }
    expect(serials[0]).not.toBe(serials[1]);
  });

  it('is verifiable by OpenSSL as a self-signed CA when isCa is set', () => {
    const pem = build({ isCa: true, extendedKeyUsage: [], dnsNames: [], ipAddresses: [], subject: { commonName: 'S2S Test Root' }, notBefore: new Date(Date.now() - 60_000) });
    const text = openssl(['x509', '-in', '$CERT', '-noout', '-text'], pem);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Digital Signature, Key Encipherment, Certificate Sign, CRL Sign/);
    expect(text).not.toContain('Subject Alternative Name');
    expect(text).not.toContain('Extended Key Usage');
    const file = join(dir, 'ca.pem');
    writeFileSync(file, pem);
    expect(execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', file, file], { encoding: 'utf8' })).toBe(`${file}: OK\n`);
  });

  it('is accepted by openssl verify as a self-signed TLS server certificate', () => {
    const file = join(dir, 'leaf.pem');
    writeFileSync(file, build({ notBefore: new Date(Date.now() - 60_000) }));
    expect(
      execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', file, file], { encoding: 'utf8' }),
    ).toBe(`${file}: OK\n`);
  });

  it('supports clientAuth and explicit key usage', () => {
    const text = openssl(
      ['x509', '-in', '$CERT', '-noout', '-text'],
      build({ extendedKeyUsage: ['serverAuth', 'clientAuth'], keyUsage: ['digitalSignature'] }),
    );
    expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
  });

  it('accepts a PKCS#1 private key and wildcard / IPv4-mapped SANs', () => {
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const text = openssl(
      ['x509', '-in', '$CERT', '-noout', '-ext', 'subjectAltName'],
      build({ privateKeyPem: pkcs1, dnsNames: ['*.svc.example.test'], ipAddresses: ['::ffff:10.1.2.3'] }),
    );
    expect(text).toContain('DNS:*.svc.example.test, IP Address:0:0:0:0:0:FFFF:A01:203');
  });

  it.each([
    ['an EC key', { privateKeyPem: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, /must be an RSA key/],
    ['a non-PEM key', { privateKeyPem: 'not a key' }, /not a readable unencrypted PEM private key/],
    ['an invalid DNS name', { dnsNames: ['under_score.example'] }, /Invalid DNS name/],
    ['a non-ASCII DNS name', { dnsNames: ['bücher.example'] }, /A-labels/],
    ['a bare wildcard', { dnsNames: ['*.com'] }, /Invalid DNS name/],
    ['an empty DNS name', { dnsNames: [''] }, /Invalid DNS name/],
    ['an invalid IP', { ipAddresses: ['300.0.0.1'] }, /Not a valid IP/],
    ['keyCertSign without isCa', { keyUsage: ['keyCertSign' as const] }, /requires isCa/],
    ['zero validity', { validityDays: 0 }, /validityDays/],
    ['an invalid date', { notBefore: new Date(Number.NaN) }, /notBefore/],
    ['an over-long CN', { subject: { commonName: 'x'.repeat(65) } }, /commonName/],
  ])('rejects %s', (_label, overrides, message) => {
    expect(() => build(overrides as Partial<SelfSignedCertificateOptions>)).toThrow(message);
  });

  it('does not echo key material when the key is unreadable', () => {
    // Built from parts so that no committed file looks like it holds a private key.
    const label = ['PRIVATE', 'KEY'].join(' ');
    const garbage = `-----BEGIN ${label}-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lC\n-----END ${label}-----\n`;
    let caught: unknown;
    try {
      build({ privateKeyPem: garbage });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).not.toContain('TUlJ');
  });
});
