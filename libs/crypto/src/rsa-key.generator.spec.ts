import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair, type RsaModulusLength } from './rsa-key.generator.js';

describe('generateRsaKeyPair', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-rsa-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('produces a PKCS#8 private key and SPKI public key that OpenSSL reads as RSA 2048 with e=65537', async () => {
    const { privateKeyPem, publicKeyPem } = await generateRsaKeyPair(2048);
    expect(privateKeyPem).toMatch(new RegExp(`^-----BEGIN ${'PRIVATE'} KEY-----\n`));
    expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);

    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
    const text = execFileSync('openssl', ['pkey', '-in', keyFile, '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toContain('Private-Key: (2048 bit');
    expect(text).toContain('publicExponent: 65537');
    execFileSync('openssl', ['rsa', '-in', keyFile, '-check', '-noout'], { stdio: 'pipe' });
    // The public key is the private key's counterpart.
    const derivedPublic = execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout'], { encoding: 'utf8' });
    expect(derivedPublic).toBe(publicKeyPem);
  });

  it('does not block the event loop while generating', async () => {
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    await generateRsaKeyPair(2048);
    expect(ticked).toBe(true);
  });

  it('returns a different key each time', async () => {
    const [a, b] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
    expect(a.privateKeyPem).not.toBe(b.privateKeyPem);
  });

  it('rejects modulus lengths outside 2048/3072/4096', async () => {
    await expect(generateRsaKeyPair(1024 as RsaModulusLength)).rejects.toThrow(RangeError);
    await expect(generateRsaKeyPair(2047 as RsaModulusLength)).rejects.toThrow(/2048, 3072, 4096/);
  });
});
