import { parseStrictJson, StrictJsonError } from './strict-json.parser.js';
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
 * - header and payload are valid UTF-8 JSON objects without duplicate keys or `__proto__`, and
 *   without a lone UTF-16 surrogate written as a `\u` escape (security catalogue B06);
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
  const firstDot = token.indexOf('.');
  const secondDot = firstDot === -1 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot === -1 || token.indexOf('.', secondDot + 1) !== -1) {
    throw new JwtFormatError('malformed_token', 'a compact JWT has exactly three dot-separated segments');
  }
  const headerSegment = token.slice(0, firstDot);
  const payloadSegment = token.slice(firstDot + 1, secondDot);
  const signatureSegment = token.slice(secondDot + 1);
  const alphabetProvable = withoutLookalikes(token);
  if (headerSegment === '' || payloadSegment === '') throw new JwtFormatError('malformed_token', 'empty header or payload segment');
  // A header seen before (and accepted then) is taken from the cache.
  const known = knownHeader(headerSegment);
  const header = known ?? decodeJsonSegment(headerSegment, 'header', alphabetProvable);
  const payload = decodeJsonSegment(payloadSegment, 'payload', alphabetProvable);
  const signature = decodeSegment(signatureSegment, 'signature', alphabetProvable);
  if (!known) {
    checkHeaderRules(header);
    rememberHeader(headerSegment, header);
  }

  const unsigned = header.alg === 'none';
  if (unsigned && !options.allowUnsigned) throw new JwtFormatError('unsigned_token', 'unsigned (alg none) tokens are not accepted here');
  if (unsigned !== (signature.length === 0)) {
    throw new JwtFormatError(unsigned ? 'malformed_token' : 'unsigned_token', unsigned ? 'an alg none token must have an empty signature' : 'the signature is empty');
  }
  return { token, header: header as ParsedJwt['header'], payload, signingInput: token.slice(0, secondDot), signature };
}

/**
 * The alphabet check without a pass over every character. Node's base64url decoder is lenient: it
 * also takes `+` and `/` (base64), reads only the low byte of a non-ASCII UTF-16 unit (`Ł` as `A`),
 * skips any other character and stops at `=`. So once a token is ASCII without `+` and `/`, a
 * segment with a character outside the alphabet decodes to fewer bytes than its length implies
 * (checkDecoded). A token that fails this is checked with the regex instead.
 */
function withoutLookalikes(token: string): boolean {
  return token.indexOf('+') === -1 && token.indexOf('/') === -1 && Buffer.byteLength(token, 'utf8') === token.length;
}

/** Rules that depend on the header alone (so a cached header has passed them). */
function checkHeaderRules(header: Record<string, unknown>): void {
  if (typeof header.alg !== 'string' || header.alg === '') throw new JwtFormatError('missing_alg', 'the header has no alg');
  for (const name of KEY_SUPPLYING_HEADERS) {
    if (name in header) throw new JwtFormatError('forbidden_header', `the header parameter "${name}" is not accepted: keys come from our registry only`);
  }
  if ('crit' in header) throw new JwtFormatError('forbidden_header', 'the header parameter "crit" is not supported');
}

/**
 * Accepted headers by their exact segment text. A signer sends the same header (alg, kid/x5t,
 * typ) on every token, so after its first token only a comparison is left. Bounded: cleared when
 * full, so a flood of distinct headers costs at most HEADER_CACHE_SIZE entries. The cached objects
 * are frozen: every token with this header shares one.
 */
const HEADER_CACHE_SIZE = 256;
const headerCache = new Map<string, Readonly<Record<string, unknown>>>();
let lastHeader: { segment: string; header: Readonly<Record<string, unknown>> } | null = null;

function knownHeader(segment: string): Readonly<Record<string, unknown>> | undefined {
  if (lastHeader !== null && segment === lastHeader.segment) return lastHeader.header;
  const header = headerCache.get(segment);
  if (header !== undefined) lastHeader = { segment, header };
  return header;
}

function rememberHeader(segment: string, header: Record<string, unknown>): void {
  if (headerCache.size >= HEADER_CACHE_SIZE) headerCache.clear();
  const frozen = Object.freeze(header);
  headerCache.set(segment, frozen);
  lastHeader = { segment, header: frozen };
}

const BASE64URL_VALUES = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((char, index) => (BASE64URL_VALUES[char.charCodeAt(0)] = index));

