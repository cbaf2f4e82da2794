import { createHash } from 'node:crypto';
import { timingSafeEqualDigests } from './timing-safe.comparator.js';

describe('timingSafeEqualDigests', () => {
  const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');

  it.each([
    [digest('a'), digest('a'), true],
    [digest('a'), digest('b'), false],
    [digest('a'), `${digest('a').slice(0, -1)}x`, false],
    [digest('a'), digest('a').slice(0, -1), false],
    [digest('a'), '', false],
    ['', '', true],
  ])('%j vs %j → %p', (a, b, expected) => {
    expect(timingSafeEqualDigests(a, b)).toBe(expected);
    expect(timingSafeEqualDigests(b, a)).toBe(expected);
  });
});
