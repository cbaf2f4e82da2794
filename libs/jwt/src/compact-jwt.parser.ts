import { parseStrictJson, StrictJsonError } from '@s2s/http';
import { JwtFormatError } from './jwt-format.error.js';

/** Largest token accepted (SPEC 5.9: a size cap before any parsing). */
export const MAX_TOKEN_BYTES = 16_384;

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * Header parameters that would let the token choose its own verification key (RFC 8725 3.10;
 * security catalogue A): refused outright. `x5c` is tolerated but never used as a key.
 */
const KEY_SUPPLYING_HEADERS = ['jku', 'x5u', 'jwk'] as const;

/** A compact JWS split and decoded once, shared by routing and verification (SPEC 5.9). */
export interface ParsedJwt {
  /** The token as received. */
  token: string;
  header: Record<string, unknown> & { alg: string };
  payload: Record<string, unknown>;
  /** `<header>.<payload>` exactly as received: what the signature covers. */
  signingInput: string;
  /** Decoded signature; empty for an unsigned (`alg: none`) token. */
  signature: Buffer;
}

export interface ParseJwtOptions {
  /** Accept `alg: none` with an empty signature (only the MS S2S outer token). Default false. */
  allowUnsigned?: boolean;
  maxBytes?: number;
}

/**
 * The strict pre-parser that runs before any signature check:
 * - a size cap;
 * - exactly three segments of the canonical base64url alphabet without padding, each re-encoding
 *   to itself (no whitespace, no non-canonical trailing bits: security catalogue B);
 * - header and payload are valid UTF-8 JSON objects without duplicate keys or `__proto__`;
 * - `alg` present; key-supplying headers (`jku`, `x5u`, `jwk`) refused; `crit` refused (we
 *   understand no extensions, RFC 7515 4.1.11);
 * - an empty signature only for `alg: none`, and `alg: none` only when allowed.
 *
 * @throws JwtFormatError with a reason code.
 */
export function parseCompactJwt(token: unknown, options: ParseJwtOptions = {}): ParsedJwt {
  if (typeof token !== 'string' || token.length === 0) throw new JwtFormatError('token_missing', 'no token');
  if (token.length > (options.maxBytes ?? MAX_TOKEN_BYTES)) {
    throw new JwtFormatError('token_too_large', `the token is longer than ${options.maxBytes ?? MAX_TOKEN_BYTES} characters`);
  }
  const segments = token.split('.');
  if (segments.length !== 3) throw new JwtFormatError('malformed_token', 'a compact JWT has exactly three dot-separated segments');
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
  if (headerSegment === '' || payloadSegment === '') throw new JwtFormatError('malformed_token', 'empty header or payload segment');
  const header = decodeJsonSegment(headerSegment, 'header');
  const payload = decodeJsonSegment(payloadSegment, 'payload');
  const signature = decodeSegment(signatureSegment, 'signature');

  if (typeof header.alg !== 'string' || header.alg === '') throw new JwtFormatError('missing_alg', 'the header has no alg');
  for (const name of KEY_SUPPLYING_HEADERS) {
    if (name in header) throw new JwtFormatError('forbidden_header', `the header parameter "${name}" is not accepted: keys come from our registry only`);
  }
  if ('crit' in header) throw new JwtFormatError('forbidden_header', 'the header parameter "crit" is not supported');
  const unsigned = header.alg === 'none';
  if (unsigned && !options.allowUnsigned) throw new JwtFormatError('unsigned_token', 'unsigned (alg none) tokens are not accepted here');
  if (unsigned !== (signature.length === 0)) {
    throw new JwtFormatError(unsigned ? 'malformed_token' : 'unsigned_token', unsigned ? 'an alg none token must have an empty signature' : 'the signature is empty');
  }
  return { token, header: header as ParsedJwt['header'], payload, signingInput: `${headerSegment}.${payloadSegment}`, signature };
}

const BASE64URL_VALUES = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((char, index) => (BASE64URL_VALUES[char.charCodeAt(0)] = index));

function decodeSegment(segment: string, part: string): Buffer {
  if (!SEGMENT.test(segment)) throw new JwtFormatError('invalid_base64url', `the ${part} is not base64url`);
  // Canonical unpadded base64url (RFC 7515 2, security catalogue B04): no length of 4n+1, and the
  // unused low bits of the last character are zero (so exactly one text encodes these bytes).
  const remainder = segment.length % 4;
  const last = segment.length ? BASE64URL_VALUES[segment.charCodeAt(segment.length - 1)]! : 0;
  if (remainder === 1 || (remainder === 2 && (last & 0x0f) !== 0) || (remainder === 3 && (last & 0x03) !== 0)) {
    throw new JwtFormatError('invalid_base64url', `the ${part} is not canonical base64url`);
  }
  return Buffer.from(segment, 'base64url');
}

/** Refuses invalid UTF-8 instead of replacing it (security catalogue B06): a claim is never altered. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeJsonSegment(segment: string, part: string): Record<string, unknown> {
  const bytes = decodeSegment(segment, part);
  const text = bytes.toString('utf8');
  // Buffer decoding replaces bad sequences with U+FFFD; only then is the strict (slower) decoder needed.
  if (text.includes('\uFFFD')) {
    try {
      UTF8.decode(bytes);
    } catch {
      throw new JwtFormatError('invalid_json', `the ${part} is not valid UTF-8`);
    }
  }
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    const duplicate = error instanceof StrictJsonError && /duplicate|__proto__/i.test(error.message);
    throw new JwtFormatError(duplicate ? 'duplicate_json_key' : 'invalid_json', `the ${part} is not a valid JSON object${duplicate ? ' (duplicate key)' : ''}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwtFormatError('invalid_json', `the ${part} is not a JSON object`);
  return value as Record<string, unknown>;
}
