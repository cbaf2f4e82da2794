import { constants, type KeyObject, sign, verify } from 'node:crypto';

/** JWS algorithms this service signs or verifies with (RFC 7518 3.3, 3.4, 3.5). No `none`, no HMAC. */
export type JwsAlgorithm = 'RS256' | 'PS256' | 'ES256';

export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['RS256', 'PS256', 'ES256'];

function keyOptions(algorithm: JwsAlgorithm, key: KeyObject): Parameters<typeof verify>[2] {
  switch (algorithm) {
    case 'RS256':
      return { key, padding: constants.RSA_PKCS1_PADDING };
    case 'PS256':
      // RFC 7518 3.5: salt length = hash length (32 bytes for SHA-256).
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    case 'ES256':
      // JWS carries the raw R || S form (RFC 7518 3.4), not DER.
      return { key, dsaEncoding: 'ieee-p1363' };
  }
}

/** Key type facts, computed once per key (`asymmetricKeyDetails` builds a new object on every read). */
const KEY_FACTS = new WeakMap<KeyObject, { rsa: boolean; p256: boolean }>();

/** Whether `key` can be used with `algorithm` (RSA ≥ 2048 for RS256/PS256, P-256 for ES256). */
export function keyFitsAlgorithm(algorithm: JwsAlgorithm, key: KeyObject): boolean {
  let facts = KEY_FACTS.get(key);
  if (!facts) {
    const details = key.asymmetricKeyDetails ?? {};
    facts = { rsa: key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048, p256: key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1' };
    KEY_FACTS.set(key, facts);
  }
  return algorithm === 'ES256' ? facts.p256 : facts.rsa;
}

/**
 * Signs a JWS signing input (`base64url(header).base64url(payload)`) with OpenSSL on the libuv
 * thread pool (the callback form of `crypto.sign`), so RSA signing never blocks the event loop.
 */
export function signJws(algorithm: JwsAlgorithm, signingInput: string, privateKey: KeyObject): Promise<Buffer> {
  if (!keyFitsAlgorithm(algorithm, privateKey)) return Promise.reject(new TypeError(`the key cannot sign ${algorithm}`));
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(signingInput, 'ascii'), keyOptions(algorithm, privateKey) as Parameters<typeof sign>[2], (error, signature) =>
      error ? reject(error) : resolve(signature),
    );
  });
}

/**
 * Verifies a JWS signature with OpenSSL (`crypto.verify`), never with a JavaScript implementation
 * (SPEC 5.9). The caller has already chosen the key from its own registry and pinned the algorithm.
 *
 * @returns true when the signature is valid for this key and algorithm; false otherwise (including a
 *   key of the wrong type and a malformed signature).
 */
export function verifyJws(algorithm: JwsAlgorithm, signingInput: string, signature: Buffer, publicKey: KeyObject): boolean {
  if (!keyFitsAlgorithm(algorithm, publicKey)) return false;
  try {
    return verify('sha256', Buffer.from(signingInput, 'latin1'), verifyKey(algorithm, publicKey), signature);
  } catch {
    return false;
  }
}

/**
 * {@link verifyJws} on the libuv thread pool (the callback form of `crypto.verify`): the same
 * OpenSSL call and the same answer, without the event loop waiting for the RSA operation. Never
 * rejects.
 */
export function verifyJwsOffLoop(algorithm: JwsAlgorithm, signingInput: string, signature: Buffer, publicKey: KeyObject): Promise<boolean> {
  if (!keyFitsAlgorithm(algorithm, publicKey)) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify('sha256', Buffer.from(signingInput, 'latin1'), verifyKey(algorithm, publicKey), signature, (error, valid) => resolve(!error && valid));
    } catch {
      resolve(false);
    }
  });
}

/** RS256 is PKCS#1 v1.5, OpenSSL's default for an RSA KeyObject: no options object to parse. */
function verifyKey(algorithm: JwsAlgorithm, publicKey: KeyObject): Parameters<typeof verify>[2] {
  return algorithm === 'RS256' ? publicKey : keyOptions(algorithm, publicKey);
}
