import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** A public key from a remote JWKS, checked and ready to verify. */
export interface ImportedJwk {
  kty: 'RSA' | 'EC';
  publicKey: KeyObject;
}

/**
 * Imports one public JWK (RFC 7517) from an authorization server's JWKS through OpenSSL. Only
 * signature keys we can verify are accepted: RSA ≥ 2048 bits with exponent 65537, or EC P-256
 * (security catalogue E03, E12: `oct` and other types are ignored). Private members are refused.
 *
 * @returns the key, or null when the JWK is not an acceptable public signing key.
 */
export function importPublicJwk(jwk: Record<string, unknown>): ImportedJwk | null {
  if ('d' in jwk || 'k' in jwk) return null;
  if (jwk.use !== undefined && jwk.use !== 'sig') return null;
  let key: KeyObject;
  try {
    if (jwk.kty === 'RSA' && typeof jwk.n === 'string' && typeof jwk.e === 'string') {
      key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as JsonWebKey, format: 'jwk' });
    } else if (jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string') {
      key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as JsonWebKey, format: 'jwk' });
    } else {
      return null;
    }
  } catch {
    return null;
  }
  if (key.asymmetricKeyType === 'rsa') {
    const details = key.asymmetricKeyDetails ?? {};
    if ((details.modulusLength ?? 0) < 2048 || details.publicExponent !== 65537n) return null;
    return { kty: 'RSA', publicKey: key };
  }
  return { kty: 'EC', publicKey: key };
}

/** SPKI PEM of a public key, for storage. */
export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** A public key from SPKI PEM. */
export function loadPublicKey(pem: string): KeyObject {
  return createPublicKey({ key: pem, format: 'pem' });
}
