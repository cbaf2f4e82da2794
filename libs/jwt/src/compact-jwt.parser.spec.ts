import { randomBytes } from 'node:crypto';
import { MAX_TOKEN_BYTES, parseCompactJwt, type ParseJwtOptions } from './compact-jwt.parser.js';
import { JwtFormatError, type JwtFormatReason } from './jwt-format.error.js';

/** base64url of raw text: lets a case put any bytes (invalid JSON, duplicate keys) in a segment. */
const b64u = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const seg = (value: unknown): string => b64u(JSON.stringify(value));

const HEADER = { alg: 'RS256', typ: 'JWT', kid: 'k1' };
const PAYLOAD = { sub: 'client-1', iat: 1700000000 };
const SIGNATURE = randomBytes(256);
const H = seg(HEADER);
const P = seg(PAYLOAD);
const S = SIGNATURE.toString('base64url');
const GOOD = `${H}.${P}.${S}`;

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same bytes written non-canonically: the last character of a segment whose length is not a
 * multiple of 4 carries unused low bits; setting one keeps the decoded bytes (lenient decoders
 * accept it) but changes the text, so two parties could disagree about "the same" token.
 */
function withNonZeroUnusedBits(segment: string): string {
  if (segment.length % 4 === 0) throw new Error('this segment has no unused bits');
  const last = BASE64URL_ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + BASE64URL_ALPHABET[last | 1];
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected parseCompactJwt to throw');
}

function expectFormatError(token: unknown, reason: JwtFormatReason, message: string, options?: ParseJwtOptions): void {
  const error = caught(() => parseCompactJwt(token, options));
  expect(error).toBeInstanceOf(JwtFormatError);
  expect((error as JwtFormatError).reason).toBe(reason);
  expect((error as JwtFormatError).message).toBe(message);
  expect((error as JwtFormatError).name).toBe('JwtFormatError');
}

