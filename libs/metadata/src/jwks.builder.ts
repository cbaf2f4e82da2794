import type { IssuerKey } from '@s2s/certificates';

/** One published signing key (RFC 7517 4). */
export interface PublishedJwk {
  kty: string;
  use: 'sig';
  alg: 'RS256';
  kid: string;
  x5t: string;
  'x5t#S256': string;
  x5c: string[];
  n?: string;
  e?: string;
}

/**
 * The JWKS at `jwks_uri`: every published key in publishing order, `kid` = `x5t` (SPEC 4.1), the
 * certificate (then its chain) in `x5c` (RFC 7517 4.7: the certificate holding the key first).
 */
export function buildJwks(keys: IssuerKey[]): { keys: PublishedJwk[] } {
  return {
    keys: keys.map((key) => ({
      kty: key.publicJwk.kty,
      use: 'sig',
      alg: 'RS256',
      kid: key.x5t,
      x5t: key.x5t,
      'x5t#S256': key.x5tS256,
      x5c: key.x5c,
      n: key.publicJwk.n,
      e: key.publicJwk.e,
    })),
  };
}
