import { InvalidRequestError } from './oauth.errors.js';

/** Form parameters of one request; each appears at most once (RFC 6749 3.1). */
export type TokenRequestParameters = ReadonlyMap<string, string>;

/** Longest accepted value of one parameter (assertions are capped by the JWT pre-parser too). */
const MAX_VALUE_LENGTH = 16_384;

/**
 * Parses an `application/x-www-form-urlencoded` body (RFC 6749 3.2, appendix B). A parameter sent
 * twice is refused (RFC 6749 3.1: "Request and response parameters MUST NOT be included more than
 * once"), as is an empty name; empty values count as absent.
 *
 * @throws InvalidRequestError naming the parameter.
 */
export function parseTokenRequestForm(body: string): TokenRequestParameters {
  const parameters = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (name === '') throw new InvalidRequestError('the form has a parameter without a name', 'empty_parameter_name');
    if (parameters.has(name)) throw new InvalidRequestError(`the parameter ${name} is repeated`, 'repeated_parameter');
    if (value.length > MAX_VALUE_LENGTH) throw new InvalidRequestError(`the parameter ${name} is too long`, 'parameter_too_long');
    parameters.set(name, value);
  }
  for (const [name, value] of parameters) if (value === '') parameters.delete(name);
  return parameters;
}
