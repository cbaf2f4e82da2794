import { UsageError } from '../common/cli-errors.js';
import { buildTokenValidationBody, normaliseTokenArgument } from './token-validation.input.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln';

describe('token validate input', () => {
  it.each([
    [TOKEN, TOKEN],
    [`Bearer ${TOKEN}`, TOKEN],
    [`bearer   ${TOKEN}\n`, TOKEN],
    [`  ${TOKEN}\r\n`, TOKEN],
  ])('%j -> the token', (input, expected) => {
    expect(normaliseTokenArgument(input)).toBe(expected);
  });

  it.each([
    ['', 'no token given: pass the token, or - to read it from standard input'],
    ['Bearer ', 'no token given: pass the token, or - to read it from standard input'],
    [`${TOKEN} ${TOKEN}`, 'the token contains whitespace: give one compact token (header.payload.signature)'],
  ])('refuses %j without quoting it', (input, message) => {
    expect(() => normaliseTokenArgument(input)).toThrow(new UsageError(message));
  });

  it('sends the audience only when given', () => {
    expect(buildTokenValidationBody(`Bearer ${TOKEN}`)).toEqual({ token: TOKEN });
    expect(buildTokenValidationBody(TOKEN, 'api://webapi')).toEqual({ token: TOKEN, audience: 'api://webapi' });
  });
});