/** The alphabet by regex, where decoding cannot prove it (see withoutLookalikes; a 4n+1 length proves nothing). */
function checkAlphabet(segment: string, part: string, alphabetProvable: boolean): void {
  if ((!alphabetProvable || segment.length % 4 === 1) && !SEGMENT.test(segment)) throw notBase64url(part);
}

/**
 * After decoding: every character was of the alphabet (all of them decoded), and the text is
 * canonical unpadded base64url (RFC 7515 2, security catalogue B04): no length of 4n+1, and the
 * unused low bits of the last character zero, so exactly one text encodes these bytes.
 */
function checkDecoded(segment: string, byteLength: number, part: string): void {
  if (byteLength !== Math.floor((segment.length * 3) / 4)) throw notBase64url(part);
  const remainder = segment.length % 4;
  const last = segment.length ? BASE64URL_VALUES[segment.charCodeAt(segment.length - 1)]! : 0;
  if (remainder === 1 || (remainder === 2 && (last & 0x0f) !== 0) || (remainder === 3 && (last & 0x03) !== 0)) {
    throw new JwtFormatError('invalid_base64url', `the ${part} is not canonical base64url`);
  }
}

const notBase64url = (part: string): JwtFormatError => new JwtFormatError('invalid_base64url', `the ${part} is not base64url`);

function decodeSegment(segment: string, part: string, alphabetProvable: boolean): Buffer {
  checkAlphabet(segment, part, alphabetProvable);
  const bytes = Buffer.from(segment, 'base64url');
  checkDecoded(segment, bytes.length, part);
  return bytes;
}

/** Refuses invalid UTF-8 instead of replacing it (security catalogue B06): a claim is never altered. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decoding room for the JSON segments, which live only until they are turned into text (nothing
 * keeps a reference): no Buffer is allocated per token. A token within the default cap always fits.
 */
const SCRATCH = Buffer.allocUnsafe((MAX_TOKEN_BYTES * 3) / 4);

function decodeJsonSegment(segment: string, part: string, alphabetProvable: boolean): Record<string, unknown> {
  checkAlphabet(segment, part, alphabetProvable);
  const bytes = segment.length <= MAX_TOKEN_BYTES ? SCRATCH : Buffer.from(segment, 'base64url');
  const length = bytes === SCRATCH ? SCRATCH.write(segment, 0, 'base64url') : bytes.length;
  checkDecoded(segment, length, part);
  const text = bytes.toString('utf8', 0, length);
  // Buffer decoding replaces bad sequences with U+FFFD; only then is the strict (slower) decoder needed.
  if (text.includes('\uFFFD')) {
    try {
      UTF8.decode(bytes.subarray(0, length));
    } catch {
      throw new JwtFormatError('invalid_json', `the ${part} is not valid UTF-8`);
    }
  }
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    const duplicate = error instanceof StrictJsonError && (error.reason === 'duplicate_key' || error.reason === 'forbidden_key');
    throw new JwtFormatError(duplicate ? 'duplicate_json_key' : 'invalid_json', `the ${part} is not a valid JSON object${duplicate ? ' (duplicate key)' : ''}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwtFormatError('invalid_json', `the ${part} is not a JSON object`);
  // Valid UTF-8 cannot encode a surrogate, so only a \u escape can make one: other texts need no look.
  if (text.indexOf('\\u') !== -1 && hasLoneSurrogate(value)) throw new JwtFormatError('invalid_json', `the ${part} has a lone UTF-16 surrogate (\\u escape)`);
  return value as Record<string, unknown>;
}

/** With the u flag, a surrogate code point matches only when unpaired (a pair reads as one astral code point). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Whether any key or string value holds a lone UTF-16 surrogate (security catalogue B06; I-JSON,
 * RFC 7493 2.1): such a string is not Unicode text, and a consumer that re-encodes it (to UTF-8, a
 * database, a log) alters or refuses the claim. Recursion is bounded by the strict parser's
 * nesting limit. Scoped to JWT segments: the strict JSON parser itself (admin API bodies) is not
 * changed here.
 */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const entry of value) if (hasLoneSurrogate(entry)) return true;
    return false;
  }
  for (const key in value) if (LONE_SURROGATE.test(key) || hasLoneSurrogate((value as Record<string, unknown>)[key])) return true;
  return false;
}
