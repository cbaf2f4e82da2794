import { constants, createHash, createPrivateKey, createPublicKey, type KeyObject, privateEncrypt, publicDecrypt, randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssertionReplayStore } from '@s2s/clients';
import { FrozenClock } from '@s2s/core';
import { JwtFormatError, parseCompactJwt } from '@s2s/jwt';
import { certificateRegistration, clientDirectoryOf, OpenSslToolkit, REPO_ROOT } from '@s2s/testing';
// The client-assertion verifier through its library's public alias (it may move to another library).
import { ClientAssertionVerifier, InvalidClientError, JWT_BEARER_ASSERTION_TYPE, type OAuthError } from '@s2s/oauth-wire';
import { type JwsAlgorithm, verifyJws, verifyJwsOffLoop } from './jws-signature.js';

/**
 * Project Wycheproof (C2SP/wycheproof `testvectors_v1/`, copied unchanged into
 * `test/vectors/wycheproof/`) through every signature path of the service:
 *
 * 1. `verifyJws`, the one function that the token validator (all three issuer classes) and the
 *    `private_key_jwt` client-assertion verifier call, for RS256 (PKCS#1 v1.5, 2048/3072/4096),
 *    PS256 (PSS, SHA-256, MGF1-SHA-256, salt 32) and ES256 (P-256, r‖s), with each test group's
 *    own public key. Every `valid` vector must verify, every `invalid` one must not; the
 *    `acceptable` ones (RSA "MissingNull": a DigestInfo without the NULL parameter) are recorded,
 *    and our policy is the strict one (security catalogue §3.6: refused).
 * 2. The client-assertion verifier. A Wycheproof `msg` is arbitrary bytes, never a JWS signing
 *    input `base64url(header).base64url(payload)` naming a registered client, so no vector can be
 *    fed to that verifier as it stands (the test counts them: 0 of 1146 are). Instead the test
 *    builds real assertions for registered RSA and P-256 clients, gives them signatures damaged in
 *    the Wycheproof ways (hand-made PKCS#1 encodings with a wrong hash OID, missing NULL, bad
 *    padding…; PSS with other salt lengths or a bad trailer; ECDSA r = 0, s = n, (r, n − s), DER…),
 *    and checks that the assertion verifier's verdict equals `verifyJws`'s for the same signing
 *    input, signature, key and algorithm, and that every refusal is `assertion_signature_invalid`:
 *    it delegates the signature to `verifyJws` with the same options.
 */

const VECTOR_DIR = join(REPO_ROOT, 'test/vectors/wycheproof');

interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface WycheproofGroup {
  publicKeyPem: string;
  keySize?: number;
  sha: string;
  sLen?: number;
  mgfSha?: string;
  tests: WycheproofTest[];
}
interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

const FILES: [file: string, algorithm: JwsAlgorithm][] = [
  ['rsa_signature_2048_sha256_test.json', 'RS256'],
  ['rsa_signature_3072_sha256_test.json', 'RS256'],
  ['rsa_signature_4096_sha256_test.json', 'RS256'],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256'],
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'],
];

/** Our verdict on `acceptable` vectors: refused (the strict choice, security catalogue §3.6, F06). */
const ACCEPTABLE_VERDICT = false;

const readVectors = (file: string): WycheproofFile => JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) as WycheproofFile;

/**
 * `verifyJws` takes the signing input as a string and reads it back as latin1, which maps every
 * byte 0-255 to one character and back: the exact vector bytes reach OpenSSL.
 */
const asSigningInput = (hex: string): string => Buffer.from(hex, 'hex').toString('latin1');

const summaries: string[] = [];

