import { parseStrictJson, StrictJsonError } from './strict-json.parser.js';

describe('parseStrictJson', () => {
  it.each([
    ['{"a":1,"b":{"c":[1,{"d":2}]}}', { a: 1, b: { c: [1, { d: 2 }] } }],
    ['{"a":"x,\\"a\\":y","b":1}', { a: 'x,"a":y', b: 1 }],
    ['[{"a":1},{"a":2}]', [{ a: 1 }, { a: 2 }]],
    ['{"a":{"k":1},"b":{"k":2}}', { a: { k: 1 }, b: { k: 2 } }],
    ['{"\\u0061":1,"b":"\\\\"}', { a: 1, b: '\\' }],
  ])('accepts %s', (text, value) => {
    expect(parseStrictJson(text)).toEqual(value);
  });

  it.each([
    ['{"a":1,"a":2}', 'duplicate key "a" in a JSON object'],
    ['{"x":{"a":1,"b":2,"a":3}}', 'duplicate key "a" in a JSON object'],
    ['{"a":1,"\\u0061":2}', 'duplicate key "a" in a JSON object'],
    ['[{"a":1,"a":1}]', 'duplicate key "a" in a JSON object'],
    ['{"__proto__":{"admin":true}}', 'the key "__proto__" is not allowed'],
  ])('rejects %s', (text, message) => {
    expect(() => parseStrictJson(text)).toThrow(new StrictJsonError(message));
  });

  // Compact texts without escapes take a fast path (quotes counted against the parsed value): a
  // duplicate must still be found whatever the types of the two values, at any depth.
  it.each([
    ['{"a":"x","a":1}', 'a'],
    ['{"a":1,"a":"x"}', 'a'],
    ['{"a":{"b":"c"},"a":"d"}', 'a'],
    ['{"a":"d","a":{"b":"c"}}', 'a'],
    ['{"a":[],"a":[]}', 'a'],
    ['{"l":[{"k":"v","k":"w"}]}', 'k'],
    ['{"a":null,"b":true,"a":false}', 'a'],
    [`${'['.repeat(40)}{"a":1,"a":2}${']'.repeat(40)}`, 'a'],
  ])('finds the duplicate in %s', (text, key) => {
    expect(() => parseStrictJson(text)).toThrow(new StrictJsonError(`duplicate key "${key}" in a JSON object`));
  });

  it.each([
    ['{"a":"\\"a\\":1","b":{"c":"d"},"e":["f",{"g":"h"}]}'],
    [`${'['.repeat(40)}{"a":1,"b":"c"}${']'.repeat(40)}`],
    ['{"sub":"__proto__ in a value"}'],
  ])('accepts %s (escaped, deep or unusual but without a duplicate)', (text) => {
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it('rejects malformed JSON with a clear message', () => {
    expect(() => parseStrictJson('{"a":')).toThrow(/^the body is not valid JSON/);
  });
});
