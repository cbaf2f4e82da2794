import { execFileSync } from 'node:child_process';
import { hmacSha256, sha256Base64Url } from './message-digest.js';

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

describe('hmacSha256', () => {
  it('matches RFC 4231 test case 2', () => {
    expect(hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('depends on the key', () => {
    expect(hmacSha256(Buffer.from('a'), 'x').equals(hmacSha256(Buffer.from('b'), 'x'))).toBe(false);
  });
});
