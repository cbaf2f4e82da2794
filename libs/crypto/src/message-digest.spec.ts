import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { PreparedHmacSha256, sha256Base64Url } from './message-digest.js';

describe('sha256Base64Url', () => {
  it('matches the FIPS 180-2 "abc" vector in base64url', () => {
    // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
    expect(sha256Base64Url('abc')).toBe(
      Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64url'),
    );
  });

  it('matches openssl dgst for UTF-8 text and for bytes', () => {
    const text = 'grüße, S2S ✓';
    const viaOpenSsl = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: Buffer.from(text, 'utf8') });
    expect(sha256Base64Url(text)).toBe(viaOpenSsl.toString('base64url'));
    expect(sha256Base64Url(Buffer.from(text, 'utf8'))).toBe(viaOpenSsl.toString('base64url'));
    expect(sha256Base64Url(text)).not.toMatch(/[+/=]/);
  });

  it('produces the RFC 7636 Appendix B S256 code challenge', () => {
    expect(sha256Base64Url('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});

describe('PreparedHmacSha256', () => {
  const mac = (key: Buffer, data: string): string => Buffer.from(new PreparedHmacSha256(key).macBase64Url(data), 'base64url').toString('hex');

  // RFC 4231 4.2, 4.3, 4.7 (a 131-byte key, hashed first) and 4.8 (long key and long data).
  it.each([
    ['0b'.repeat(20), Buffer.from('Hi There').toString('hex'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    [Buffer.from('Jefe').toString('hex'), Buffer.from('what do ya want for nothing?').toString('hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['aa'.repeat(131), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First').toString('hex'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
    [
      'aa'.repeat(131),
      Buffer.from('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.').toString('hex'),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ])('matches RFC 4231 (key %s…)', (keyHex, dataHex, expected) => {
    expect(mac(Buffer.from(keyHex, 'hex'), Buffer.from(dataHex, 'hex').toString('latin1'))).toBe(expected);
  });

  it('equals createHmac and openssl for keys of 0–100 bytes and UTF-8 messages', () => {
    for (const keyLength of [0, 1, 31, 32, 63, 64, 65, 100]) {
      const key = randomBytes(keyLength);
      for (const data of ['', 'x', 'grüße, S2S ✓', randomBytes(200).toString('base64url')]) {
        expect(mac(key, data)).toBe(createHmac('sha256', key).update(data, 'utf8').digest('hex'));
      }
    }
    const key = randomBytes(32);
    const viaOpenSsl = execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${key.toString('hex')}`, '-binary'], { input: Buffer.from('grüße, S2S ✓', 'utf8') });
    expect(new PreparedHmacSha256(key).macBase64Url('grüße, S2S ✓')).toBe(viaOpenSsl.toString('base64url'));
  });

  it('depends on the key', () => {
    expect(new PreparedHmacSha256(Buffer.from('a')).macBase64Url('x')).not.toBe(new PreparedHmacSha256(Buffer.from('b')).macBase64Url('x'));
  });
});
