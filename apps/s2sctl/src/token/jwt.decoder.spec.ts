import { ACTOR_TOKEN_PLACEHOLDER, MalformedTokenError, decodeJwt, decodeTokenForDisplay } from './jwt.decoder.js';

const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');
const jwt = (header: unknown, payload: unknown, signature = ''): string => `${b64url(header)}.${b64url(payload)}.${signature}`;

const SIGNATURE = 'c2lnbmF0dXJlLWJ5dGVzLXRoYXQtbXVzdC1uZXZlci1iZS1wcmludGVk';
const ACTOR_HEADER = { typ: 'JWT', alg: 'RS256', x5t: 'mj9cfhstT2qMDpo_XH4bLU9qjAE' };
const ACTOR_PAYLOAD = {
  aud: '00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@contoso.com',
  iss: '00000004-0000-0ff1-ce00-000000000000@contoso.com',
  nameid: '6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b@contoso.com',
  nbf: '1735689600',
  exp: 1735732800,
  trustedfordelegation: 'true',
};
const ACTOR_TOKEN = jwt(ACTOR_HEADER, ACTOR_PAYLOAD, SIGNATURE);
const OUTER_PAYLOAD = { aud: ACTOR_PAYLOAD.aud, iss: ACTOR_PAYLOAD.nameid, nbf: 1735689600, exp: 1735689900, actortoken: ACTOR_TOKEN, nameid: 's-1-5-21', nii: 'urn:office:idp:activedirectory', upn: 'alice@contoso.com' };
const OUTER_TOKEN = jwt({ typ: 'JWT', alg: 'none' }, OUTER_PAYLOAD);

describe('decodeJwt', () => {
  it('decodes a signed JWT (3 segments) into header and payload, without the signature', () => {
    const decoded = decodeJwt(ACTOR_TOKEN);
    expect(decoded).toEqual({ header: ACTOR_HEADER, payload: ACTOR_PAYLOAD });
    expect(JSON.stringify(decoded)).not.toContain(SIGNATURE);
  });

  it('decodes an unsigned token with an empty signature segment, and one without the trailing dot', () => {
    expect(decodeJwt(OUTER_TOKEN).header).toEqual({ typ: 'JWT', alg: 'none' });
    expect(decodeJwt(OUTER_TOKEN.slice(0, -1)).payload).toEqual(OUTER_PAYLOAD);
  });

  it.each([
    ['one segment', 'eyJhbGciOiJub25lIn0', 'the token is not a JWT: expected 2 or 3 dot-separated segments, found 1'],
    ['four segments', 'a.b.c.d', 'the token is not a JWT: expected 2 or 3 dot-separated segments, found 4'],
    ['a JWE', 'a.b.c.d.e', 'the token is an encrypted JWT (JWE, 5 segments); only signed or unsigned JWTs can be decoded'],
    ['an empty header', `.${b64url({})}.`, 'the token is not a JWT: the header is not base64url'],
    ['standard base64 characters', `${b64url({ alg: 'none' })}.a+b/.`, 'the token is not a JWT: the payload is not base64url'],
    ['padding', `${b64url({ alg: 'none' })}.${b64url({ a: 1 })}=.`, 'the token is not a JWT: the payload is not base64url'],
    ['an impossible length', `${b64url({ alg: 'none' })}.abcde.`, 'the token is not a JWT: the payload is not base64url'],
    ['a bad signature segment', `${b64url({ alg: 'RS256' })}.${b64url({})}.sig%`, 'the token is not a JWT: the signature segment is not base64url'],
    ['invalid UTF-8', `${Buffer.from([0xc3, 0x28]).toString('base64url')}.${b64url({})}.`, 'the token is not a JWT: the header is not UTF-8 text'],
    ['text that is not JSON', `${b64url('{"alg":')}.${b64url({})}.`, 'the token is not a JWT: the header is not JSON'],
    ['a JSON array', `${b64url({ alg: 'none' })}.${b64url([1, 2])}.`, 'the token is not a JWT: the payload is not a JSON object'],
    ['JSON null', `${b64url('null')}.${b64url({})}.`, 'the token is not a JWT: the header is not a JSON object'],
  ])('refuses %s with one reason', (_case, token, reason) => {
    expect(() => decodeJwt(token)).toThrow(new MalformedTokenError(reason));
  });
});

describe('decodeTokenForDisplay', () => {
  it('decodes the actor token nested in an S2S outer token and hides the signed actor token itself', () => {
    const view = decodeTokenForDisplay(OUTER_TOKEN);
    expect(view).toEqual({
      header: { typ: 'JWT', alg: 'none' },
      payload: { ...OUTER_PAYLOAD, actortoken: ACTOR_TOKEN_PLACEHOLDER },
      actortoken: { header: ACTOR_HEADER, payload: ACTOR_PAYLOAD },
    });
    expect(JSON.stringify(view)).not.toContain(SIGNATURE);
    expect(JSON.stringify(view)).not.toContain(ACTOR_TOKEN);
  });

  it('accepts surrounding whitespace and a Bearer prefix, as pasted from a header or piped with a newline', () => {
    expect(decodeTokenForDisplay(`  Bearer ${ACTOR_TOKEN}\n`)).toEqual({ header: ACTOR_HEADER, payload: ACTOR_PAYLOAD });
    expect(decodeTokenForDisplay(`bearer\t${ACTOR_TOKEN}`).header).toEqual(ACTOR_HEADER);
  });

  it('names the nested token when the actortoken claim is malformed', () => {
    const outer = jwt({ typ: 'JWT', alg: 'none' }, { actortoken: 'not-a-token' });
    expect(() => decodeTokenForDisplay(outer)).toThrow(new MalformedTokenError('the actortoken claim is not a JWT: expected 2 or 3 dot-separated segments, found 1'));
  });

  it('leaves a non-string actortoken claim as it is', () => {
    expect(decodeTokenForDisplay(jwt({ alg: 'none' }, { actortoken: 42 }))).toEqual({ header: { alg: 'none' }, payload: { actortoken: 42 } });
  });

  it('refuses empty input', () => {
    expect(() => decodeTokenForDisplay(' \n')).toThrow(new MalformedTokenError('no token given'));
  });

  it('never quotes the input in its messages', () => {
    const secretish = `${b64url({ alg: 'RS256' })}.${'Zm9vYmFy'}x.${SIGNATURE}`;
    try {
      decodeTokenForDisplay(secretish);
      throw new Error('expected a MalformedTokenError');
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedTokenError);
      expect((error as Error).message).not.toContain(SIGNATURE);
      expect((error as Error).message).not.toContain('Zm9vYmFy');
    }
  });
});
