import { caught } from '@s2s/testing';
import { InvalidRequestError } from './oauth.errors.js';
import { parseTokenRequestForm } from './oauth-form.parser.js';

describe('parseTokenRequestForm', () => {
  it('reads the parameters of an application/x-www-form-urlencoded body', () => {
    const parameters = parseTokenRequestForm('grant_type=client_credentials&client_id=abc&resource=api%3A%2F%2Fwebapi');
    expect([...parameters]).toEqual([
      ['grant_type', 'client_credentials'],
      ['client_id', 'abc'],
      ['resource', 'api://webapi'],
    ]);
  });

  it('decodes per RFC 6749 appendix B: "+" is a space, %XX is a byte of UTF-8', () => {
    const parameters = parseTokenRequestForm('scope=api%3A%2F%2Fwebapi%2F.default+api%3A%2F%2Fother%2F.default&client_secret=a%2Bb%25c%3Ad+e&upn=j%C3%B6ran%40contoso.com');
    expect(parameters.get('scope')).toBe('api://webapi/.default api://other/.default');
    expect(parameters.get('client_secret')).toBe('a+b%c:d e');
    expect(parameters.get('upn')).toBe('jöran@contoso.com');
  });

  it('treats empty values as absent (a parameter sent as "x=" is not there)', () => {
    const parameters = parseTokenRequestForm('grant_type=client_credentials&client_secret=&scope&resource=api%3A%2F%2Fwebapi');
    expect(parameters.has('client_secret')).toBe(false);
    expect(parameters.has('scope')).toBe(false);
    expect([...parameters.keys()]).toEqual(['grant_type', 'resource']);
  });

  it('returns an empty map for an empty body', () => {
    expect(parseTokenRequestForm('').size).toBe(0);
  });

  it('accepts a value of exactly 16384 characters', () => {
    const value = 'a'.repeat(16_384);
    expect(parseTokenRequestForm(`client_assertion=${value}`).get('client_assertion')).toBe(value);
  });

  // RFC 6749 3.1: parameters MUST NOT be included more than once (security catalogue G19).
  it.each<[string, string, string, string]>([
    ['grant_type twice', 'grant_type=client_credentials&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer', 'repeated_parameter', 'the parameter grant_type is repeated'],
    ['client_id twice with the same value', 'client_id=abc&client_secret=s&client_id=abc', 'repeated_parameter', 'the parameter client_id is repeated'],
    ['a repeat spelled with percent-encoding', 'client_id=abc&client%5Fid=evil', 'repeated_parameter', 'the parameter client_id is repeated'],
    ['a repeat whose first value is empty', 'scope=&scope=api%3A%2F%2Fwebapi%2F.default', 'repeated_parameter', 'the parameter scope is repeated'],
    ['a parameter without a name', 'grant_type=client_credentials&=x', 'empty_parameter_name', 'the form has a parameter without a name'],
    ['a bare "="', '=', 'empty_parameter_name', 'the form has a parameter without a name'],
    ['a value of 16385 characters', `client_assertion=${'a'.repeat(16_385)}`, 'parameter_too_long', 'the parameter client_assertion is too long'],
    ['a value over the limit once decoded from %XX', `client_secret=${'%41'.repeat(16_385)}`, 'parameter_too_long', 'the parameter client_secret is too long'],
  ])('refuses %s with invalid_request', (_name, body, reason, description) => {
    const error = caught(() => parseTokenRequestForm(body));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).reason).toBe(reason);
    expect((error as InvalidRequestError).description).toBe(description);
    expect((error as InvalidRequestError).message).toBe(description);
    expect((error as InvalidRequestError).error).toBe('invalid_request');
    expect((error as InvalidRequestError).status).toBe(400);
  });
});
