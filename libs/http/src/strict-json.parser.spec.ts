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

  it('rejects malformed JSON with a clear message', () => {
    expect(() => parseStrictJson('{"a":')).toThrow(/^the body is not valid JSON/);
  });
});