describe('parseCompactJwt', () => {
  describe('accepts a well-formed signed token', () => {
    it('returns the decoded header, payload, the exact signing input and the signature bytes', () => {
      const parsed = parseCompactJwt(GOOD);
      expect(parsed.token).toBe(GOOD);
      expect(parsed.header).toEqual(HEADER);
      expect(parsed.payload).toEqual(PAYLOAD);
      expect(parsed.signingInput).toBe(`${H}.${P}`);
      expect(Buffer.isBuffer(parsed.signature)).toBe(true);
      expect(parsed.signature.equals(SIGNATURE)).toBe(true);
    });

    it('keeps the signing input exactly as received (not re-serialised)', () => {
      // Whitespace and key order inside the JSON are part of what the signature covers.
      const header = b64u('{ "typ":"JWT" ,\n"alg":"PS256"}');
      const payload = b64u('{"b":2,"a":1}');
      const parsed = parseCompactJwt(`${header}.${payload}.${S}`);
      expect(parsed.signingInput).toBe(`${header}.${payload}`);
      expect(parsed.header).toEqual({ typ: 'JWT', alg: 'PS256' });
    });

    it('accepts a token of exactly the size cap, and honours a smaller maxBytes', () => {
      // Not every length is reachable with one padding claim (4n+1 is no base64 length): vary the signature too.
      const candidates = [256, 257, 258].flatMap((bytes) => {
        const signature = randomBytes(bytes).toString('base64url');
        const room = MAX_TOKEN_BYTES - H.length - signature.length - 2;
        const estimate = Math.floor((room * 3) / 4) - 40;
        return Array.from({ length: 40 }, (_, extra) => `${H}.${seg({ ...PAYLOAD, pad: 'x'.repeat(estimate - 20 + extra) })}.${signature}`);
      });
      const token = candidates.find((candidate) => candidate.length === MAX_TOKEN_BYTES);
      expect(MAX_TOKEN_BYTES).toBe(16_384);
      expect(token).toBeDefined();
      expect(parseCompactJwt(token!).payload.sub).toBe('client-1');
      expectFormatError(`${token}A`, 'token_too_large', 'the token is longer than 16384 characters');
      expectFormatError(GOOD, 'token_too_large', 'the token is longer than 100 characters', { maxBytes: 100 });
    });

    it('tolerates x5c (never used as a key) and unknown non-critical headers', () => {
      const parsed = parseCompactJwt(`${seg({ alg: 'RS256', x5c: ['MIIB'], foo: 'bar' })}.${P}.${S}`);
      expect(parsed.header.x5c).toEqual(['MIIB']);
    });
  });

  describe('refuses malformed input', () => {
    const tooLarge = `${H}.${b64u('{"a":"' + 'x'.repeat(MAX_TOKEN_BYTES) + '"}')}.${S}`;
    const nonCanonicalHeader = withNonZeroUnusedBits(H);
    const nonCanonicalPayload = withNonZeroUnusedBits(P);
    const nonCanonicalSignature = withNonZeroUnusedBits(S);

    it('the non-canonical variants decode to the very same bytes (so only the canonical check can catch them)', () => {
      expect(Buffer.from(nonCanonicalHeader, 'base64url').equals(Buffer.from(H, 'base64url'))).toBe(true);
      expect(Buffer.from(nonCanonicalPayload, 'base64url').equals(Buffer.from(P, 'base64url'))).toBe(true);
      expect(Buffer.from(nonCanonicalSignature, 'base64url').equals(SIGNATURE)).toBe(true);
      expect([nonCanonicalHeader, nonCanonicalPayload, nonCanonicalSignature]).not.toEqual([H, P, S]);
    });

    it.each<[string, unknown, JwtFormatReason, string]>([
      ['undefined', undefined, 'token_missing', 'no token'],
      ['null', null, 'token_missing', 'no token'],
      ['a number', 42, 'token_missing', 'no token'],
      ['an object', { token: GOOD }, 'token_missing', 'no token'],
      ['a Buffer', Buffer.from(GOOD), 'token_missing', 'no token'],
      ['an empty string', '', 'token_missing', 'no token'],
      ['more than 16384 characters', tooLarge, 'token_too_large', 'the token is longer than 16384 characters'],
      ['two segments', `${H}.${P}`, 'malformed_token', 'a compact JWT has exactly three dot-separated segments'],
      ['four segments', `${H}.${P}.${S}.${S}`, 'malformed_token', 'a compact JWT has exactly three dot-separated segments'],
      ['one segment', H, 'malformed_token', 'a compact JWT has exactly three dot-separated segments'],
      ['five segments (JWE shape)', `${H}.${P}.${S}.${S}.${S}`, 'malformed_token', 'a compact JWT has exactly three dot-separated segments'],
      ['an empty header segment', `.${P}.${S}`, 'malformed_token', 'empty header or payload segment'],
      ['an empty payload segment', `${H}..${S}`, 'malformed_token', 'empty header or payload segment'],
      ['"=" padding on the header', `${H}=.${P}.${S}`, 'invalid_base64url', 'the header is not base64url'],
      ['"=" padding on the signature', `${H}.${P}.${S}==`, 'invalid_base64url', 'the signature is not base64url'],
      ['"+" in the payload', `${H}.${P.slice(0, 4)}+${P.slice(5)}.${S}`, 'invalid_base64url', 'the payload is not base64url'],
      ['"/" in the payload', `${H}.${P.slice(0, 4)}/${P.slice(5)}.${S}`, 'invalid_base64url', 'the payload is not base64url'],
      ['"+" in the signature', `${H}.${P}.+${S.slice(1)}`, 'invalid_base64url', 'the signature is not base64url'],
      ['a space inside the header', `${H.slice(0, 5)} ${H.slice(5)}.${P}.${S}`, 'invalid_base64url', 'the header is not base64url'],
      ['a newline inside the payload', `${H}.${P.slice(0, 5)}\n${P.slice(5)}.${S}`, 'invalid_base64url', 'the payload is not base64url'],
      ['a tab inside the signature', `${H}.${P}.${S.slice(0, 5)}\t${S.slice(5)}`, 'invalid_base64url', 'the signature is not base64url'],
      ['a trailing newline', `${GOOD}\n`, 'invalid_base64url', 'the signature is not base64url'],
      ['leading whitespace', ` ${GOOD}`, 'invalid_base64url', 'the header is not base64url'],
      ['a non-ASCII character', `${H}.${P}.${S.slice(0, 3)}é${S.slice(4)}`, 'invalid_base64url', 'the signature is not base64url'],
      // Node's decoder reads only the low byte of a UTF-16 unit: "Ł" (U+0141) would decode as "A".
      ['a character whose low byte is a base64url letter', `${H}.${P}.${S.slice(0, 3)}\u0141${S.slice(4)}`, 'invalid_base64url', 'the signature is not base64url'],
      ['the same in the payload', `${H}.${P.slice(0, 3)}\u0141${P.slice(4)}.${S}`, 'invalid_base64url', 'the payload is not base64url'],
      ['"*" in the payload (skipped by lenient decoders)', `${H}.${P.slice(0, 4)}*${P.slice(5)}.${S}`, 'invalid_base64url', 'the payload is not base64url'],
      ['a NUL character in the signature', `${H}.${P}.${S.slice(0, 8)}\u0000${S.slice(9)}`, 'invalid_base64url', 'the signature is not base64url'],
      ['"=" inside the payload (ends lenient decoding)', `${H}.${P.slice(0, 4)}=${P.slice(5)}.${S}`, 'invalid_base64url', 'the payload is not base64url'],
      ['an extra "*" that makes the signature length 4n+1', `${H}.${P}.${S.slice(0, 8)}*${S.slice(8, -2)}`, 'invalid_base64url', 'the signature is not base64url'],
      ['a non-canonical header (non-zero unused bits)', `${nonCanonicalHeader}.${P}.${S}`, 'invalid_base64url', 'the header is not canonical base64url'],
      ['a non-canonical payload (non-zero unused bits)', `${H}.${nonCanonicalPayload}.${S}`, 'invalid_base64url', 'the payload is not canonical base64url'],
      ['a non-canonical signature (non-zero unused bits)', `${H}.${P}.${nonCanonicalSignature}`, 'invalid_base64url', 'the signature is not canonical base64url'],
      ['an impossible base64 length (4n+1)', `${H}.${P}.${S.slice(0, -1)}`, 'invalid_base64url', 'the signature is not canonical base64url'],
      ['a header that is not JSON', `${b64u('alg=RS256')}.${P}.${S}`, 'invalid_json', 'the header is not a valid JSON object'],
      ['a header of truncated JSON', `${b64u('{"alg":"RS256"')}.${P}.${S}`, 'invalid_json', 'the header is not a valid JSON object'],
      ['a header that is a JSON array', `${b64u('[{"alg":"RS256"}]')}.${P}.${S}`, 'invalid_json', 'the header is not a JSON object'],
      ['a header that is JSON null', `${b64u('null')}.${P}.${S}`, 'invalid_json', 'the header is not a JSON object'],
      ['a header that is a JSON string', `${b64u('"RS256"')}.${P}.${S}`, 'invalid_json', 'the header is not a JSON object'],
      ['a payload that is a JSON number', `${H}.${b64u('1700000000')}.${S}`, 'invalid_json', 'the payload is not a JSON object'],
      ['a payload that is not JSON', `${H}.${b64u('sub=client-1')}.${S}`, 'invalid_json', 'the payload is not a valid JSON object'],
      ['a duplicate key in the payload', `${H}.${b64u('{"sub":"victim","sub":"attacker"}')}.${S}`, 'duplicate_json_key', 'the payload is not a valid JSON object (duplicate key)'],
      ['a duplicate key spelled with an escape', `${H}.${b64u('{"sub":"victim","\\u0073ub":"attacker"}')}.${S}`, 'duplicate_json_key', 'the payload is not a valid JSON object (duplicate key)'],
      ['a duplicate key in a nested object', `${H}.${b64u('{"act":{"sub":"a","sub":"b"}}')}.${S}`, 'duplicate_json_key', 'the payload is not a valid JSON object (duplicate key)'],
      ['a duplicate alg in the header', `${b64u('{"alg":"RS256","alg":"none"}')}.${P}.${S}`, 'duplicate_json_key', 'the header is not a valid JSON object (duplicate key)'],
      ['a "__proto__" key in the payload', `${H}.${b64u('{"sub":"x","__proto__":{"admin":true}}')}.${S}`, 'duplicate_json_key', 'the payload is not a valid JSON object (duplicate key)'],
      ['a "__proto__" key in the header', `${b64u('{"alg":"RS256","__proto__":{"alg":"none"}}')}.${P}.${S}`, 'duplicate_json_key', 'the header is not a valid JSON object (duplicate key)'],
      ['a header without alg', `${seg({ typ: 'JWT' })}.${P}.${S}`, 'missing_alg', 'the header has no alg'],
      ['an empty alg', `${seg({ alg: '' })}.${P}.${S}`, 'missing_alg', 'the header has no alg'],
      ['a numeric alg', `${seg({ alg: 256 })}.${P}.${S}`, 'missing_alg', 'the header has no alg'],
      ['a null alg', `${seg({ alg: null })}.${P}.${S}`, 'missing_alg', 'the header has no alg'],
      ['a jku header', `${seg({ alg: 'RS256', jku: 'https://evil.example/jwks' })}.${P}.${S}`, 'forbidden_header', 'the header parameter "jku" is not accepted: keys come from our registry only'],
      ['an x5u header', `${seg({ alg: 'RS256', x5u: 'https://evil.example/cert.pem' })}.${P}.${S}`, 'forbidden_header', 'the header parameter "x5u" is not accepted: keys come from our registry only'],
      ['a jwk header', `${seg({ alg: 'RS256', jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } })}.${P}.${S}`, 'forbidden_header', 'the header parameter "jwk" is not accepted: keys come from our registry only'],
      ['a jwk header set to null', `${seg({ alg: 'RS256', jwk: null })}.${P}.${S}`, 'forbidden_header', 'the header parameter "jwk" is not accepted: keys come from our registry only'],
      ['a crit header', `${seg({ alg: 'RS256', crit: ['exp'], exp: 1 })}.${P}.${S}`, 'forbidden_header', 'the header parameter "crit" is not supported'],
      ['an empty crit header', `${seg({ alg: 'RS256', crit: [] })}.${P}.${S}`, 'forbidden_header', 'the header parameter "crit" is not supported'],
      ['alg none (not allowed by default)', `${seg({ alg: 'none' })}.${P}.`, 'unsigned_token', 'unsigned (alg none) tokens are not accepted here'],
      ['alg none with a signature (not allowed by default)', `${seg({ alg: 'none' })}.${P}.${S}`, 'unsigned_token', 'unsigned (alg none) tokens are not accepted here'],
      ['a signed alg with an empty signature', `${H}.${P}.`, 'unsigned_token', 'the signature is empty'],
      ['alg "None" with an empty signature', `${seg({ alg: 'None' })}.${P}.`, 'unsigned_token', 'the signature is empty'],
      ['alg "NONE" with an empty signature', `${seg({ alg: 'NONE' })}.${P}.`, 'unsigned_token', 'the signature is empty'],
    ])('refuses %s', (_name, token, reason, message) => {
      expectFormatError(token, reason, message);
    });
  });

  describe('lone UTF-16 surrogates (security catalogue B06; RFC 7493 2.1)', () => {
    it.each<[string, string, 'header' | 'payload']>([
      ['a lone high surrogate in a claim', `${H}.${b64u('{"sub":"a\\ud800"}')}.${S}`, 'payload'],
      ['a lone low surrogate in a claim', `${H}.${b64u('{"sub":"\\uDC00b"}')}.${S}`, 'payload'],
      ['a reversed pair', `${H}.${b64u('{"sub":"\\udc00\\ud800"}')}.${S}`, 'payload'],
      ['a high surrogate escape beside a raw astral character', `${H}.${b64u('{"sub":"\\ud83d\u{1F600}"}')}.${S}`, 'payload'],
      ['a lone surrogate in a key', `${H}.${b64u('{"sub":"a","\\ud800":1}')}.${S}`, 'payload'],
      ['a lone surrogate nested in an array and an object', `${H}.${b64u('{"act":{"roles":["ok",["\\ud800"]]}}')}.${S}`, 'payload'],
      ['a lone surrogate in a header parameter', `${b64u('{"alg":"RS256","kid":"\\ud800"}')}.${P}.${S}`, 'header'],
    ])('refuses %s as invalid_json', (_name, token, part) => {
      expectFormatError(token, 'invalid_json', `the ${part} has a lone UTF-16 surrogate (\\u escape)`);
    });

    it.each<[string, string, unknown]>([
      ['a surrogate pair written as two escapes', '{"sub":"\\ud83d\\ude00"}', '\u{1F600}'],
      ['an astral character as raw UTF-8', '{"sub":"\u{1F600}"}', '\u{1F600}'],
      ['an escaped backslash followed by "ud800" (not an escape)', '{"sub":"\\\\ud800"}', '\\ud800'],
      ['other \\u escapes', '{"\\u0073ub":"\\u00e9\\u4e2d"}', '\u00e9\u4e2d'],
    ])('accepts %s', (_name, payload, sub) => {
      expect(parseCompactJwt(`${H}.${b64u(payload)}.${S}`).payload.sub).toBe(sub);
    });

    it('never caches a refused header', () => {
      const header = b64u('{"alg":"RS256","kid":"\\udbff"}');
      expectFormatError(`${header}.${P}.${S}`, 'invalid_json', 'the header has a lone UTF-16 surrogate (\\u escape)');
      expectFormatError(`${header}.${P}.${S}`, 'invalid_json', 'the header has a lone UTF-16 surrogate (\\u escape)');
    });
  });

  describe('nesting', () => {
    it('refuses a header or payload nested deeper than 64 levels as invalid JSON (not a duplicate key)', () => {
      const nested = (levels: number): string => `{"x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
      expect(parseCompactJwt(`${H}.${b64u(nested(64))}.${S}`).payload.x).toBeDefined();
      expectFormatError(`${H}.${b64u(nested(65))}.${S}`, 'invalid_json', 'the payload is not a valid JSON object');
      expectFormatError(`${b64u(`{"alg":"RS256","x":${'['.repeat(64)}${']'.repeat(64)}}`)}.${P}.${S}`, 'invalid_json', 'the header is not a valid JSON object');
      // Within the 16 KiB cap a payload nests at most ~6 000 levels: refused before the signature is looked at.
      expectFormatError(`${H}.${b64u(nested(4_000))}.${S}`, 'invalid_json', 'the payload is not a valid JSON object');
    });
  });

  describe('header cache (a signer sends the same header on every token)', () => {
    it('shares one frozen header object between tokens with the same header text', () => {
      const first = parseCompactJwt(`${H}.${seg({ sub: 'one' })}.${S}`);
      const second = parseCompactJwt(`${H}.${seg({ sub: 'two' })}.${S}`);
      expect(second.header).toBe(first.header);
      expect(Object.isFrozen(second.header)).toBe(true);
      expect(second.payload).toEqual({ sub: 'two' });
    });

    it('keeps refusing a refused header (it is never cached)', () => {
      const jku = `${seg({ alg: 'RS256', jku: 'https://evil.example/jwks' })}.${P}.${S}`;
      for (let i = 0; i < 3; i++) expectFormatError(jku, 'forbidden_header', 'the header parameter "jku" is not accepted: keys come from our registry only');
    });

    it('still checks the payload and signature of a token whose header is cached', () => {
      parseCompactJwt(GOOD);
      expectFormatError(`${H}.${b64u('{"sub":"victim","sub":"attacker"}')}.${S}`, 'duplicate_json_key', 'the payload is not a valid JSON object (duplicate key)');
      expectFormatError(`${H}.${P}.+${S.slice(1)}`, 'invalid_base64url', 'the signature is not base64url');
    });

    it('tells headers apart that differ in one character', () => {
      const other = seg({ ...HEADER, kid: 'k2' });
      expect(parseCompactJwt(`${H}.${P}.${S}`).header.kid).toBe('k1');
      expect(parseCompactJwt(`${other}.${P}.${S}`).header.kid).toBe('k2');
      expect(parseCompactJwt(`${H}.${P}.${S}`).header.kid).toBe('k1');
    });

    it('stays correct when more distinct headers arrive than it holds', () => {
      for (let i = 0; i < 600; i++) expect(parseCompactJwt(`${seg({ ...HEADER, kid: `k${i}` })}.${P}.${S}`).header.kid).toBe(`k${i}`);
      expect(parseCompactJwt(GOOD).header).toEqual(HEADER);
    });
  });

  describe('unsigned tokens (the MS S2S outer token)', () => {
    const UNSIGNED = `${seg({ typ: 'JWT', alg: 'none' })}.${P}.`;

    it('accepts alg none with an empty signature only when allowUnsigned is set', () => {
      const parsed = parseCompactJwt(UNSIGNED, { allowUnsigned: true });
      expect(parsed.header).toEqual({ typ: 'JWT', alg: 'none' });
      expect(parsed.payload).toEqual(PAYLOAD);
      expect(parsed.signature.length).toBe(0);
      expect(parsed.signingInput).toBe(UNSIGNED.slice(0, -1));
      expectFormatError(UNSIGNED, 'unsigned_token', 'unsigned (alg none) tokens are not accepted here', { allowUnsigned: false });
    });

    it('refuses alg none with a non-empty signature even when allowed', () => {
      expectFormatError(`${seg({ alg: 'none' })}.${P}.${S}`, 'malformed_token', 'an alg none token must have an empty signature', { allowUnsigned: true });
    });

    it('still refuses a signed alg with an empty signature when unsigned tokens are allowed', () => {
      expectFormatError(`${H}.${P}.`, 'unsigned_token', 'the signature is empty', { allowUnsigned: true });
    });

    it('still applies every other rule to unsigned tokens', () => {
      expectFormatError(`${seg({ alg: 'none', jku: 'https://evil.example' })}.${P}.`, 'forbidden_header', 'the header parameter "jku" is not accepted: keys come from our registry only', { allowUnsigned: true });
      expectFormatError(`${seg({ alg: 'none' })}.${b64u('{"a":1,"a":2}')}.`, 'duplicate_json_key', 'the payload is not a valid JSON object (duplicate key)', { allowUnsigned: true });
    });
  });
});
