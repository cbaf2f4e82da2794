import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateThumbprints, normalizeThumbprint } from './certificate-thumbprint.js';
import { InvalidThumbprintError } from './invalid-thumbprint.error.js';
import { generateRsaKeyPair } from './rsa-key.generator.js';
import { createSelfSignedCertificate } from './x509-certificate.builder.js';

describe('certificateThumbprints', () => {
  let dir: string;
  let certFile: string;
  let pem: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's2s-thumb-'));
    const { privateKeyPem } = await generateRsaKeyPair(2048);
    pem = createSelfSignedCertificate({
      privateKeyPem,
      subject: { commonName: 'thumbprint.example.test' },
      dnsNames: ['thumbprint.example.test'],
      notBefore: new Date('2025-01-01T00:00:00Z'),
      validityDays: 10,
      extendedKeyUsage: ['clientAuth'],
    });
    certFile = join(dir, 'cert.pem');
    writeFileSync(certFile, pem);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const opensslFingerprint = (algorithm: string): string =>
    execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', `-${algorithm}`], { encoding: 'utf8' })
      .trim()
      .replace(/^.*Fingerprint=/i, '')
      .replace(/:/g, '');

  const der = (): Buffer => execFileSync('openssl', ['x509', '-in', certFile, '-outform', 'der']);
  const opensslDigest = (algorithm: string): Buffer => execFileSync('openssl', ['dgst', `-${algorithm}`, '-binary'], { input: der() });

  it('matches openssl x509 -fingerprint for SHA-1 and SHA-256 (uppercase, no separators)', () => {
    const thumbprints = certificateThumbprints(pem);
    expect(thumbprints.sha1Hex).toMatch(/^[0-9A-F]{40}$/);
    expect(thumbprints.sha256Hex).toMatch(/^[0-9A-F]{64}$/);
    expect(thumbprints.sha1Hex).toBe(opensslFingerprint('sha1'));
    expect(thumbprints.sha256Hex).toBe(opensslFingerprint('sha256'));
  });

  it('x5t / x5t#S256 are base64url digests of the DER encoding (RFC 7515 4.1.7/4.1.8)', () => {
    const thumbprints = certificateThumbprints(pem);
    expect(thumbprints.x5t).toBe(opensslDigest('sha1').toString('base64url'));
    expect(thumbprints.x5tS256).toBe(opensslDigest('sha256').toString('base64url'));
    expect(thumbprints.x5t).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(thumbprints.x5tS256).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives the same result for DER input and for re-wrapped PEM', () => {
    const expected = certificateThumbprints(pem);
    expect(certificateThumbprints(der())).toEqual(expected);
    expect(certificateThumbprints(pem.replace(/\r?\n/g, '\r\n'))).toEqual(expected);
  });

  it('rejects input that is not a certificate', () => {
    expect(() => certificateThumbprints('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow();
    expect(() => certificateThumbprints(Buffer.from('garbage'))).toThrow();
  });
});

describe('normalizeThumbprint', () => {
  const sha1 = 'A1B2C3D4E5F60718293A4B5C6D7E8F9001122334';
  const sha256 = '00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF';

  it.each([
    ['uppercase SHA-1', sha1, sha1],
    ['lowercase SHA-1', sha1.toLowerCase(), sha1],
    ['colon separated (openssl)', sha1.match(/../g)!.join(':'), sha1],
    ['space separated (Windows MMC)', sha1.toLowerCase().match(/../g)!.join(' '), sha1],
    ['with the invisible U+200E Windows prefixes', `\u200e${sha1.match(/../g)!.join(' ')}`, sha1],
    ['surrounded by whitespace and tabs', `  ${sha1}\t\n`, sha1],
    ['mixed separators SHA-256', `${sha256.slice(0, 10).toLowerCase()}: ${sha256.slice(10)}`, sha256],
    ['SHA-256', sha256, sha256],
  ])('accepts %s', (_label, input, expected) => {
    expect(normalizeThumbprint(input)).toBe(expected);
  });

  it('accepts the documented example shape', () => {
    expect(normalizeThumbprint(`ab:cd ef${'0'.repeat(34)}`)).toBe(`ABCDEF${'0'.repeat(34)}`);
  });

  it.each([
    ['empty', ''],
    ['too short', 'ab:cd ef'],
    ['39 digits', sha1.slice(1)],
    ['41 digits', `${sha1}0`],
    ['48 digits', `${sha1}ABCDEF01`],
    ['65 digits', `${sha256}0`],
    ['non-hex', sha1.replace('A', 'G')],
    ['dash separated', sha1.match(/../g)!.join('-')],
    ['base64url x5t', 'dGhpcyBpcyBub3QgYSB0aHVtYnByaW50'],
  ])('rejects %s', (_label, input) => {
    expect(() => normalizeThumbprint(input)).toThrow(InvalidThumbprintError);
  });

  it('throws an InvalidThumbprintError that is an Error with its own name', () => {
    try {
      normalizeThumbprint('xyz');
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(InvalidThumbprintError);
      expect((error as Error).name).toBe('InvalidThumbprintError');
    }
  });
});
