import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { type CachedClient, type ClientDirectory, type ClientRegistration, ClientSecretHasher } from '@s2s/clients';
import { MasterKey } from '@s2s/config';
import { FrozenClock } from '@s2s/core';
import { caught, clientDirectoryOf, secretRegistration, testClient, testSecret } from '@s2s/testing';
import type { AssertedClient, ClientAssertionVerifier } from './client-assertion.verifier.js';
import { ClientAuthenticator, decodeBasic, PresentedAuthorization } from './client.authenticator.js';
import { InvalidClientError, InvalidRequestError, type OAuthError } from './oauth.errors.js';

/** 2026-11-22T12:00:00Z: secrets expire relative to this instant. */
const NOW = new Date('2026-11-22T12:00:00Z');
const AUDIENCE = { issuer: 'https://s2s.contoso.com', tokenEndpoint: 'https://s2s.contoso.com/oauth2/token' };

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 appendix B), by the platform. */
const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
/** `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 2.3.1). */
const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`, 'utf8').toString('base64')}`;
const basicRaw = (text: string): string => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
/** The Authorization header as the token endpoint reads it. */
const header = (value?: string): PresentedAuthorization => new PresentedAuthorization(value);

function expectOAuthError(error: unknown, type: new (...args: never[]) => OAuthError, reason: string, description: string): void {
  expect(error).toBeInstanceOf(type);
  expect((error as OAuthError).reason).toBe(reason);
  expect((error as OAuthError).description).toBe(description);
  expect((error as OAuthError).message).toBe(description);
}

describe('decodeBasic (RFC 6749 2.3.1 and appendix B)', () => {
  it.each<[string, string, string]>([
    ['plain values', 'client-1', 'secret'],
    ['a secret with ":", "%", "+" and spaces', 'client-1', 'p:a%s+s w o:r%d'],
    ['a client id with ":" (only the first raw colon separates)', 'urn:contoso:client', 'x:y'],
    ['a secret of base64url characters', '0b0f1e2d-3c4b-4a59-8877-665544332211', 'Zm9v-YmFy_YmF6LXF1eA'],
    ['non-ASCII characters (UTF-8, percent-encoded)', 'jöran', 'pässwörd €'],
    ['a secret that looks percent-encoded once decoded', 'client-1', '%41%2B'],
  ])('round-trips %s', (_name, id, secret) => {
    expect(decodeBasic(basic(id, secret))).toEqual({ clientId: id, secret });
  });

  it('decodes "+" as a space and %XX as bytes, as form-urlencoding says', () => {
    expect(decodeBasic(basicRaw('my+client:a+b%2Bc%3Ad%25'))).toEqual({ clientId: 'my client', secret: 'a b+c:d%' });
  });

  it('accepts a raw (unencoded) colon inside the secret, splitting at the first one', () => {
    expect(decodeBasic(basicRaw('client-1:pa:ss'))).toEqual({ clientId: 'client-1', secret: 'pa:ss' });
  });

  it('accepts the scheme in any case and extra spaces before the credentials', () => {
    const encoded = Buffer.from('client-1:secret').toString('base64');
    expect(decodeBasic(`basic ${encoded}`)).toEqual({ clientId: 'client-1', secret: 'secret' });
    expect(decodeBasic(`BASIC   ${encoded}  `)).toEqual({ clientId: 'client-1', secret: 'secret' });
  });

  it.each<[string, string]>([
    ['no colon', basicRaw('client-1secret')],
    ['bad base64 characters', 'Basic !!!!'],
    ['base64url instead of base64', `Basic ${Buffer.from('client~~>:secret??>').toString('base64url')}`],
    ['a "$" in the credentials', 'Basic Y2xpZW50LTE6c2VjcmV0$'],
    ['padding in the middle', 'Basic Y2xp=ZW50LTE6c2VjcmV0'],
    ['nothing after the scheme', 'Basic '],
    ['no credentials at all', 'Basic'],
    ['an empty client id', basicRaw(':secret')],
    ['an empty secret', basicRaw('client-1:')],
    ['an invalid percent escape in the secret', basicRaw('client-1:%zz')],
    ['a truncated percent escape in the client id', basicRaw('client%4:secret')],
    ['percent-encoded invalid UTF-8', basicRaw('client-1:%C3%28')],
  ])('refuses %s with invalid_request malformed_basic_credentials', (_name, header) => {
    expectOAuthError(caught(() => decodeBasic(header)), InvalidRequestError, 'malformed_basic_credentials', 'the Basic credentials are malformed');
  });
});

