import { constants, createHmac, generateKeyPairSync, hkdfSync, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { OpenSslToolkit } from '@s2s/testing';
import { JWS_ALGORITHMS, type JwsAlgorithm, keyFitsAlgorithm, signJws, verifyJws } from './jws-signature.js';
import { deriveKey } from './key-derivation.js';

type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };

const SIGNING_INPUT = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"client-1","iat":1795000000}').toString('base64url')}`;

describe('JWS signatures (RS256, PS256, ES256) through OpenSSL', () => {
  const openssl = new OpenSslToolkit();
  let rsa: KeyPair;
  let otherRsa: KeyPair;
  let rsa1024: KeyPair;
  let ec: KeyPair;
  let ecP384: KeyPair;
  let ed25519: KeyPair;

  beforeAll(() => {
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
    ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    ecP384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    ed25519 = generateKeyPairSync('ed25519');
  });

  afterAll(() => openssl.dispose());

  /** `openssl dgst -sha256 -verify` over the signing input, with extra `-sigopt`s. */
  function opensslVerifies(publicKey: KeyObject, signature: Buffer, sigopts: string[] = []): boolean {
    const keyFile = openssl.write(`pub-${randomBytes(4).toString('hex')}.pem`, publicKey.export({ type: 'spki', format: 'pem' }));
    const signatureFile = openssl.write(`sig-${randomBytes(4).toString('hex')}.bin`, signature);
    const dataFile = openssl.write(`data-${randomBytes(4).toString('hex')}.txt`, SIGNING_INPUT);
    try {
      return openssl.run(['dgst', '-sha256', '-verify', keyFile, ...sigopts.flatMap((option) => ['-sigopt', option]), '-signature', signatureFile, dataFile]).includes('Verified OK');
    } catch {
      return false;
    }
  }

  describe('signJws', () => {
    it('RS256: a PKCS#1 v1.5 SHA-256 signature that the openssl CLI verifies', async () => {
      const signature = await signJws('RS256', SIGNING_INPUT, rsa.privateKey);
      expect(signature).toHaveLength(256);
      expect(opensslVerifies(rsa.publicKey, signature)).toBe(true);
      expect(opensslVerifies(otherRsa.publicKey, signature)).toBe(false);
    });

    it('PS256: a PSS signature with a 32-byte salt that the openssl CLI verifies with saltlen 32', async () => {
      const signature = await signJws('PS256', SIGNING_INPUT, rsa.privateKey);
      expect(opensslVerifies(rsa.publicKey, signature, ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32', 'rsa_mgf1_md:sha256'])).toBe(true);
      // A salt of any other length would fail this exact check.
      expect(opensslVerifies(rsa.publicKey, signature, ['rsa_padding_mode:pss', 'rsa_pss_saltlen:20'])).toBe(false);
    });

    it('ES256: a raw 64-byte R || S signature that node:crypto verifies in IEEE P1363 form', async () => {
      const signature = await signJws('ES256', SIGNING_INPUT, ec.privateKey);
      expect(signature).toHaveLength(64);
      expect(verify('sha256', Buffer.from(SIGNING_INPUT), { key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    });

    it.each(JWS_ALGORITHMS)('%s: verifyJws accepts what signJws made, and only for the signing input', async (algorithm) => {
      const key = algorithm === 'ES256' ? ec : rsa;
      const signature = await signJws(algorithm, SIGNING_INPUT, key.privateKey);
      expect(verifyJws(algorithm, SIGNING_INPUT, signature, key.publicKey)).toBe(true);
      expect(verifyJws(algorithm, `${SIGNING_INPUT}x`, signature, key.publicKey)).toBe(false);
    });
  });

  describe('verifyJws against signatures made by node:crypto directly', () => {
    const data = Buffer.from(SIGNING_INPUT, 'ascii');

    it.each<[string, () => [JwsAlgorithm, Buffer, KeyObject]]>([
      ['RS256', () => ['RS256', sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PADDING }), rsa.publicKey]],
      ['PS256 (salt 32)', () => ['PS256', sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }), rsa.publicKey]],
      ['ES256 (P1363)', () => ['ES256', sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }), ec.publicKey]],
    ])('accepts a genuine %s signature', (_name, make) => {
      const [algorithm, signature, publicKey] = make();
      expect(verifyJws(algorithm, SIGNING_INPUT, signature, publicKey)).toBe(true);
    });

    it.each<[string, () => [JwsAlgorithm, Buffer, KeyObject]]>([
      ['a signature by another RSA key', () => ['RS256', sign('sha256', data, rsa.privateKey), otherRsa.publicKey]],
      ['an RS256 signature checked as PS256', () => ['PS256', sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PADDING }), rsa.publicKey]],
      ['a PS256 signature checked as RS256', () => ['RS256', sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }), rsa.publicKey]],
      ['a PSS signature with a salt other than 32 bytes', () => ['PS256', sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }), rsa.publicKey]],
      ['an RSA key with ES256', () => ['ES256', sign('sha256', data, rsa.privateKey), rsa.publicKey]],
      ['an EC key with RS256', () => ['RS256', sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }), ec.publicKey]],
      ['an EC key with PS256', () => ['PS256', sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }), ec.publicKey]],
      ['a mathematically valid RS256 signature by a 1024-bit RSA key', () => ['RS256', sign('sha256', data, rsa1024.privateKey), rsa1024.publicKey]],
      ['a P-384 key with ES256', () => ['ES256', sign('sha256', data, { key: ecP384.privateKey, dsaEncoding: 'ieee-p1363' }), ecP384.publicKey]],
      ['an Ed25519 key with ES256', () => ['ES256', sign(null, data, ed25519.privateKey), ed25519.publicKey]],
      ['a truncated RS256 signature', () => ['RS256', sign('sha256', data, rsa.privateKey).subarray(0, 255), rsa.publicKey]],
      ['an RS256 signature with one byte appended', () => ['RS256', Buffer.concat([sign('sha256', data, rsa.privateKey), Buffer.from([0])]), rsa.publicKey]],
      ['an RS256 signature with one bit flipped', () => ['RS256', flipBit(sign('sha256', data, rsa.privateKey)), rsa.publicKey]],
      ['an empty signature', () => ['RS256', Buffer.alloc(0), rsa.publicKey]],
      ['a truncated ES256 signature', () => ['ES256', sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }).subarray(0, 63), ec.publicKey]],
      ['an ES256 signature in DER instead of R || S', () => ['ES256', sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'der' }), ec.publicKey]],
      ['the ECDSA "psychic signature" r = s = 0', () => ['ES256', Buffer.alloc(64), ec.publicKey]],
      ['an RS256 signature of other data', () => ['RS256', sign('sha256', Buffer.from(`${SIGNING_INPUT}.`), rsa.privateKey), rsa.publicKey]],
      ['an RS256 signature with SHA-512', () => ['RS256', sign('sha512', data, rsa.privateKey), rsa.publicKey]],
    ])('returns false (never throws) for %s', (_name, make) => {
      const [algorithm, signature, publicKey] = make();
      expect(verifyJws(algorithm, SIGNING_INPUT, signature, publicKey)).toBe(false);
    });

    it('the 1024-bit signature is refused by policy only: OpenSSL itself finds it valid', () => {
      const signature = sign('sha256', data, rsa1024.privateKey);
      expect(opensslVerifies(rsa1024.publicKey, signature)).toBe(true);
      expect(keyFitsAlgorithm('RS256', rsa1024.publicKey)).toBe(false);
      expect(verifyJws('RS256', SIGNING_INPUT, signature, rsa1024.publicKey)).toBe(false);
    });
  });

  describe('keyFitsAlgorithm', () => {
    const keyNamed = (name: string): KeyObject =>
      ({
        'RSA 2048': rsa.publicKey,
        'RSA 2048 private key': rsa.privateKey,
        'RSA 1024': rsa1024.publicKey,
        'EC P-256': ec.publicKey,
        'EC P-384': ecP384.publicKey,
        Ed25519: ed25519.publicKey,
      })[name]!;

    it.each<[string, JwsAlgorithm, boolean]>([
      ['RSA 2048', 'RS256', true],
      ['RSA 2048', 'PS256', true],
      ['RSA 2048', 'ES256', false],
      ['RSA 2048 private key', 'RS256', true],
      ['RSA 1024', 'RS256', false],
      ['RSA 1024', 'PS256', false],
      ['EC P-256', 'ES256', true],
      ['EC P-256', 'RS256', false],
      ['EC P-256', 'PS256', false],
      ['EC P-384', 'ES256', false],
      ['Ed25519', 'ES256', false],
      ['Ed25519', 'RS256', false],
    ])('%s with %s → %s', (name, algorithm, fits) => {
      expect(keyFitsAlgorithm(algorithm, keyNamed(name))).toBe(fits);
    });

    it('accepts a 3072-bit RSA key (the threshold is a minimum, not an exact size)', () => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
      expect(keyFitsAlgorithm('RS256', publicKey)).toBe(true);
    });
  });

  it('offers exactly RS256, PS256 and ES256 (no none, no HMAC)', () => {
    expect([...JWS_ALGORITHMS]).toEqual(['RS256', 'PS256', 'ES256']);
  });
});

