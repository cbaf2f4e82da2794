import type { ValidatedToken } from './token-validation.js';

/** The RFC 7662 2.2 answer for an active token, plus how it was trusted (SPEC 5.6). */
export function introspectionResponse(token: ValidatedToken): Record<string, unknown> {
  const claims = token.claims;
  const pick = (name: string): Record<string, unknown> => (claims[name] !== undefined ? { [name]: claims[name] } : {});
  return {
    active: true,
    ...pick('iss'),
    ...pick('aud'),
    ...pick('sub'),
    ...pick('iat'),
    ...pick('nbf'),
    exp: Math.floor(token.expiresAt.getTime() / 1000),
    ...pick('jti'),
    ...(typeof claims.client_id === 'string' ? { client_id: claims.client_id } : {}),
    ...(token.scopes.length ? { scope: token.scopes.join(' ') } : {}),
    token_type: 'Bearer',
    trust: token.trust,
    app_id: token.appId,
    roles: token.roles,
    user: token.user,
  };
}
