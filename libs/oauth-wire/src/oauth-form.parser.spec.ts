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

  /**
   * The WHATWG URL standard's application/x-www-form-urlencoded parser, written from its text over
   * bytes (percent-decode, then UTF-8 decode without BOM, with replacement): the oracle. Node's own
   * URLSearchParams is not used as one: it decodes a lone "%" before an escape followed by raw
   * non-ASCII wrongly (`a=%2%e2%82%ac€` gives "%2€�", the standard "%2€€").
   */
  function standardForm(body: string): [string, string][] {
    const isHex = (byte: number | undefined): boolean => byte !== undefined && /^[0-9a-fA-F]$/.test(String.fromCharCode(byte));
    const percentDecode = (text: string): string => {
      const input = Buffer.from(text, 'utf8');
      const output: number[] = [];
      for (let i = 0; i < input.length; i++) {
        if (input[i] === 0x25 && isHex(input[i + 1]) && isHex(input[i + 2])) {
          output.push(parseInt(String.fromCharCode(input[i + 1]!, input[i + 2]!), 16));
          i += 2;
        } else {
          output.push(input[i]!);
        }
      }
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.from(output));
    };
    return body
      .split('&')
      .filter((sequence) => sequence !== '')
      .map((sequence) => {
        const at = sequence.indexOf('=');
        const [name, value] = at < 0 ? [sequence, ''] : [sequence.slice(0, at), sequence.slice(at + 1)];
        return [percentDecode(name.replace(/\+/g, ' ')), percentDecode(value.replace(/\+/g, ' '))];
      });
  }

  it('reads every generated body as the WHATWG URL standard\'s form parser does', () => {
    // Bodies from the characters that matter: separators, escapes (valid, lone, non-UTF-8), '+', non-ASCII.
    const pieces = ['a', 'b', 'Z', '0', '=', '=', '&', '&', '+', '%', '%2', '%41', '%2B', '%26', '%3D', '%C3%B6', '%FF', '%C3', '%e2%82%ac', 'ö', '€', ' ', '?', '#', '%%', '%zz'];
    let seed = 1;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    let compared = 0;
    for (let i = 0; i < 5_000; i++) {
      const body = Array.from({ length: 1 + next(12) }, () => pieces[next(pieces.length)]).join('');
      const expected = standardForm(body);
      const names = expected.map(([name]) => name);
      if (names.includes('') || new Set(names).size !== names.length) continue; // refused, tested above
      expect([body, [...parseTokenRequestForm(body)]]).toEqual([body, expected.filter(([, value]) => value !== '')]);
      compared++;
    }
    expect(compared).toBeGreaterThan(1_000);
  });

  it('agrees with URLSearchParams on the bodies OAuth clients send', () => {
    for (const body of ['grant_type=client_credentials&resource=api%3A%2F%2Fbench', `token=${'eyJhbGciOiJSUzI1NiJ9'.repeat(40)}.abc_-`, 'scope=a+b%20c&upn=j%C3%B6ran%40contoso.com&x=%FF%zz%']) {
      expect([...parseTokenRequestForm(body)]).toEqual([...new URLSearchParams(body)]);
    }
  });

  it('keeps a leading "?" as part of the first name (a form body is not a query string)', () => {
    expect([...parseTokenRequestForm('?token=x')]).toEqual([['?token', 'x']]);
  });
});