describe('deriveKey (HKDF-SHA-256, RFC 5869)', () => {
  const masterKey = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

  it('derives 32 bytes', () => {
    expect(deriveKey(masterKey, 'client-secret-hash')).toHaveLength(32);
  });

  it('is deterministic', () => {
    expect(deriveKey(masterKey, 'client-secret-hash').equals(deriveKey(Buffer.from(masterKey), 'client-secret-hash'))).toBe(true);
  });

  it('gives different keys for different purposes and different master keys', () => {
    const a = deriveKey(masterKey, 'client-secret-hash');
    expect(a.equals(deriveKey(masterKey, 'admin-api-key-hash'))).toBe(false);
    expect(a.equals(deriveKey(masterKey, 'client-secret-hash '))).toBe(false);
    expect(a.equals(deriveKey(randomBytes(32), 'client-secret-hash'))).toBe(false);
    expect(a.equals(masterKey)).toBe(false);
  });

  it.each(['client-secret-hash', 'admin-api-key-hash', 'x'])('equals hkdfSync(sha256, key, empty salt, "s2s-trust:%s", 32)', (purpose) => {
    const expected = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `s2s-trust:${purpose}`, 32));
    expect(deriveKey(masterKey, purpose).equals(expected)).toBe(true);
  });

  it('matches the RFC 5869 construction computed by hand with HMAC (extract, then one expand block)', () => {
    // Extract with the empty salt (= 32 zero bytes), then T(1) = HMAC(PRK, info || 0x01).
    const prk = createHmac('sha256', Buffer.alloc(32)).update(masterKey).digest();
    const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('s2s-trust:client-secret-hash'), Buffer.from([1])])).digest();
    expect(deriveKey(masterKey, 'client-secret-hash').equals(okm)).toBe(true);
  });
});

function flipBit(signature: Buffer): Buffer {
  const copy = Buffer.from(signature);
  copy[copy.length - 1] ^= 0x01;
  return copy;
}

describe('signJws with a key that does not fit the algorithm', () => {
  it('refuses instead of producing a token whose header lies about its algorithm', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    await expect(signJws('ES256', 'a.b', rsa)).rejects.toThrow('the key cannot sign ES256');
    await expect(signJws('RS256', 'a.b', ec)).rejects.toThrow('the key cannot sign RS256');
  });
});
