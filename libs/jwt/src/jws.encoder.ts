import { type JwsAlgorithm, signJws } from '@s2s/crypto';
import type { KeyObject } from 'node:crypto';

/**
 * A compact JWS or unsecured JWT (RFC 7515 7.1): base64url segments joined by dots, so it needs no
 * escaping in JSON or in a header. Only the encoders below make one.
 */
export type CompactJws = string & { readonly compactJws: unique symbol };

/** base64url(JSON) of a header or payload. */
export function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A signed compact JWS (RFC 7515 7.1), signed off the event loop. */
export function signCompactJwt(header: { alg: JwsAlgorithm } & Record<string, unknown>, payload: object, privateKey: KeyObject): Promise<CompactJws> {
  return signCompactJws(encodeSegment(header), header.alg, payload, privateKey);
}

/**
 * {@link signCompactJwt} with the header already encoded (`encodeSegment(header)`), for a signer that
 * uses the same header for many tokens; `algorithm` must be the header's `alg`.
 */
export async function signCompactJws(encodedHeader: string, algorithm: JwsAlgorithm, payload: object, privateKey: KeyObject): Promise<CompactJws> {
  const signingInput = `${encodedHeader}.${encodeSegment(payload)}`;
  const signature = await signJws(algorithm, signingInput, privateKey);
  return `${signingInput}.${signature.toString('base64url')}` as CompactJws;
}

/** An unsigned compact JWT (`alg: none`, empty signature): only the MS S2S outer token (SPEC 4.1). */
export function unsignedCompactJwt(payload: object): CompactJws {
  return `${encodeSegment({ typ: 'JWT', alg: 'none' })}.${encodeSegment(payload)}.` as CompactJws;
}
