import { MAX_JSON_DEPTH, parseStrictJson, StrictJsonError, type StrictJsonReason } from './strict-json.parser.js';

/** The nesting limit and the stable reasons of parseStrictJson (the rest: strict-json.parser.spec.ts). */
describe('parseStrictJson: reasons and nesting', () => {
  it('gives every refusal a stable reason', () => {
    const reasonOf = (text: string): StrictJsonReason | undefined => {
      try {
        parseStrictJson(text);
      } catch (error) {
        return (error as StrictJsonError).reason;
      }
      return undefined;
    };
    expect(reasonOf('{"a":')).toBe('invalid_json');
    expect(reasonOf('{"a":1,"a":2}')).toBe('duplicate_key');
    expect(reasonOf('{"__proto__":{}}')).toBe('forbidden_key');
    expect(reasonOf(`${'['.repeat(65)}${']'.repeat(65)}`)).toBe('nesting_too_deep');
    expect(reasonOf('{"a":1}')).toBeUndefined();
  });

  describe(`nesting (at most ${MAX_JSON_DEPTH} levels of objects and arrays)`, () => {
    const arrays = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const objects = (levels: number): string => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
    const mixed = (levels: number): string => `${'{"a":['.repeat(levels / 2)}1${']}'.repeat(levels / 2)}`;
    const tooDeep = new StrictJsonError('the JSON is nested more than 64 levels deep');

    it('is 64', () => {
      expect(MAX_JSON_DEPTH).toBe(64);
    });

    it.each([
      ['arrays', arrays],
      ['objects', objects],
      ['objects and arrays', mixed],
    ])('accepts 64 levels of %s and refuses 65 (and 66)', (_kind, nested) => {
      expect(parseStrictJson(nested(64))).toEqual(JSON.parse(nested(64)));
      if (nested !== mixed) expect(() => parseStrictJson(nested(65))).toThrow(tooDeep);
      expect(() => parseStrictJson(nested(66))).toThrow(tooDeep);
    });

    it('counts depth on the fast path, on the walk (escapes) and on the pre-scan (long texts) alike', () => {
      const escaped = (levels: number): string => `${'{"\\u0061":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
      const long = (levels: number): string => `{"pad":"${'x'.repeat(5000)}","deep":${arrays(levels - 1)}}`;
      for (const nested of [escaped, long]) {
        expect(() => parseStrictJson(nested(64))).not.toThrow();
        expect(() => parseStrictJson(nested(65))).toThrow(tooDeep);
      }
    });

    it('ignores brackets inside strings, escaped quotes included', () => {
      const text = `{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}","b":[${'"[[["'.repeat(50)}]}`;
      expect(() => parseStrictJson(text)).toThrow(StrictJsonError);
      const valid = `{"a":"${'['.repeat(100)}\\"${'{'.repeat(5000)}","b":["[[[","{{{"]}`;
      expect(parseStrictJson(valid)).toEqual(JSON.parse(valid));
    });

    it.each([
      ['arrays', arrays(100_000)],
      ['objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
      ['a short text of 2 000 levels (parsed first)', arrays(2_000)],
      ['an unterminated string after the limit', `${'['.repeat(100)}"${'['.repeat(10_000)}`],
    ])('refuses %s 100 000 levels deep with a StrictJsonError, never a RangeError', (_kind, text) => {
      let thrown: unknown;
      try {
        parseStrictJson(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StrictJsonError);
      expect(thrown).toMatchObject({ reason: 'nesting_too_deep', message: 'the JSON is nested more than 64 levels deep' });
    });
  });
});
