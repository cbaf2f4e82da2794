import { basicAuthorization, formUrlEncode } from './client-secret.credential.js';

/** How a server decodes the header (RFC 6749 2.3.1): base64, split at the first ':', form-decode each part. */
function decodeBasic(header: string): { clientId: string; secret: string } {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const formDecode = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));
  return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

describe('formUrlEncode (RFC 6749 Appendix B)', () => {
  it.each([
    ['abc-._~XYZ019', 'abc-._~XYZ019'],
    ['a b', 'a+b'],
    ['a+b', 'a%2Bb'],
    ['50%', '50%25'],
    ['x:y', 'x%3Ay'],
    ['a/b?c=d&e', 'a%2Fb%3Fc%3Dd%26e'],
    ['é€', '%C3%A9%E2%82%AC'],
  ])('%j -> %j', (value, encoded) => {
    expect(formUrlEncode(value)).toBe(encoded);
  });
});

describe('basicAuthorization (client_secret_basic)', () => {
  it('form-encodes id and secret before joining them, so ":" "%" "+" and spaces survive', () => {
    const secret = 'p:a%s+s w0rd:=';
    const header = basicAuthorization('6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b', secret);
    expect(header).toBe(`Basic ${Buffer.from('6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b:p%3Aa%25s%2Bs+w0rd%3A%3D').toString('base64')}`);
    expect(decodeBasic(header)).toEqual({ clientId: '6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b', secret });
  });

  it('also encodes a client id with a colon, which plain Basic could not carry', () => {
    expect(decodeBasic(basicAuthorization('urn:contoso:daemon', 's'))).toEqual({ clientId: 'urn:contoso:daemon', secret: 's' });
  });

  it('keeps a typical generated secret (base64url) unchanged inside the encoding', () => {
    const secret = 'Zx9Q-h_3kT0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456';
    expect(Buffer.from(basicAuthorization('c', secret).slice(6), 'base64').toString()).toBe(`c:${secret}`);
  });
});
