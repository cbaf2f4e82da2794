import { normaliseThumbprint } from './thumbprint.parser.js';

const SHA1 = '9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01';
const SHA256 = '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0';

describe('normaliseThumbprint', () => {
  it.each([
    ['uppercase SHA-1 as-is', SHA1, SHA1],
    ['lowercase', SHA1.toLowerCase(), SHA1],
    ['openssl -fingerprint colons', SHA1.match(/../g)!.join(':'), SHA1],
    ['Windows dialog spaces', SHA1.toLowerCase().match(/../g)!.join(' '), SHA1],
    ['the U+200E mark the Windows certificate dialog copies along', `\u200e${SHA1.match(/../g)!.join(' ')}`, SHA1],
    ['U+200F, zero-width space and BOM', `\ufeff${SHA1.slice(0, 20)}\u200b${SHA1.slice(20)}\u200f`, SHA1],
    ['surrounding whitespace and tabs', `  ${SHA1}\t\n`, SHA1],
    ['SHA-256', SHA256.toLowerCase().match(/../g)!.join(':'), SHA256],
  ])('accepts %s', (_case, input, expected) => {
    expect(normaliseThumbprint(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['too short', SHA1.slice(0, 39)],
    ['too long for SHA-1, too short for SHA-256', `${SHA1}00`],
    ['non-hex digit', `${SHA1.slice(0, 39)}G`],
    ['path characters', `${SHA1.slice(0, 38)}/.`],
    ['dashes (not a separator admins get from any tool)', SHA1.match(/../g)!.join('-')],
  ])('rejects %s', (_case, input) => {
    expect(normaliseThumbprint(input)).toBeUndefined();
  });
});
