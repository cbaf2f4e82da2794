/**
 * Parses JSON and additionally rejects what `JSON.parse` silently accepts (SPEC 5.9, 6):
 * duplicate keys in one object (the last one would win, so two parsers can disagree about the
 * same document) and `__proto__` keys (prototype pollution once the object is merged elsewhere).
 * Also nesting deeper than MAX_JSON_DEPTH: consumers downstream recurse (a clean 400, no RangeError).
 */

/** Why a text was refused; a stable code, as {@link JwtFormatError}'s reasons are. */
export type StrictJsonReason = 'invalid_json' | 'duplicate_key' | 'forbidden_key' | 'nesting_too_deep';

export class StrictJsonError extends Error {
  constructor(
    message: string,
    readonly reason: StrictJsonReason = 'invalid_json',
  ) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

/** Deepest nesting of objects and arrays accepted: the outermost object or array is level 1. */
export const MAX_JSON_DEPTH = 64;

/**
 * Texts longer than this are scanned for their depth before `JSON.parse` (which is iterative, but
 * takes ~45 ms to build 100 000 nested arrays: too much work for one unauthenticated request).
 * Shorter texts (every token payload in practice) cannot nest deep enough to make the parse
 * costly; for them the duplicate-key check below bounds the depth, without a second pass.
 */
const SCAN_DEPTH_FIRST_ABOVE = 4096;

export function parseStrictJson(text: string): unknown {
  if (text.length > SCAN_DEPTH_FIRST_ABOVE) assertDepthWithinLimit(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StrictJsonError(`the body is not valid JSON (${(error as Error).message})`);
  }
  if (!hasNoDuplicateKeysFast(text, value)) assertNoDuplicateKeys(text);
  return value;
}

const tooDeep = (): StrictJsonError => new StrictJsonError(`the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`, 'nesting_too_deep');

/**
 * Fast proof that `text` has no duplicate key (true), or "walk it" (false). Without a backslash,
 * every `"` in the text opens or closes a key or a string value, so the text holds exactly twice
 * as many quotes as the parsed value has keys plus string values, unless an object repeated a key:
 * the overwritten entry's key is in the text but not in the value. Texts with escapes, with
 * `__proto__`, or nested deeper than FAST_DEPTH are walked. A `true` also proves the depth within
 * FAST_DEPTH + 1 ≤ MAX_JSON_DEPTH levels.
 */
function hasNoDuplicateKeysFast(text: string, value: unknown): boolean {
  if (text.indexOf('\\') !== -1 || text.indexOf('__proto__') !== -1) return false;
  let quotes = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) quotes++;
  return quotes === quotesFor(value, 0);
}

const FAST_DEPTH = 32;
// The fast path proves the depth limit only while it gives up below it.
if (FAST_DEPTH + 1 > MAX_JSON_DEPTH) throw new Error('FAST_DEPTH must stay below MAX_JSON_DEPTH');

/** Twice the keys and string values in `value`; NaN (never equal) when nested deeper than FAST_DEPTH. */
function quotesFor(value: unknown, depth: number): number {
  if (typeof value === 'string') return 2;
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > FAST_DEPTH) return NaN;
  let quotes = 0;
  if (Array.isArray(value)) {
    for (const entry of value) quotes += quotesFor(entry, depth + 1);
  } else {
    // for-in (V8's fast enumeration); an inherited enumerable key could only add to the count,
    // which sends the text to the walk: never a wrong "no duplicate".
    for (const key in value) quotes += 2 + quotesFor((value as Record<string, unknown>)[key], depth + 1);
  }
  return quotes;
}

interface Frame {
  keys: Set<string> | null;
  expectingKey: boolean;
}

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Walks the (already syntax-checked) text once, tracking the keys of each open object. Strings are
 * skipped with `indexOf`; only keys are materialised, and only keys with escapes go through
 * `JSON.parse`. (This runs for every token the validator sees, so it is kept cheap.)
 * The depth is the stack's: an explicit stack, never recursion.
 */
function assertNoDuplicateKeys(text: string): void {
  const stack: Frame[] = [];
  let top: Frame | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === OPEN_OBJECT) {
      top = { keys: new Set(), expectingKey: true };
      if (stack.push(top) > MAX_JSON_DEPTH) throw tooDeep();
    } else if (code === OPEN_ARRAY) {
      top = { keys: null, expectingKey: false };
      if (stack.push(top) > MAX_JSON_DEPTH) throw tooDeep();
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      stack.pop();
      top = stack[stack.length - 1];
    } else if (code === COMMA) {
      if (top?.keys) top.expectingKey = true;
    } else if (code === QUOTE) {
      let end = text.indexOf('"', i + 1);
      // A quote preceded by an odd number of backslashes is part of the string.
      for (;;) {
        let backslashes = 0;
        for (let j = end - 1; text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (top?.keys && top.expectingKey) {
        const backslash = text.indexOf('\\', i + 1);
        const key = backslash !== -1 && backslash < end ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (top.keys.has(key)) throw new StrictJsonError(`duplicate key "${key}" in a JSON object`, 'duplicate_key');
        if (key === '__proto__') throw new StrictJsonError('the key "__proto__" is not allowed', 'forbidden_key');
        top.keys.add(key);
        top.expectingKey = false;
      }
      i = end;
    }
  }
}

/**
 * The depth alone, before parsing (see SCAN_DEPTH_FIRST_ABOVE): one pass with a counter, strings
 * skipped. The text may be invalid JSON here; an unterminated string ends the scan and is left to
 * `JSON.parse` to report.
 */
function assertDepthWithinLimit(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep();
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    } else if (code === QUOTE) {
      i = closingQuote(text, i);
      if (i === -1) return;
    }
  }
}

/** The index of the `"` closing the string opened at `open`, or -1 when there is none (unlike the walk, the text may be invalid here). */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let j = end - 1; text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}
