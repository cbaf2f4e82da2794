import { randomBytes } from 'node:crypto';
import { type CachedClient, type ClientDirectory, type ClientRegistration, ClientSecretHasher } from '@s2s/clients';
import { AppConfig, MasterKey } from '@s2s/config';
import { FrozenClock } from '@s2s/core';
import { clientDirectoryOf, secretRegistration, testClient, testSecret } from '@s2s/testing';
import { AuthenticationBackoff } from './authentication.backoff.js';
import type { ClientAssertionVerifier } from './client-assertion.verifier.js';
import { ClientAuthenticationService } from './client-authentication.service.js';
import { ClientAuthenticator, PresentedAuthorization } from './client.authenticator.js';
import { InvalidClientError, InvalidRequestError, type OAuthError, TemporarilyUnavailableError } from './oauth.errors.js';

/** 2026-12-06T08:00:00Z: every wait is measured from this frozen instant. */
const NOW = new Date('2026-12-06T08:00:00Z');
const AUDIENCE = { issuer: 'https://s2s.contoso.com', tokenEndpoint: 'https://s2s.contoso.com/oauth2/token' };
const ADDRESS = '192.0.2.10';
const OTHER_ADDRESS = '192.0.2.11';
const CLIENT = '11111111-1111-4111-8111-111111111111';
const OTHER_CLIENT = '22222222-2222-4222-8222-222222222222';
const SECRET = 'kM3yKq2VnVbqjv0tq8n8b2m7cQyX1p3wJf5s9Yk2d0E';
const OTHER_SECRET = 'o7Hq2Vn0bqjv0tq8n8b2m7cQyX1p3wJf5s9Yk2d0Ez';
/** AUTH_BACKOFF_CLIENT_FAILURES / AUTH_BACKOFF_ADDRESS_FAILURES for these tests. */
const FREE_CLIENT_FAILURES = 2;
const FREE_ADDRESS_FAILURES = 4;

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`;
const form = (entries: Record<string, string> = {}): Map<string, string> => new Map(Object.entries(entries));

/** The rejection of `promise`, or a failure when it resolves. */
async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as OAuthError,
  );
}

/** The whole refusal, as the OAuth error filter and the refusal logs see it. */
function described(error: OAuthError): Record<string, unknown> {
  return {
    type: error.constructor.name,
    status: error.status,
    error: error.error,
    description: error.description,
    reason: error.reason,
    retryAfterSeconds: error instanceof TemporarilyUnavailableError ? error.retryAfterSeconds : undefined,
  };
}

const invalidClient = (reason: string): Record<string, unknown> => ({
  type: 'InvalidClientError',
  status: 401,
  error: 'invalid_client',
  description: 'client authentication failed',
  reason,
  retryAfterSeconds: undefined,
});
const backedOff = (kind: 'address' | 'client', seconds: number): Record<string, unknown> => ({
  type: 'TemporarilyUnavailableError',
  status: 429,
  error: 'temporarily_unavailable',
  description: `too many failed authentications; retry after ${seconds} s`,
  reason: `backoff_${kind}`,
  retryAfterSeconds: seconds,
});

/**
 * The back-off around client authentication (security catalogue G01), shared by the token endpoint
 * and introspection: a real {@link ClientAuthenticator} over an in-memory client directory, a real
 * {@link AuthenticationBackoff}, a frozen clock.
 */
describe('ClientAuthenticationService', () => {
  const masterKey = new MasterKey(randomBytes(32));
  const hasher = new ClientSecretHasher(masterKey);
  const registration = (clientId: string, secret: string): ClientRegistration =>
    secretRegistration(testClient(clientId, NOW), [testSecret(clientId, secret, hasher.hash(secret), NOW)]);

  let directory: ClientDirectory;
  let clock: FrozenClock;
  let backoff: AuthenticationBackoff;
  let service: ClientAuthenticationService;
  /** What the assertion verifier answers (private_key_jwt). */
  let assertionOutcome: () => Promise<CachedClient>;

  beforeAll(async () => {
    directory = await clientDirectoryOf([registration(CLIENT, SECRET), registration(OTHER_CLIENT, OTHER_SECRET)]);
  });

  beforeEach(() => {
    clock = new FrozenClock(NOW);
    backoff = new AuthenticationBackoff(clock, Object.assign(new AppConfig(), { authBackoff: { clientFailures: FREE_CLIENT_FAILURES, addressFailures: FREE_ADDRESS_FAILURES } }));
    assertionOutcome = () => Promise.reject(new Error('the verifier was not expected to be called'));
    const verifier = { verify: () => assertionOutcome() } as unknown as ClientAssertionVerifier;
    service = new ClientAuthenticationService(new ClientAuthenticator(directory, hasher, verifier, clock), backoff);
  });

  /** One client_secret_basic attempt; the refusal, or null on success. */
  const attempt = async (clientId: string, secret: string, address = ADDRESS): Promise<Record<string, unknown> | null> =>
    service.authenticate(form(), new PresentedAuthorization(basic(clientId, secret)), AUDIENCE, address).then(
      () => null,
      (error: unknown) => described(error as OAuthError),
    );

  it('authenticates a client with its secret and returns what the authenticator found', async () => {
    const authorization = new PresentedAuthorization(basic(CLIENT.toUpperCase(), SECRET));
    const authenticated = await service.authenticate(form(), authorization, AUDIENCE, ADDRESS);
    expect({ clientId: authenticated.cached.client.clientId, method: authenticated.method, claimed: authorization.claimedClientId }).toEqual({
      clientId: CLIENT,
      method: 'client_secret_basic',
      claimed: CLIENT,
    });
  });

  it('counts invalid_client failures against the claimed client: free ones, then 429 backoff_client with a doubling Retry-After', async () => {
    const answers = [];
    for (let guess = 0; guess <= FREE_CLIENT_FAILURES; guess += 1) answers.push(await attempt(CLIENT, `guess-${guess}`));
    expect(answers).toEqual([invalidClient('invalid_secret'), invalidClient('invalid_secret'), invalidClient('invalid_secret')]);
    // The third failure: 1 s. Even the right secret is refused, unchecked; so is the client from another address.
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('client', 1));
    expect(await attempt(CLIENT, 'guess', OTHER_ADDRESS)).toEqual(backedOff('client', 1));

    clock.advance(1_000);
    // The fourth failure: 2 s (the refusals in between were not counted as failures).
    expect(await attempt(CLIENT, 'guess-3')).toEqual(invalidClient('invalid_secret'));
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('client', 2));
    // Another client from the same address is not affected (4 address failures are still free).
    expect(await attempt(OTHER_CLIENT, OTHER_SECRET)).toBeNull();

    clock.advance(2_000);
    expect(await attempt(CLIENT, SECRET)).toBeNull();
  });

  it('counts the claimed client id case-insensitively and from client_secret_post as well', async () => {
    await attempt(CLIENT.toUpperCase(), 'guess-0');
    await service.authenticate(form({ client_id: CLIENT, client_secret: 'guess-1' }), new PresentedAuthorization(undefined), AUDIENCE, ADDRESS).catch(() => undefined);
    expect(await attempt(CLIENT, 'guess-2')).toEqual(invalidClient('invalid_secret'));
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('client', 1));
  });

  it('counts failures against the address too, unknown client ids included: 429 backoff_address, checked before the client', async () => {
    for (let guess = 0; guess < FREE_ADDRESS_FAILURES; guess += 1) {
      // Each a different made-up client: no client record reaches its limit.
      expect(await attempt(`made-up-${guess}`, 'guess')).toEqual(invalidClient('unknown_client'));
    }
    expect(await attempt('made-up-4', 'guess')).toEqual(invalidClient('unknown_client'));
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('address', 1));
    // Another address is not affected.
    expect(await attempt(CLIENT, SECRET, OTHER_ADDRESS)).toBeNull();

    // Address and client both backing off: the address answers first.
    clock.advance(500);
    for (let guess = 0; guess <= FREE_CLIENT_FAILURES; guess += 1) await attempt(CLIENT, 'guess', OTHER_ADDRESS);
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('address', 1));
    clock.advance(500);
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('client', 1));
    clock.advance(500);
    expect(await attempt(CLIENT, SECRET)).toBeNull();
  });

  it('clears the client record on success, so earlier failures no longer count', async () => {
    // From another address, so that the address stays within its free failures.
    for (let guess = 0; guess < FREE_CLIENT_FAILURES; guess += 1) await attempt(CLIENT, `guess-${guess}`, OTHER_ADDRESS);
    expect(await attempt(CLIENT, SECRET)).toBeNull();
    // Two more free failures after the reset, then the wait.
    expect([await attempt(CLIENT, 'guess-a'), await attempt(CLIENT, 'guess-b'), await attempt(CLIENT, 'guess-c')]).toEqual([
      invalidClient('invalid_secret'),
      invalidClient('invalid_secret'),
      invalidClient('invalid_secret'),
    ]);
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('client', 1));
  });

  it('does not clear the address record on success (one address may guess for many clients)', async () => {
    for (let guess = 0; guess <= FREE_ADDRESS_FAILURES; guess += 1) await attempt(`made-up-${guess}`, 'guess');
    clock.advance(1_000);
    expect(await attempt(CLIENT, SECRET)).toBeNull();
    expect(await attempt('made-up-again', 'guess')).toEqual(invalidClient('unknown_client'));
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('address', 2));
  });

  it('counts a failed private_key_jwt against the client_id it names', async () => {
    assertionOutcome = () => Promise.reject(new InvalidClientError('assertion_signature_invalid'));
    const assertion = form({ client_id: CLIENT, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'a.b.c' });
    for (let guess = 0; guess <= FREE_CLIENT_FAILURES; guess += 1) {
      expect(described(await refusal(service.authenticate(assertion, new PresentedAuthorization(undefined), AUDIENCE, ADDRESS)))).toEqual(invalidClient('assertion_signature_invalid'));
    }
    expect(await attempt(CLIENT, SECRET)).toEqual(backedOff('client', 1));
  });

  it.each<[string, Record<string, string>, string | undefined, string, string | null]>([
    ['malformed Basic credentials', {}, 'Basic !!!', 'malformed_basic_credentials', null],
    ['two authentication methods', { client_secret: 'guess' }, basic(CLIENT, 'guess'), 'multiple_authentication_methods', CLIENT],
    ['a Bearer Authorization header', { client_id: CLIENT, client_secret: 'guess' }, 'Bearer abc', 'unsupported_authorization_scheme', CLIENT],
  ])('does not count a malformed request (%s) as a failure', async (_name, body, header, reason, claimed) => {
    for (let count = 0; count <= FREE_ADDRESS_FAILURES; count += 1) {
      const authorization = new PresentedAuthorization(header);
      const error = await refusal(service.authenticate(form(body), authorization, AUDIENCE, ADDRESS));
      expect({ type: error.constructor.name, reason: error.reason, claimed: authorization.claimedClientId }).toEqual({ type: InvalidRequestError.name, reason, claimed });
    }
    expect(await attempt(CLIENT, SECRET)).toBeNull();
  });

  it('sets claimedClientId only once the address has passed its check, for the refusal log', async () => {
    for (let guess = 0; guess <= FREE_ADDRESS_FAILURES; guess += 1) await attempt(`made-up-${guess}`, 'guess');
    const refusedByAddress = new PresentedAuthorization(basic(CLIENT, SECRET));
    expect(described(await refusal(service.authenticate(form(), refusedByAddress, AUDIENCE, ADDRESS)))).toEqual(backedOff('address', 1));
    expect(refusedByAddress.claimedClientId).toBeNull();

    const refusedByClient = new PresentedAuthorization(basic(CLIENT, 'guess'));
    const error = await refusal(service.authenticate(form(), refusedByClient, AUDIENCE, OTHER_ADDRESS));
    expect({ reason: error.reason, claimed: refusedByClient.claimedClientId }).toEqual({ reason: 'invalid_secret', claimed: CLIENT });
  });
});