describe('Wycheproof vectors through verifyJws (every validator and the client-assertion verifier call it)', () => {
  afterAll(() => {
    // One line per file in the CI log.
    console.log(`Wycheproof through verifyJws:\n${summaries.join('\n')}`);
  });

  it.each(FILES)('%s as %s', (file, algorithm) => {
    const vectors = readVectors(file);
    const counts = { valid: 0, validAccepted: 0, invalid: 0, invalidRefused: 0, acceptable: 0, acceptableAccepted: 0 };
    const wrong: string[] = [];
    let total = 0;
    for (const group of vectors.testGroups) {
      expect(group.sha).toBe('SHA-256');
      if (algorithm === 'PS256') expect([group.sLen, group.mgfSha]).toEqual([32, 'SHA-256']);
      const key = createPublicKey(group.publicKeyPem);
      for (const test of group.tests) {
        total += 1;
        const accepted = verifyJws(algorithm, asSigningInput(test.msg), Buffer.from(test.sig, 'hex'), key);
        counts[test.result] += 1;
        if (test.result === 'valid' && accepted) counts.validAccepted += 1;
        if (test.result === 'invalid' && !accepted) counts.invalidRefused += 1;
        if (test.result === 'acceptable' && accepted) counts.acceptableAccepted += 1;
        const expected = test.result === 'valid' ? true : test.result === 'invalid' ? false : ACCEPTABLE_VERDICT;
        if (accepted !== expected) wrong.push(`tcId ${test.tcId} (${test.result}, ${test.comment}, [${test.flags.join(', ')}]): ${accepted ? 'accepted' : 'refused'}`);
      }
    }
    summaries.push(
      `  ${file} (${algorithm}): ${total} vectors; valid ${counts.validAccepted}/${counts.valid} accepted; invalid ${counts.invalidRefused}/${counts.invalid} refused; ` +
        `acceptable ${counts.acceptable} (${counts.acceptableAccepted} accepted, ${counts.acceptable - counts.acceptableAccepted} refused: policy refuses)`,
    );
    expect(total).toBe(vectors.numberOfTests);
    expect(wrong).toEqual([]);
  });

  it.each(FILES)('%s as %s: verifyJwsOffLoop (the thread-pool form the validators use) gives verifyJws\'s verdict on every vector', async (file, algorithm) => {
    const differing: string[] = [];
    let total = 0;
    for (const group of readVectors(file).testGroups) {
      const key = createPublicKey(group.publicKeyPem);
      const verdicts = await Promise.all(group.tests.map((test) => verifyJwsOffLoop(algorithm, asSigningInput(test.msg), Buffer.from(test.sig, 'hex'), key)));
      group.tests.forEach((test, i) => {
        total += 1;
        if (verdicts[i] !== verifyJws(algorithm, asSigningInput(test.msg), Buffer.from(test.sig, 'hex'), key)) differing.push(`tcId ${test.tcId}`);
      });
    }
    expect(total).toBe(readVectors(file).numberOfTests);
    expect(differing).toEqual([]);
  });

  it('the acceptable vectors are exactly the RSA "MissingNull" ones, and they are refused', () => {
    const acceptable = FILES.flatMap(([file]) => readVectors(file).testGroups.flatMap((g) => g.tests.filter((t) => t.result === 'acceptable').map((t) => `${file}#${t.tcId}:${t.flags.join(',')}`)));
    expect(acceptable).toEqual(['rsa_signature_2048_sha256_test.json#8:MissingNull', 'rsa_signature_3072_sha256_test.json#8:MissingNull', 'rsa_signature_4096_sha256_test.json#8:MissingNull']);
  });

  it('no vector message is a JWS signing input, so none can be fed to the client-assertion verifier as it is', () => {
    let vectors = 0;
    let signingInputs = 0;
    for (const [file] of FILES) {
      for (const group of readVectors(file).testGroups) {
        for (const test of group.tests) {
          vectors += 1;
          try {
            parseCompactJwt(`${asSigningInput(test.msg)}.${Buffer.from(test.sig, 'hex').toString('base64url')}`);
            signingInputs += 1;
          } catch (error) {
            if (!(error instanceof JwtFormatError)) throw error;
          }
        }
      }
    }
    console.log(`Wycheproof through the client-assertion verifier: ${signingInputs} of ${vectors} vector messages are a JWS signing input; the path is covered by delegation below`);
    expect(vectors).toBe(1146);
    expect(signingInputs).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The client-assertion path: real assertions, signatures damaged in the Wycheproof ways.
// ---------------------------------------------------------------------------------------------

const NOW = new Date('2026-11-22T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const AUDIENCE = { issuer: 'https://s2s.contoso.com', tokenEndpoint: 'https://s2s.contoso.com/oauth2/token' };
const RSA_CLIENT = '0b0f1e2d-3c4b-4a59-8877-665544332211';
const EC_CLIENT = '55555555-5555-4555-8555-555555555555';

/** P-256 group order n (FIPS 186-4 D.1.2.3). */
const P256_N = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
/** DER DigestInfo prefixes (RFC 8017 9.2 note 1) and the Wycheproof variants of them. */
const DIGEST_INFO = {
  sha256: '3031300d060960864801650304020105000420',
  /** Wycheproof "MissingNull" (acceptable): the AlgorithmIdentifier without its NULL parameter. */
  sha256MissingNull: '302f300b0609608648016503040201' + '0420',
  /** The SHA-1 OID around a SHA-256 digest (Wycheproof "WrongHash", catalogue F06). */
  sha1Oid: '302d300906052b0e03021a05000420',
  /** The SHA-512 OID around a SHA-256 digest. */
  sha512Oid: '3031300d060960864801650304020305000420',
};

const toBigInt = (bytes: Buffer): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`));
function toBytes(value: bigint, length: number): Buffer {
  const hex = value.toString(16).padStart(length * 2, '0');
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** Raw RSA (s = m^d mod n) of a hand-made encoded message: how Wycheproof builds its bad-padding vectors. */
const rawRsa = (key: KeyObject, encoded: Buffer): Buffer => privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, encoded);
/** m = s^e mod n: the encoded message inside a signature. */
const openRsa = (key: KeyObject, signature: Buffer): Buffer => publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);

/** EMSA-PKCS1-v1_5 (RFC 8017 9.2) with a chosen DigestInfo prefix and padding details. */
function pkcs1Encoded(k: number, message: string, options: { prefix?: string; blockType?: number; separator?: number; psByte?: number; digest?: Buffer; trailing?: Buffer; psLength?: number } = {}): Buffer {
  const digest = options.digest ?? createHash('sha256').update(message, 'latin1').digest();
  const t = Buffer.concat([Buffer.from(options.prefix ?? DIGEST_INFO.sha256, 'hex'), digest, options.trailing ?? Buffer.alloc(0)]);
  const psLength = options.psLength ?? k - t.length - 3;
  const body = Buffer.concat([Buffer.from([0x00, options.blockType ?? 0x01]), Buffer.alloc(psLength, options.psByte ?? 0xff), Buffer.from([options.separator ?? 0x00]), t]);
  // A shorter padding leaves room: the rest are leading zero bytes (Wycheproof "short padding").
  return Buffer.concat([Buffer.alloc(k - body.length), body]);
}

interface Credential {
  certificatePem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  x5t: string;
  x5tS256: string;
  sha1Hex: string;
  notAfter: Date;
}

class RecordingReplayStore extends AssertionReplayStore {
  readonly recorded = new Set<string>();
  async recordOnce(clientId: string, jti: string): Promise<boolean> {
    const key = `${clientId} ${jti}`;
    if (this.recorded.has(key)) return false;
    this.recorded.add(key);
    return true;
  }
  async purgeExpired(): Promise<number> {
    return 0;
  }
}

/** One damaged (or intact) signature over a fresh assertion's signing input. */
interface SignatureCase {
  name: string;
  /** Wycheproof's label for this kind of signature under this algorithm. */
  expected: 'valid' | 'invalid' | 'acceptable';
  /** The algorithm in the assertion header (the verifier pins it from there, within RS256/PS256/ES256). */
  algorithm: JwsAlgorithm;
  client: 'rsa' | 'ec';
  signature: (signingInput: string, credential: Credential) => Buffer;
}

describe('the private_key_jwt client-assertion path delegates to verifyJws with the same options', () => {
  const openssl = new OpenSslToolkit();
  let rsa: Credential;
  let ec: Credential;
  let verifier: ClientAssertionVerifier;

  function credential(cn: string, keyAlgorithm?: string): Credential {
    const made = openssl.selfSigned({ cn, days: 3650, keyAlgorithm });
    const x509 = new X509Certificate(made.certificatePem);
    return {
      certificatePem: made.certificatePem,
      privateKey: createPrivateKey(made.privateKeyPem),
      publicKey: x509.publicKey,
      x5t: openssl.x5t(made.certFile),
      x5tS256: createHash('sha256').update(x509.raw).digest('base64url'),
      sha1Hex: openssl.sha1Thumbprint(made.certFile),
      notAfter: new Date(x509.validTo),
    };
  }

  beforeAll(async () => {
    rsa = credential('wycheproof-rsa');
    ec = credential('wycheproof-ec', 'ec');
    const directory = await clientDirectoryOf([certificateRegistration(RSA_CLIENT, [rsa], NOW), certificateRegistration(EC_CLIENT, [ec], NOW)]);
    verifier = new ClientAssertionVerifier(directory, new RecordingReplayStore(), new FrozenClock(NOW));
  });

  afterAll(() => openssl.dispose());

  const k = (c: Credential): number => c.publicKey.asymmetricKeyDetails!.modulusLength! / 8;
  const n = (c: Credential): bigint => toBigInt(Buffer.from(c.publicKey.export({ format: 'jwk' }).n!, 'base64url'));
  const pkcs1 = (input: string, c: Credential): Buffer => sign('sha256', Buffer.from(input, 'latin1'), { key: c.privateKey, padding: constants.RSA_PKCS1_PADDING });
  const pss = (saltLength: number) => (input: string, c: Credential): Buffer =>
    sign('sha256', Buffer.from(input, 'latin1'), { key: c.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
  const es256 = (input: string, c: Credential): Buffer => sign('sha256', Buffer.from(input, 'latin1'), { key: c.privateKey, dsaEncoding: 'ieee-p1363' });
  /** A valid PSS signature whose encoded message is then changed and re-signed raw. */
  const pssEdited = (edit: (em: Buffer) => void) => (input: string, c: Credential): Buffer => {
    const em = openRsa(c.publicKey, pss(32)(input, c));
    edit(em);
    return rawRsa(c.privateKey, em);
  };
  const rs = (signature: Buffer): [bigint, bigint] => [toBigInt(signature.subarray(0, 32)), toBigInt(signature.subarray(32))];
  const p1363 = (r: bigint, s: bigint, width = 32): Buffer => Buffer.concat([toBytes(r, width), toBytes(s, width)]);
  const flipBit = (signature: Buffer, index: number): Buffer => {
    const copy = Buffer.from(signature);
    copy[index]! ^= 0x01;
    return copy;
  };

  const CASES: SignatureCase[] = [
    // RS256: EMSA-PKCS1-v1_5 built by hand (the Wycheproof rsa_signature_* kinds).
    { name: 'RS256 crypto.sign', expected: 'valid', algorithm: 'RS256', client: 'rsa', signature: pkcs1 },
    { name: 'RS256 hand-encoded, correct (equals crypto.sign)', expected: 'valid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i)) },
    { name: 'RS256 DigestInfo without NULL (MissingNull)', expected: 'acceptable', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { prefix: DIGEST_INFO.sha256MissingNull })) },
    { name: 'RS256 SHA-1 OID around the SHA-256 digest', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { prefix: DIGEST_INFO.sha1Oid })) },
    { name: 'RS256 SHA-512 OID around the SHA-256 digest', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { prefix: DIGEST_INFO.sha512Oid })) },
    { name: 'RS256 block type 02', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { blockType: 0x02 })) },
    { name: 'RS256 padding byte FE instead of FF', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { psByte: 0xfe })) },
    { name: 'RS256 no zero separator', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { separator: 0xff })) },
    { name: 'RS256 short padding (7 bytes) after leading zeros', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { psLength: 7 })) },
    { name: 'RS256 garbage after the digest', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), i, { trailing: Buffer.from([0x00]) })) },
    { name: 'RS256 digest of another message', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => rawRsa(c.privateKey, pkcs1Encoded(k(c), `${i}x`)) },
    { name: 'RS256 signature = 0', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (_i, c) => Buffer.alloc(k(c)) },
    { name: 'RS256 signature = 1', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (_i, c) => toBytes(1n, k(c)) },
    { name: 'RS256 signature = n - 1', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (_i, c) => toBytes(n(c) - 1n, k(c)) },
    { name: 'RS256 signature = n', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (_i, c) => toBytes(n(c), k(c)) },
    { name: 'RS256 signature s + n', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => toBytes(toBigInt(pkcs1(i, c)) + n(c), k(c) + 1) },
    { name: 'RS256 a zero byte prepended', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => Buffer.concat([Buffer.alloc(1), pkcs1(i, c)]) },
    { name: 'RS256 a zero byte appended', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => Buffer.concat([pkcs1(i, c), Buffer.alloc(1)]) },
    { name: 'RS256 last byte removed', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => pkcs1(i, c).subarray(0, -1) },
    { name: 'RS256 first byte removed', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => pkcs1(i, c).subarray(1) },
    { name: 'RS256 one bit flipped', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: (i, c) => flipBit(pkcs1(i, c), 100) },
    { name: 'RS256 header, PSS signature', expected: 'invalid', algorithm: 'RS256', client: 'rsa', signature: pss(32) },
    // PS256: salt 32 pinned (RFC 7518 3.5), the Wycheproof rsa_pss_*_mgf1_32 kinds.
    { name: 'PS256 salt 32', expected: 'valid', algorithm: 'PS256', client: 'rsa', signature: pss(32) },
    { name: 'PS256 salt 0', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: pss(0) },
    { name: 'PS256 salt 20', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: pss(20) },
    { name: 'PS256 salt 64', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: pss(64) },
    { name: 'PS256 trailer BB instead of BC', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: pssEdited((em) => void (em[em.length - 1] = 0xbb)) },
    { name: 'PS256 a bit of the masked DB flipped', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: pssEdited((em) => void (em[10]! ^= 0x01)) },
    { name: 'PS256 a bit of H flipped', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: pssEdited((em) => void (em[em.length - 2]! ^= 0x01)) },
    { name: 'PS256 signature = 0', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: (_i, c) => Buffer.alloc(k(c)) },
    { name: 'PS256 signature = n', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: (_i, c) => toBytes(n(c), k(c)) },
    { name: 'PS256 last byte removed', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: (i, c) => pss(32)(i, c).subarray(0, -1) },
    { name: 'PS256 header, PKCS#1 v1.5 signature', expected: 'invalid', algorithm: 'PS256', client: 'rsa', signature: pkcs1 },
    // ES256: r‖s (the Wycheproof ecdsa_secp256r1_sha256_p1363 kinds).
    { name: 'ES256 r‖s', expected: 'valid', algorithm: 'ES256', client: 'ec', signature: es256 },
    { name: 'ES256 (r, n - s): the other valid signature (F04)', expected: 'valid', algorithm: 'ES256', client: 'ec', signature: (i, c) => { const [r, s] = rs(es256(i, c)); return p1363(r, P256_N - s); } },
    { name: 'ES256 DER-encoded', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => sign('sha256', Buffer.from(i, 'latin1'), { key: c.privateKey, dsaEncoding: 'der' }) },
    { name: 'ES256 r = s = 0 (psychic signature, F03)', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: () => Buffer.alloc(64) },
    { name: 'ES256 r = 0', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => p1363(0n, rs(es256(i, c))[1]) },
    { name: 'ES256 s = 0', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => p1363(rs(es256(i, c))[0], 0n) },
    { name: 'ES256 r = s = n', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: () => p1363(P256_N, P256_N) },
    { name: 'ES256 s + n (does not fit 32 bytes)', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => { const [r, s] = rs(es256(i, c)); return Buffer.concat([toBytes(r, 32), toBytes(s + P256_N, 33)]); } },
    { name: 'ES256 r + n, s + n in 33-byte halves', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => { const [r, s] = rs(es256(i, c)); return p1363(r + P256_N, s + P256_N, 33); } },
    { name: 'ES256 r and s swapped', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => { const [r, s] = rs(es256(i, c)); return p1363(s, r); } },
    { name: 'ES256 r and s in 33-byte halves with leading zeros', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => { const [r, s] = rs(es256(i, c)); return p1363(r, s, 33); } },
    { name: 'ES256 last byte removed', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => es256(i, c).subarray(0, -1) },
    { name: 'ES256 a zero byte appended', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => Buffer.concat([es256(i, c), Buffer.alloc(1)]) },
    { name: 'ES256 one bit flipped', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => flipBit(es256(i, c), 40) },
    { name: 'ES256 signature of another message', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i, c) => es256(`${i}x`, c) },
    { name: 'ES256 header, signed by the RSA key', expected: 'invalid', algorithm: 'ES256', client: 'ec', signature: (i) => pkcs1(i, rsa) },
  ];

  it('gives the same verdict as verifyJws on every damaged signature, and refuses only at the signature check', async () => {
    const rows: string[] = [];
    const mismatches: string[] = [];
    for (const testCase of CASES) {
      const c = testCase.client === 'rsa' ? rsa : ec;
      const clientId = testCase.client === 'rsa' ? RSA_CLIENT : EC_CLIENT;
      const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
      const signingInput = `${encode({ alg: testCase.algorithm, typ: 'JWT', kid: c.x5t })}.${encode({ iss: clientId, sub: clientId, aud: AUDIENCE.issuer, iat: NOW_S, exp: NOW_S + 300, jti: randomUUID() })}`;
      const signature = testCase.signature(signingInput, c);
      const direct = verifyJws(testCase.algorithm, signingInput, signature, c.publicKey);
      const outcome = await verifier.verify(JWT_BEARER_ASSERTION_TYPE, `${signingInput}.${signature.toString('base64url')}`, undefined, AUDIENCE).then(
        () => 'accepted',
        (error: unknown) => (error instanceof InvalidClientError ? (error as OAuthError).reason : `threw ${String(error)}`),
      );
      const wanted = testCase.expected === 'valid' ? true : testCase.expected === 'invalid' ? false : ACCEPTABLE_VERDICT;
      rows.push(`  ${testCase.expected.padEnd(10)} verifyJws ${direct ? 'accepted' : 'refused '} assertion ${outcome.padEnd(28)} ${testCase.name}`);
      const consistent = direct === wanted && (direct ? outcome === 'accepted' : outcome === 'assertion_signature_invalid');
      if (!consistent) mismatches.push(rows.at(-1)!);
    }
    console.log(`Wycheproof-style signatures through the client-assertion verifier (${CASES.length} cases):\n${rows.join('\n')}`);
    expect(mismatches).toEqual([]);
  });

  it('the hand-made PKCS#1 encoding is the real one (so the damaged ones differ only where named)', () => {
    const input = 'eyJhbGciOiJSUzI1NiJ9.e30';
    expect(rawRsa(rsa.privateKey, pkcs1Encoded(k(rsa), input)).equals(pkcs1(input, rsa))).toBe(true);
  });

  it('an empty signature never reaches the signature check (refused by the strict parser)', async () => {
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', kid: rsa.x5t })}.${encode({ iss: RSA_CLIENT, sub: RSA_CLIENT, aud: AUDIENCE.issuer, iat: NOW_S, exp: NOW_S + 300, jti: randomUUID() })}`;
    expect(verifyJws('RS256', input, Buffer.alloc(0), rsa.publicKey)).toBe(false);
    const error = await verifier.verify(JWT_BEARER_ASSERTION_TYPE, `${input}.`, undefined, AUDIENCE).catch((caught: unknown) => caught);
    expect((error as OAuthError).reason).toBe('assertion_unsigned_token');
  });
});
