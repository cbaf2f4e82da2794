import { CliError } from '../common/cli-errors.js';

/**
 * `token decode`: splits a compact JWS/JWT (RFC 7515 section 7.1) into its JSON header and payload
 * for reading. Nothing is verified, and the signature segment is never kept: a decoded view is
 * safe to paste into a ticket, the token itself is a credential. Messages never quote the input.
 */

/** A JSON object from a token segment. */
export type JsonObject = Record<string, unknown>;

export interface DecodedJwt {
  readonly header: JsonObject;
  readonly payload: JsonObject;
}

/**
 * What `token decode` shows: the header and payload, and for a Microsoft S2S outer token (SPEC 4.1)
 * its nested actor token decoded the same way. The `actortoken` claim of `payload` is replaced by
 * {@link ACTOR_TOKEN_PLACEHOLDER}: it is a complete signed token, which must not be printed.
 */
export interface DecodedTokenView extends DecodedJwt {
  readonly actortoken?: DecodedJwt;
}

/** Shown instead of the nested actor token in the outer token's payload. */
export const ACTOR_TOKEN_PLACEHOLDER = '(signed actor token; decoded under actortoken, signature not shown)';

/** Name of the claim that carries the actor token in an S2S outer token. */
const ACTOR_TOKEN_CLAIM = 'actortoken';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Input that is not a decodable JWT; exit code 1 with the reason. */
export class MalformedTokenError extends CliError {
  constructor(reason: string) {
    super(reason, 1);
    this.name = 'MalformedTokenError';
  }
}

/**
 * Decodes the header and payload of one compact JWT: 2 segments (`header.payload`) or 3 (with a
 * signature, empty for `alg: none`). `what` names the token in messages (`the token`,
 * `the actortoken claim`).
 *
 * @throws MalformedTokenError for the wrong number of segments, bad base64url, or segments that
 *   are not UTF-8 JSON objects.
 */
export function decodeJwt(token: string, what = 'the token'): DecodedJwt {
  const segments = token.split('.');
  if (segments.length === 5) throw new MalformedTokenError(`${what} is an encrypted JWT (JWE, 5 segments); only signed or unsigned JWTs can be decoded`);
  if (segments.length !== 2 && segments.length !== 3) {
    throw new MalformedTokenError(`${what} is not a JWT: expected 2 or 3 dot-separated segments, found ${segments.length}`);
  }
  const [header, payload, signature = ''] = segments;
  if (!isBase64Url(signature)) throw new MalformedTokenError(`${what} is not a JWT: the signature segment is not base64url`);
  return { header: decodeSegment(header, 'header', what), payload: decodeSegment(payload, 'payload', what) };
}

/**
 * Decodes what the user gave to `token decode`: surrounding whitespace and a `Bearer ` prefix (as
 * copied from an Authorization header) are dropped. A string `actortoken` claim is decoded too.
 */
export function decodeTokenForDisplay(input: string): DecodedTokenView {
  const token = input.trim().replace(/^Bearer\s+/i, '');
  if (token === '') throw new MalformedTokenError('no token given');
  const { header, payload } = decodeJwt(token);
  const actorToken = payload[ACTOR_TOKEN_CLAIM];
  if (typeof actorToken !== 'string') return { header, payload };
  return {
    header,
    payload: { ...payload, [ACTOR_TOKEN_CLAIM]: ACTOR_TOKEN_PLACEHOLDER },
    actortoken: decodeJwt(actorToken, `the ${ACTOR_TOKEN_CLAIM} claim`),
  };
}

function isBase64Url(segment: string): boolean {
  // A length of 1 mod 4 cannot come from any byte string.
  return BASE64URL.test(segment) && segment.length % 4 !== 1;
}

function decodeSegment(segment: string, name: 'header' | 'payload', what: string): JsonObject {
  if (segment === '' || !isBase64Url(segment)) throw new MalformedTokenError(`${what} is not a JWT: the ${name} is not base64url`);
  let text: string;
  try {
    text = utf8.decode(Buffer.from(segment, 'base64url'));
  } catch {
    throw new MalformedTokenError(`${what} is not a JWT: the ${name} is not UTF-8 text`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedTokenError(`${what} is not a JWT: the ${name} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedTokenError(`${what} is not a JWT: the ${name} is not a JSON object`);
  }
  return value as JsonObject;
}