describe('ClientAuthenticator', () => {
  const masterKey = new MasterKey(randomBytes(32));
  /** The stored hash computed independently: HMAC-SHA-256 under HKDF(master key, "s2s-trust:client-secret-hash"). */
  const storedHash = (secret: string): string =>
    createHmac('sha256', Buffer.from(hkdfSync('sha256', masterKey.key, Buffer.alloc(0), 's2s-trust:client-secret-hash', 32))).update(secret, 'utf8').digest('base64url');

  const ACTIVE = '11111111-1111-4111-8111-111111111111';
  const DISABLED = '22222222-2222-4222-8222-222222222222';
  const NO_SECRET = '33333333-3333-4333-8333-333333333333';
  const ROTATING = '44444444-4444-4444-8444-444444444444';
  const UNKNOWN = '99999999-9999-4999-8999-999999999999';
  const SECRET = 'kM3yKq2VnVbqjv0tq8n8b2m7cQyX1p3wJf5s9Yk2d0E';
  const EXPIRED_SECRET = 'expired-secret-expired-secret-expired-secr';
  const NEW_SECRET = 'new-secret-new-secret-new-secret-new-secre';

  const secret = (clientId: string, value: string, expiresAt: Date | null = null) => testSecret(clientId, value, storedHash(value), NOW, expiresAt);
  const registrations: ClientRegistration[] = [
    secretRegistration(testClient(ACTIVE, NOW), [secret(ACTIVE, SECRET)]),
    secretRegistration(testClient(DISABLED, NOW, { enabled: false }), [secret(DISABLED, SECRET)]),
    secretRegistration(testClient(NO_SECRET, NOW), []),
    secretRegistration(
      testClient(ROTATING, NOW),
      // The old secret expired exactly now (expiry is exclusive); the new one is current.
      [secret(ROTATING, EXPIRED_SECRET, NOW), secret(ROTATING, NEW_SECRET, new Date(NOW.getTime() + 86_400_000))],
    ),
  ];

  let directory: ClientDirectory;
  let authenticator: ClientAuthenticator;
  /** Records its calls; answers with `outcome`. */
  let assertionCalls: unknown[][];
  let assertionOutcome: () => Promise<AssertedClient>;

  beforeAll(async () => {
    directory = await clientDirectoryOf(registrations);
  });

  beforeEach(() => {
    assertionCalls = [];
    assertionOutcome = () => Promise.reject(new Error('the verifier was not expected to be called'));
    const verifier = {
      verify: (...args: unknown[]) => {
        assertionCalls.push(args);
        return assertionOutcome();
      },
    };
    authenticator = new ClientAuthenticator(directory, new ClientSecretHasher(masterKey), verifier as unknown as ClientAssertionVerifier, new FrozenClock(NOW));
  });

  const form = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));

  describe('accepts', () => {
    it('client_secret_basic with the current secret', async () => {
      const result = await authenticator.authenticate(form({ grant_type: 'client_credentials' }), header(basic(ACTIVE, SECRET)), AUDIENCE);
      expect(result.method).toBe('client_secret_basic');
      expect(result.cached.client.clientId).toBe(ACTIVE);
    });

    it('client_secret_basic with an uppercase client id and the same id in the body', async () => {
      const result = await authenticator.authenticate(form({ client_id: ACTIVE.toUpperCase() }), header(basic(ACTIVE.toUpperCase(), SECRET)), AUDIENCE);
      expect(result.cached.client.clientId).toBe(ACTIVE);
    });

    it('client_secret_post', async () => {
      const result = await authenticator.authenticate(form({ client_id: ACTIVE, client_secret: SECRET }), header(), AUDIENCE);
      expect(result).toMatchObject({ method: 'client_secret_post', cached: { client: { clientId: ACTIVE } } });
    });

    it('the new secret of a client whose old secret has expired', async () => {
      const result = await authenticator.authenticate(form({ client_id: ROTATING, client_secret: NEW_SECRET }), header(), AUDIENCE);
      expect(result.cached.client.clientId).toBe(ROTATING);
    });

    it('private_key_jwt, handing the assertion, its type, the body client_id and the audience to the verifier', async () => {
      const cached = directory.client(ACTIVE) as CachedClient;
      assertionOutcome = () => Promise.resolve({ cached, credentialId: cached.certificates[0]?.credentialId ?? 'certificate-credential' });
      const parameters = form({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'a.b.c', client_id: ACTIVE });
      const result = await authenticator.authenticate(parameters, header(), AUDIENCE);
      expect(result).toEqual({ cached, method: 'private_key_jwt', credentialId: cached.certificates[0]?.credentialId ?? 'certificate-credential' });
      expect(assertionCalls).toEqual([['urn:ietf:params:oauth:client-assertion-type:jwt-bearer', 'a.b.c', ACTIVE, AUDIENCE]]);
    });

    it('private_key_jwt when only client_assertion_type is sent (the verifier then refuses the missing assertion)', async () => {
      assertionOutcome = () => Promise.reject(new InvalidClientError('assertion_token_missing'));
      const error = await authenticator.authenticate(form({ client_assertion_type: 'x' }), header(), AUDIENCE).catch((e: unknown) => e);
      expectOAuthError(error, InvalidClientError, 'assertion_token_missing', 'client authentication failed');
      expect(assertionCalls).toEqual([['x', undefined, undefined, AUDIENCE]]);
    });
  });

  describe('refuses', () => {
    it.each<[string, Record<string, string>, string | undefined, new (...args: never[]) => OAuthError, string, string]>([
      ['a Bearer Authorization header', { client_id: ACTIVE }, 'Bearer abc', InvalidRequestError, 'unsupported_authorization_scheme', 'the Authorization header must use the Basic scheme at the token endpoint'],
      ['a Digest Authorization header', { client_id: ACTIVE, client_secret: SECRET }, 'Digest username="x"', InvalidRequestError, 'unsupported_authorization_scheme', 'the Authorization header must use the Basic scheme at the token endpoint'],
      ['Basic and client_secret together (G03)', { client_secret: SECRET }, basic(ACTIVE, SECRET), InvalidRequestError, 'multiple_authentication_methods', 'use exactly one client authentication method'],
      ['client_secret and client_assertion together (G03)', { client_id: ACTIVE, client_secret: SECRET, client_assertion: 'a.b.c' }, undefined, InvalidRequestError, 'multiple_authentication_methods', 'use exactly one client authentication method'],
      ['Basic and client_assertion_type together (G03)', { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' }, basic(ACTIVE, SECRET), InvalidRequestError, 'multiple_authentication_methods', 'use exactly one client authentication method'],
      ['no client authentication', { client_id: ACTIVE, grant_type: 'client_credentials' }, undefined, InvalidClientError, 'no_client_authentication', 'client authentication failed'],
      ['a body client_id that differs from the Basic one (G04)', { client_id: DISABLED }, basic(ACTIVE, SECRET), InvalidRequestError, 'client_id_mismatch', 'client_id differs from the Authorization header'],
      ['malformed Basic credentials', {}, 'Basic !!!', InvalidRequestError, 'malformed_basic_credentials', 'the Basic credentials are malformed'],
      ['client_secret_post without client_id', { client_secret: SECRET }, undefined, InvalidClientError, 'client_id_missing', 'client authentication failed'],
      ['an unknown client (G13)', {}, basic(UNKNOWN, SECRET), InvalidClientError, 'unknown_client', 'client authentication failed'],
      ['an unknown client id that is not a GUID', { client_id: 'admin', client_secret: SECRET }, undefined, InvalidClientError, 'unknown_client', 'client authentication failed'],
      ['a wrong secret', {}, basic(ACTIVE, `${SECRET.slice(0, -1)}F`), InvalidClientError, 'invalid_secret', 'client authentication failed'],
      ['the secret of another client', { client_id: ROTATING, client_secret: SECRET }, undefined, InvalidClientError, 'invalid_secret', 'client authentication failed'],
      ['the stored hash presented as the secret', { client_id: ACTIVE, client_secret: storedHash(SECRET) }, undefined, InvalidClientError, 'invalid_secret', 'client authentication failed'],
      ['a secret that expired exactly now', { client_id: ROTATING, client_secret: EXPIRED_SECRET }, undefined, InvalidClientError, 'invalid_secret', 'client authentication failed'],
      ['a client without any secret', { client_id: NO_SECRET, client_secret: SECRET }, undefined, InvalidClientError, 'client_has_no_secret', 'client authentication failed'],
      ['a disabled client with its right secret (G13)', {}, basic(DISABLED, SECRET), InvalidClientError, 'client_disabled', 'client authentication failed'],
      ['a disabled client with a wrong secret (the secret is checked first)', { client_id: DISABLED, client_secret: 'wrong' }, undefined, InvalidClientError, 'invalid_secret', 'client authentication failed'],
    ])('%s', async (_name, body, authorization, type, reason, description) => {
      const error = await authenticator.authenticate(form(body), header(authorization), AUDIENCE).catch((e: unknown) => e);
      expectOAuthError(error, type, reason, description);
      expect(assertionCalls).toEqual([]);
    });
  });

  describe('claimedClientId (for back-off before the checks)', () => {
    it.each<[string, Record<string, string>, string | undefined, string | null]>([
      ['the Basic client id, lowercased', { client_id: 'other' }, basic(ACTIVE.toUpperCase(), 'x'), ACTIVE],
      ['the body client_id, lowercased', { client_id: 'ABC' }, undefined, 'abc'],
      ['null for malformed Basic credentials', { client_id: 'abc' }, 'Basic !!!', null],
      ['the body client_id when the header is not Basic', { client_id: 'abc' }, 'Bearer x', 'abc'],
      ['null when no client id is given', {}, undefined, null],
    ])('returns %s', (_name, body, authorization, expected) => {
      expect(authenticator.claimedClientId(form(body), header(authorization))).toBe(expected);
    });

    it('and authenticate share one decoding of the header: the same credentials, the same refusal', async () => {
      const presented = new PresentedAuthorization(basic(ACTIVE, SECRET));
      expect(authenticator.claimedClientId(form({}), presented)).toBe(ACTIVE);
      const first = presented.basicCredentials();
      expect((await authenticator.authenticate(form({}), presented, AUDIENCE)).cached.client.clientId).toBe(ACTIVE);
      expect(presented.basicCredentials()).toBe(first);

      const malformed = new PresentedAuthorization('Basic !!!');
      expect(authenticator.claimedClientId(form({}), malformed)).toBeNull();
      const refusal = caught(() => malformed.basicCredentials());
      expectOAuthError(refusal, InvalidRequestError, 'malformed_basic_credentials', 'the Basic credentials are malformed');
      expect(await authenticator.authenticate(form({}), malformed, AUDIENCE).catch((e: unknown) => e)).toBe(refusal);
    });
  });
});

describe('PresentedAuthorization', () => {
  it.each<[string, string | undefined, boolean]>([
    ['no header', undefined, false],
    ['Basic', 'Basic abc', true],
    ['basic in lower case', 'basic abc', true],
    ['Bearer', 'Bearer abc', false],
    ['a scheme that only starts with Basic', 'Basicx abc', false],
  ])('%s: isBasic is %s', (_name, header, expected) => {
    expect(new PresentedAuthorization(header).isBasic).toBe(expected);
  });
});
