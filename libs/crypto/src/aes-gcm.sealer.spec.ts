import { randomBytes, webcrypto } from 'node:crypto';
import { openWithMasterKey, sealWithMasterKey } from './aes-gcm.sealer.js';
import { SealedDataError } from './sealed-data.error.js';

const AAD = 'A1B2C3D4E5F60718293A4B5C6D7E8F9011223344';

/** Flips one bit of the decoded part `index` (1 = iv, 2 = ciphertext, 3 = tag) and re-encodes it. */
function tamper(sealed: string, index: number, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[byte] = bytes[byte]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

function expectSealedDataError(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SealedDataError);
  expect((caught as Error).message).toBe('cannot decrypt: wrong master key or tampered data');
}

describe('sealWithMasterKey / openWithMasterKey', () => {
  const key = randomBytes(32);
  const plaintext = Buffer.from('private key material \u00e9\u4e2d', 'utf8');

  it('round-trips and produces the v1 compact format with a 12-byte IV and 16-byte tag', () => {
    const sealed = sealWithMasterKey(plaintext, key, AAD);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [, iv, ciphertext, tag] = sealed.split('.');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext!, 'base64url')).toHaveLength(plaintext.length); // GCM is a stream mode
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext!, 'base64url').equals(plaintext)).toBe(false);
    expect(openWithMasterKey(sealed, key, AAD).equals(plaintext)).toBe(true);
  });

  it('round-trips an empty plaintext', () => {
    const sealed = sealWithMasterKey(Buffer.alloc(0), key, AAD);
    expect(openWithMasterKey(sealed, key, AAD)).toHaveLength(0);
  });

  it('is standard AES-256-GCM: WebCrypto decrypts it with the same key, IV and AAD', async () => {
    const sealed = sealWithMasterKey(plaintext, key, AAD);
    const [, iv, ciphertext, tag] = sealed.split('.');
    const cryptoKey = await webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
    const opened = await webcrypto.subtle.decrypt(
      { name: 'AES-GCM', iv: Buffer.from(iv!, 'base64url'), additionalData: Buffer.from(AAD), tagLength: 128 },
      cryptoKey,
      Buffer.concat([Buffer.from(ciphertext!, 'base64url'), Buffer.from(tag!, 'base64url')]),
    );
    expect(Buffer.from(opened).equals(plaintext)).toBe(true);
  });

  it('draws a fresh IV on every call', () => {
    const first = sealWithMasterKey(plaintext, key, AAD);
    const second = sealWithMasterKey(plaintext, key, AAD);
    expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    expect(first).not.toBe(second);
  });

  it.each([
    ['iv', 1],
    ['ciphertext', 2],
    ['tag', 3],
  ])('rejects a tampered %s', (_part, index) => {
    const sealed = sealWithMasterKey(plaintext, key, AAD);
    expect(openWithMasterKey(sealed, key, AAD).equals(plaintext)).toBe(true);
    expectSealedDataError(() => openWithMasterKey(tamper(sealed, index), key, AAD));
    // last byte too, so a check that only looked at the first byte would not pass
    const parts = sealed.split('.');
    const last = Buffer.from(parts[index]!, 'base64url').length - 1;
    expectSealedDataError(() => openWithMasterKey(tamper(sealed, index, last), key, AAD));
  });

  it('rejects a wrong master key', () => {
    const sealed = sealWithMasterKey(plaintext, key, AAD);
    expectSealedDataError(() => openWithMasterKey(sealed, randomBytes(32), AAD));
  });

  it('rejects different associated data (a sealed value moved to another row)', () => {
    const sealed = sealWithMasterKey(plaintext, key, AAD);
    expectSealedDataError(() => openWithMasterKey(sealed, key, `${AAD.slice(0, -1)}5`));
    expectSealedDataError(() => openWithMasterKey(sealed, key, ''));
  });

  it.each([
    ['empty string', ''],
    ['wrong version', (s: string) => s.replace(/^v1\./, 'v2.')],
    ['missing part', (s: string) => s.split('.').slice(0, 3).join('.')],
    ['extra part', (s: string) => `${s}.AAAA`],
    ['non-base64url characters', (s: string) => s.replace(/\.([^.]+)$/, '.$1+/')],
    ['padded base64', (s: string) => `${s}=`],
    ['truncated tag', (s: string) => s.slice(0, -4)],
    ['short IV', (s: string) => s.replace(/^v1\.[^.]+\./, 'v1.AAAAAAAAAAA.')],
  ])('rejects a malformed string (%s)', (_name, mutate) => {
    const sealed = sealWithMasterKey(plaintext, key, AAD);
    const bad = typeof mutate === 'string' ? mutate : mutate(sealed);
    expect(bad).not.toBe(sealed);
    expectSealedDataError(() => openWithMasterKey(bad, key, AAD));
  });

  it.each([31, 0, 16, 33])('rejects a %i-byte master key on seal and open', (length) => {
    expect(() => sealWithMasterKey(plaintext, randomBytes(length), AAD)).toThrow(
      new RangeError(`masterKey must be exactly 32 bytes (AES-256); got ${length} bytes`),
    );
    const sealed = sealWithMasterKey(plaintext, key, AAD);
    expect(() => openWithMasterKey(sealed, randomBytes(length), AAD)).toThrow(RangeError);
  });
});
