import { constants, createPublicKey, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parseCompactJwt } from './compact-jwt.parser.js';
import { encodeSegment, signCompactJws, signCompactJwt, unsignedCompactJwt } from './jws.encoder.js';

/** Public key as SPKI PEM, the form jsonwebtoken expects. */
const spki = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }) as string;

/** ECDSA P-256 raw R || S (JWS, RFC 7518 3.4) to the DER SEQUENCE OpenSSL uses by default. */
function p1363ToDer(signature: Buffer): Buffer {
  const integer = (bytes: Buffer): Buffer => {
    let value = bytes;
    while (value.length > 1 && value[0] === 0 && value[1]! < 0x80) value = value.subarray(1);
    if (value[0]! >= 0x80) value = Buffer.concat([Buffer.from([0]), value]);
    return Buffer.concat([Buffer.from([0x02, value.length]), value]);
  };
  const body = Buffer.concat([integer(signature.subarray(0, 32)), integer(signature.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** 2026-11-18T11:06:40Z: a fixed instant, so claims and verification times never depend on the wall clock. */
const NOW = 1_795_000_000;
const PAYLOAD = { iss: 'https://s2s.contoso.com', aud: 'api://webapi', sub: 'client-1', iat: NOW, nbf: NOW, exp: NOW + 3600, roles: ['Files.Read'] };

describe('signCompactJwt', () => {
  let rsa: { publicKey: KeyObject; privateKey: KeyObject };
  let ec: { publicKey: KeyObject; privateKey: KeyObject };

  beforeAll(() => {
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  });

  it('makes an RS256 token that jsonwebtoken verifies with the public key, header and payload intact', async () => {
    const header = { typ: 'at+jwt', alg: 'RS256' as const, kid: 'abc', x5t: 'abc', 'x5t#S256': 'def' };
    const token = await signCompactJwt(header, PAYLOAD, rsa.privateKey);
    const verified = jwt.verify(token, spki(rsa.publicKey), { algorithms: ['RS256'], clockTimestamp: NOW + 60, complete: true });
    expect(verified.header).toEqual(header);
    expect(verified.payload).toEqual(PAYLOAD);
    // And fails for a different key: the check is real.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => jwt.verify(token, spki(other.publicKey), { algorithms: ['RS256'], clockTimestamp: NOW + 60 })).toThrow('invalid signature');
  });

  it('writes the compact serialisation of RFC 7515 7.1: base64url(JSON) segments without padding', async () => {
    const header = { alg: 'RS256' as const, typ: 'JWT' };
    const token = await signCompactJwt(header, PAYLOAD, rsa.privateKey);
    const [h, p, s] = token.split('.');
    expect(h).toBe(Buffer.from(JSON.stringify(header)).toString('base64url'));
    expect(p).toBe(Buffer.from(JSON.stringify(PAYLOAD)).toString('base64url'));
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(Buffer.from(s!, 'base64url')).toHaveLength(256);
    // RS256 = RSASSA-PKCS1-v1_5 with SHA-256, checked by OpenSSL through node:crypto.
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(s!, 'base64url'))).toBe(true);
    // Our own strict pre-parser reads it back.
    expect(parseCompactJwt(token).payload).toEqual(PAYLOAD);
  });

  it('makes a PS256 token: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 3.5)', async () => {
    const token = await signCompactJwt({ alg: 'PS256' }, PAYLOAD, rsa.privateKey);
    const [h, p, s] = token.split('.');
    const signature = Buffer.from(s!, 'base64url');
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)).toBe(true);
    // Not a PKCS#1 v1.5 signature.
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)).toBe(false);
    expect(jwt.verify(token, spki(rsa.publicKey), { algorithms: ['PS256'], clockTimestamp: NOW + 60 })).toEqual(PAYLOAD);
  });

  it('makes an ES256 token with the raw 64-byte R || S signature (RFC 7518 3.4), not DER', async () => {
    const token = await signCompactJwt({ alg: 'ES256', kid: 'ec-1' }, PAYLOAD, ec.privateKey);
    const [h, p, s] = token.split('.');
    const signature = Buffer.from(s!, 'base64url');
    expect(signature).toHaveLength(64);
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    // The same signature, re-encoded as DER, verifies with OpenSSL's default encoding.
    expect(verify('sha256', Buffer.from(`${h}.${p}`), ec.publicKey, p1363ToDer(signature))).toBe(true);
    expect(jwt.verify(token, spki(ec.publicKey), { algorithms: ['ES256'], clockTimestamp: NOW + 60 })).toEqual(PAYLOAD);
  });

  it('signs what it is given: a changed payload no longer verifies', async () => {
    const token = await signCompactJwt({ alg: 'RS256' }, PAYLOAD, rsa.privateKey);
    const [h, , s] = token.split('.');
    const forged = `${h}.${encodeSegment({ ...PAYLOAD, roles: ['Files.ReadWrite.All'] })}.${s}`;
    expect(() => jwt.verify(forged, spki(rsa.publicKey), { algorithms: ['RS256'], clockTimestamp: NOW + 60 })).toThrow('invalid signature');
  });

  it('rejects (does not hang) when the key cannot sign', async () => {
    const publicOnly = createPublicKey(rsa.privateKey);
    await expect(signCompactJwt({ alg: 'RS256' }, PAYLOAD, publicOnly)).rejects.toThrow();
  });
});

describe('signCompactJws (header encoded once by the caller)', () => {
  it('gives a token jsonwebtoken verifies, with the given encoded header as its first segment', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const header = { typ: 'at+jwt', alg: 'RS256' as const, kid: 'abc' };
    const encodedHeader = encodeSegment(header);
    const token = await signCompactJws(encodedHeader, 'RS256', PAYLOAD, privateKey);
    expect(token.split('.')[0]).toBe(encodedHeader);
    const verified = jwt.verify(token, spki(publicKey), { algorithms: ['RS256'], clockTimestamp: NOW + 60, complete: true });
    expect(verified.header).toEqual(header);
    expect(verified.payload).toEqual(PAYLOAD);
  });
});

describe('unsignedCompactJwt', () => {
  it('makes {"typ":"JWT","alg":"none"} with an empty signature segment (MS S2S outer token)', () => {
    const token = unsignedCompactJwt(PAYLOAD);
    expect(token.endsWith('.')).toBe(true);
    expect(token.split('.')).toHaveLength(3);
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header).toEqual({ typ: 'JWT', alg: 'none' });
    expect(decoded?.payload).toEqual(PAYLOAD);
    expect(parseCompactJwt(token, { allowUnsigned: true }).signature).toHaveLength(0);
  });
});

describe('encodeSegment', () => {
  it('is base64url of the UTF-8 JSON, without padding', () => {
    const value = { upn: 'jöran@contoso.com', n: 1 };
    const encoded = encodeSegment(value);
    expect(encoded).toBe(Buffer.from(JSON.stringify(value), 'utf8').toString('base64url'));
    expect(encoded).not.toMatch(/[=+/]/);
    expect(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))).toEqual(value);
  });
});
