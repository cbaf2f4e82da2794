import { generateKeyPairSync } from 'node:crypto';
import { signCompactJwt, unsignedCompactJwt } from '@s2s/jwt';
import { type TokenResponse, tokenResponseJson } from './token-response.js';

describe('tokenResponseJson (RFC 6749 5.1)', () => {
  let signed: TokenResponse['access_token'];
  let unsigned: TokenResponse['access_token'];

  beforeAll(async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    signed = await signCompactJwt({ typ: 'at+jwt', alg: 'RS256', kid: 'k' }, { aud: 'api://webapi', roles: ['Files.Read'], name: 'Jöran "the" \\ admin' }, privateKey);
    unsigned = unsignedCompactJwt({ aud: 'api://webapi', nii: 'x' });
  });

  it.each<[string, () => TokenResponse]>([
    ['an app token', () => ({ access_token: signed, token_type: 'Bearer', expires_in: 3599 })],
    ['a delegated token with scopes', () => ({ access_token: signed, token_type: 'Bearer', expires_in: 600, scope: 'api://webapi/Files.Read api://webapi/Files.Write' })],
    ['a scope that needs escaping', () => ({ access_token: signed, token_type: 'Bearer', expires_in: 1, scope: 'api://x"y\\z/\u0001s' })],
    ['an unsigned outer token (empty signature segment)', () => ({ access_token: unsigned, token_type: 'Bearer', expires_in: 3599 })],
  ])('gives exactly what JSON.stringify gives for %s', (_name, make) => {
    const response = make();
    const json = tokenResponseJson(response);
    expect(json).toBe(JSON.stringify(response));
    expect(JSON.parse(json)).toEqual(response);
  });
});
