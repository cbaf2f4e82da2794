import { UsageError } from '../common/cli-errors.js';
import type { TokenValidationBody } from './token-validation.dto.js';

/** Pure helpers of `token validate`: the TOKEN argument to the request body. */

/**
 * The token as given on the command line or stdin: surrounding whitespace and a `Bearer ` prefix
 * (as copied from an Authorization header) are dropped, as `token decode` does.
 *
 * @throws UsageError when nothing is left. The message never quotes the input: it is a credential.
 */
export function normaliseTokenArgument(input: string): string {
  const token = input.trim().replace(/^Bearer(?:\s+|$)/i, '');
  if (token === '') throw new UsageError('no token given: pass the token, or - to read it from standard input');
  if (/\s/.test(token)) throw new UsageError('the token contains whitespace: give one compact token (header.payload.signature)');
  return token;
}

/** Body of POST /tokens/validate; `audience` only when given. */
export function buildTokenValidationBody(input: string, audience?: string): TokenValidationBody {
  const token = normaliseTokenArgument(input);
  return audience === undefined ? { token } : { token, audience };
}
