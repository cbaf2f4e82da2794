import { type JwsAlgorithm, signJws } from '@s2s/crypto';
import type { KeyObject } from 'node:crypto';

/** base64url(JSON) of a header or payload. */
export function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A signed compact JWS (RFC 7515 7.1), signed off the event loop. */
export async function signCompactJwt(header: { alg: JwsAlgorithm } & Record<string, unknown>, payload: object, privateKey: KeyObject): Promise<string> {
  const signingInput = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  const signature = await signJws(header.alg, signingInput, privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** An unsigned compact JWT (`alg: none`, empty signature): only the MS S2S outer token (SPEC 4.1). */
export function unsignedCompactJwt(payload: object): string {
  return `${encodeSegment({ typ: 'JWT', alg: 'none' })}.${encodeSegment(payload)}.`;
}
