import { type JwsAlgorithm, signJws } from '@s2s/crypto';
import type { KeyObject } from 'node:crypto';

/** base64url(JSON) of a header or payload. */
export function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Encodings of frozen headers: a signer that reuses one header object per key encodes it once. */
const FROZEN_HEADER_SEGMENTS = new WeakMap<object, string>();

function headerSegment(header: object): string {
  if (!Object.isFrozen(header)) return encodeSegment(header);
  let segment = FROZEN_HEADER_SEGMENTS.get(header);
  if (segment === undefined) {
    segment = encodeSegment(header);
    FROZEN_HEADER_SEGMENTS.set(header, segment);
  }
  return segment;
}

/**
 * A signed compact JWS (RFC 7515 7.1), signed off the event loop. A frozen `header` is encoded
 * once and remembered (it cannot change).
 */
export async function signCompactJwt(header: { alg: JwsAlgorithm } & Record<string, unknown>, payload: object, privateKey: KeyObject): Promise<string> {
  const signingInput = `${headerSegment(header)}.${encodeSegment(payload)}`;
  const signature = await signJws(header.alg, signingInput, privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** An unsigned compact JWT (`alg: none`, empty signature): only the MS S2S outer token (SPEC 4.1). */
export function unsignedCompactJwt(payload: object): string {
  return `${encodeSegment({ typ: 'JWT', alg: 'none' })}.${encodeSegment(payload)}.`;
}
