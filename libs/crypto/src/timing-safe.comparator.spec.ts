import { timingSafeEqualStrings } from './timing-safe.comparator.js';

describe('timingSafeEqualStrings', () => {
  it.each([
    ['secret', 'secret', true],
    ['', '', true],
    ['grüße', 'grüße', true],
    ['secret', 'secreT', false],
    ['secret', 'secret ', false],
    ['secret', '', false],
    ['', 'x', false],
    ['short', 'a much longer string than the other one', false],
    ['é', 'e\u0301', false], // no Unicode normalization: different code points
  ])('%j vs %j → %p', (a, b, expected) => {
    expect(timingSafeEqualStrings(a, b)).toBe(expected);
    expect(timingSafeEqualStrings(b, a)).toBe(expected);
  });
});
