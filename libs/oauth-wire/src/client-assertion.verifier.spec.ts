import { createHash, createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { AssertionReplayStore, type Client, type ClientDirectory, type ClientRegistration } from '@s2s/clients';
import { FrozenClock } from '@s2s/core';
import { certificateRegistration, clientDirectoryOf, OpenSslToolkit } from '@s2s/testing';
import jwt from 'jsonwebtoken';
import { ClientAssertionVerifier, JWT_BEARER_ASSERTION_TYPE } from './client-assertion.verifier.js';
import { InvalidClientError, type OAuthError, TemporarilyUnavailableError } from './oauth.errors.js';

/** 2026-11-22T12:00:00Z: every assertion time below is relative to this frozen instant. */
const NOW = new Date('2026-11-22T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const AUDIENCE = { issuer: 'https://s2s.contoso.com', tokenEndpoint: 'https://s2s.contoso.com/oauth2/token' };

const ONE = '0b0f1e2d-3c4b-4a59-8877-665544332211'; // one RSA certificate
const TWO = '11111111-1111-4111-8111-111111111111'; // two RSA certificates
const LEGACY = '22222222-2222-4222-8222-222222222222'; // token endpoint audience allowed
const DISABLED = '33333333-3333-4333-8333-333333333333';
const NO_CERT = '44444444-4444-4444-8444-444444444444';
const EC = '55555555-5555-4555-8555-555555555555'; // one EC P-256 certificate
const EXPIRING = '66666666-6666-4666-8666-666666666666'; // a certificate valid for one day
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

/** A certificate and key made by the openssl CLI, with identifiers computed independently of our code. */
interface Credential {
  certificatePem: string;
  privateKeyPem: string;
  /** base64url SHA-1 of the DER (openssl). */
  x5t: string;
  /** base64url SHA-256 of the DER. */
  x5tS256: string;
  sha1Hex: string;
  notAfter: Date;
}

/** Records every (client, jti) it is asked to store; can be made to fail like an unreachable database. */
class RecordingReplayStore extends AssertionReplayStore {
  readonly recorded = new Map<string, Date>();
  failure: Error | null = null;

  async recordOnce(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    if (this.failure) throw this.failure;
    const key = `${clientId} ${jti}`;
    if (this.recorded.has(key)) return false;
    this.recorded.set(key, expiresAt);
    return true;
  }

  async purgeExpired(): Promise<number> {
    return 0;
  }
}

/** What {@link refusal} hands back when the verifier accepted instead: its name shows in a failed expectation. */
class AssertionAccepted extends Error {
  constructor(clientId: string) {
    super(`the assertion was accepted for client ${clientId}`);
    this.name = 'AssertionAccepted';
  }
}

describe('ClientAssertionVerifier (private_key_jwt, RFC 7523 3)', () => {
  const openssl = new OpenSslToolkit();
  let one: Credential;
  let twoA: Credential;
  let twoB: Credential;
  let legacy: Credential;
  let disabled: Credential;
  let ec: Credential;
  let expiring: Credential;
  /** A key registered nowhere. */
  let stranger: Credential;
  let directory: ClientDirectory;
  let clock: FrozenClock;
  let replayStore: RecordingReplayStore;
  let verifier: ClientAssertionVerifier;

  function credential(cn: string, options: { days?: number; keyAlgorithm?: string } = {}): Credential {
    const made = openssl.selfSigned({ cn, days: options.days ?? 3650, keyAlgorithm: options.keyAlgorithm });
    const der = new X509Certificate(made.certificatePem).raw;
    return {
      certificatePem: made.certificatePem,
      privateKeyPem: made.privateKeyPem,
      x5t: openssl.x5t(made.certFile),
      x5tS256: createHash('sha256').update(der).digest('base64url'),
      sha1Hex: openssl.sha1Thumbprint(made.certFile),
      notAfter: new Date(new X509Certificate(made.certificatePem).validTo),
    };
  }

  const registration = (clientId: string, credentials: Credential[], overrides: Partial<Client> = {}): ClientRegistration =>
    certificateRegistration(clientId, credentials, NOW, { subject: 'CN=test', client: overrides });

  beforeAll(async () => {
    one = credential('one');
    twoA = credential('two-a');
    twoB = credential('two-b');
    legacy = credential('legacy');
    disabled = credential('disabled');
    ec = credential('ec', { keyAlgorithm: 'ec' });
    expiring = credential('expiring', { days: 1 });
    stranger = credential('stranger');
    const registrations = [
      registration(ONE, [one]),
      registration(TWO, [twoA, twoB]),
      registration(LEGACY, [legacy], { allowTokenEndpointAudience: true }),
      registration(DISABLED, [disabled], { enabled: false }),
      registration(NO_CERT, []),
      registration(EC, [ec]),
      registration(EXPIRING, [expiring]),
    ];
    directory = await clientDirectoryOf(registrations);
  });

  afterAll(() => openssl.dispose());

  beforeEach(() => {
    clock = new FrozenClock(NOW);
    replayStore = new RecordingReplayStore();
    verifier = new ClientAssertionVerifier(directory, replayStore, clock);
  });

  interface AssertionOptions {
    clientId?: string;
    claims?: Record<string, unknown>;
    omit?: string[];
    header?: Record<string, unknown>;
    /** Who signs; the default is the client's (first) certificate's key. */
    signer?: Credential;
    algorithm?: jwt.Algorithm;
    /** Sign with this secret instead of a private key (HMAC). */
    secret?: string;
    now?: number;
  }

  /** An assertion made by jsonwebtoken, the second JWT implementation (never our own signer). */
  function assertion(options: AssertionOptions = {}): string {
    const clientId = options.clientId ?? ONE;
    const now = options.now ?? NOW_S;
    const signer = options.signer ?? one;
    const payload: Record<string, unknown> = { iss: clientId, sub: clientId, aud: AUDIENCE.issuer, iat: now, exp: now + 300, jti: randomUUID(), ...options.claims };
    for (const name of options.omit ?? []) delete payload[name];
    const algorithm = options.algorithm ?? 'RS256';
    const header = options.header ?? { kid: signer.x5t, x5t: signer.x5t };
    const key = algorithm === 'none' ? '' : (options.secret ?? signer.privateKeyPem);
    return jwt.sign(payload, key, { algorithm, header: { alg: algorithm, ...header }, noTimestamp: !('iat' in payload) });
  }

  /**
   * An RS256 assertion signed with node:crypto directly, for claims jsonwebtoken refuses to
   * write (a string `exp`, a numeric `iss`).
   */
  function rawAssertion(payload: Record<string, unknown>, signer: Credential = one): string {
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: signer.x5t })}.${encode(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(signer.privateKeyPem)).toString('base64url')}`;
  }

  const baseClaims = (clientId = ONE): Record<string, unknown> => ({ iss: clientId, sub: clientId, aud: AUDIENCE.issuer, iat: NOW_S, exp: NOW_S + 300, jti: randomUUID() });

  async function refusal(token: string | undefined, options: { type?: string; bodyClientId?: string } = {}): Promise<unknown> {
    return verifier.verify(options.type ?? JWT_BEARER_ASSERTION_TYPE, token, options.bodyClientId, AUDIENCE).then(
      ({ cached }) => new AssertionAccepted(cached.client.clientId),
      (error: unknown) => error,
    );
  }

  function expectInvalidClient(error: unknown, reason: string): void {
    expect(error).toBeInstanceOf(InvalidClientError);
    expect((error as OAuthError).reason).toBe(reason);
    // One public text for every authentication failure (STYLE habit 6).
    expect((error as OAuthError).description).toBe('client authentication failed');
    expect((error as OAuthError).error).toBe('invalid_client');
    expect((error as OAuthError).status).toBe(401);
  }

  describe('accepts', () => {
    it.each<[string, () => string, string | undefined, string]>([
      ['RS256 with kid and x5t of the only certificate', () => assertion(), undefined, ONE],
      ['RS256 with x5t only', () => assertion({ header: { x5t: one.x5t } }), undefined, ONE],
      ['RS256 with x5t#S256 only', () => assertion({ header: { 'x5t#S256': one.x5tS256 } }), undefined, ONE],
      ['RS256 with kid = hex SHA-1 thumbprint in lowercase', () => assertion({ header: { kid: one.sha1Hex.toLowerCase() } }), undefined, ONE],
      ['RS256 without key identifier when the client has one certificate', () => assertion({ header: {} }), undefined, ONE],
      ['PS256', () => assertion({ algorithm: 'PS256' }), undefined, ONE],
      ['ES256 from a client with an EC P-256 certificate', () => assertion({ clientId: EC, signer: ec, algorithm: 'ES256' }), undefined, EC],
      ['the second certificate of a client with two, named by kid', () => assertion({ clientId: TWO, signer: twoB, header: { kid: twoB.x5t } }), undefined, TWO],
      ['the first certificate of a client with two, named by x5t#S256', () => assertion({ clientId: TWO, signer: twoA, header: { 'x5t#S256': twoA.x5tS256 } }), undefined, TWO],
      ['a body client_id equal to iss in another case', () => assertion(), ONE.toUpperCase(), ONE],
      ['iss and sub in uppercase (the client id is case-insensitive)', () => assertion({ claims: { iss: ONE.toUpperCase(), sub: ONE.toUpperCase() } }), undefined, ONE],
      ['aud = token endpoint for a client with the legacy flag', () => assertion({ clientId: LEGACY, signer: legacy, claims: { aud: AUDIENCE.tokenEndpoint } }), undefined, LEGACY],
      ['aud = issuer for a client with the legacy flag', () => assertion({ clientId: LEGACY, signer: legacy }), undefined, LEGACY],
      ['iat and nbf 8 s in the future', () => assertion({ claims: { iat: NOW_S + 8, nbf: NOW_S + 8, exp: NOW_S + 308 } }), undefined, ONE],
      ['iat and nbf exactly 60 s in the future', () => assertion({ claims: { iat: NOW_S + 60, nbf: NOW_S + 60, exp: NOW_S + 360 } }), undefined, ONE],
      ['exp 9 s in the past (within the 10 s tolerance)', () => assertion({ claims: { iat: NOW_S - 120, exp: NOW_S - 9 } }), undefined, ONE],
      ['exp - iat = 600 s exactly', () => assertion({ claims: { iat: NOW_S, exp: NOW_S + 600 } }), undefined, ONE],
      ['a jti of 256 characters', () => assertion({ claims: { jti: 'j'.repeat(256) } }), undefined, ONE],
    ])('%s', async (_name, make, bodyClientId, clientId) => {
      const { cached, credentialId } = await verifier.verify(JWT_BEARER_ASSERTION_TYPE, make(), bodyClientId, AUDIENCE);
      // The certificate that signed it: what the token records as cred.
      expect(cached.certificates.filter((certificate) => certificate.credentialId === credentialId)).toHaveLength(1);
      expect(cached.client.clientId).toBe(clientId);
      expect(cached).toBe(directory.client(clientId));
      expect(replayStore.recorded.size).toBe(1);
    });

    it('records the jti under the client id until exp + 10 s tolerance + 60 s future skew', async () => {
      const jti = randomUUID();
      await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion({ claims: { jti, exp: NOW_S + 120 } }), undefined, AUDIENCE);
      expect([...replayStore.recorded]).toEqual([[`${ONE} ${jti}`, new Date((NOW_S + 120 + 10 + 60) * 1000)]]);
    });
  });

  describe('refuses with invalid_client and records nothing', () => {
    it.each<[string, () => string | undefined, { type?: string; bodyClientId?: string }, string]>([
      // client_assertion_type (G11)
      ['a missing client_assertion_type', () => assertion(), { type: '' }, 'assertion_type_invalid'],
      ['the SAML bearer assertion type', () => assertion(), { type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }, 'assertion_type_invalid'],
      ['the assertion type in another case', () => assertion(), { type: JWT_BEARER_ASSERTION_TYPE.toUpperCase() }, 'assertion_type_invalid'],
      // strict pre-parser (reason prefixed "assertion_")
      ['no assertion', () => undefined, {}, 'assertion_token_missing'],
      ['two segments', () => assertion().split('.').slice(0, 2).join('.'), {}, 'assertion_malformed_token'],
      ['padding in the signature', () => `${assertion()}=`, {}, 'assertion_invalid_base64url'],
      ['a payload with a duplicate iss', () => { const [h, , s] = assertion().split('.'); return `${h}.${Buffer.from(`{"iss":"${UNKNOWN}","iss":"${ONE}"}`).toString('base64url')}.${s}`; }, {}, 'assertion_duplicate_json_key'],
      ['a jwk header carrying the attacker key', () => assertion({ signer: stranger, header: { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } } }), {}, 'assertion_forbidden_header'],
      ['a jku header', () => assertion({ header: { kid: one.x5t, jku: 'https://evil.example/jwks' } }), {}, 'assertion_forbidden_header'],
      // algorithm (G12)
      ['alg none', () => assertion({ algorithm: 'none' }), {}, 'assertion_unsigned_token'],
      ['HS256 keyed with the client certificate', () => assertion({ algorithm: 'HS256', secret: one.certificatePem }), {}, 'assertion_alg_not_allowed'],
      ['RS512 with the right key', () => assertion({ algorithm: 'RS512' }), {}, 'assertion_alg_not_allowed'],
      ['ES256 naming the RSA certificate', () => assertion({ signer: ec, algorithm: 'ES256', header: { kid: one.x5t } }), {}, 'assertion_alg_key_mismatch'],
      ['RS256 naming the EC certificate', () => assertion({ clientId: EC, signer: one, header: { kid: ec.x5t } }), {}, 'assertion_alg_key_mismatch'],
      // issuer, subject, client id
      ['no iss', () => assertion({ omit: ['iss'] }), {}, 'assertion_iss_missing'],
      ['an empty iss', () => assertion({ claims: { iss: '', sub: '' } }), {}, 'assertion_iss_missing'],
      ['a numeric iss', () => rawAssertion({ ...baseClaims(), iss: 42, sub: 42 }), {}, 'assertion_iss_missing'],
      ['no sub', () => assertion({ omit: ['sub'] }), {}, 'assertion_sub_mismatch'],
      ['sub ≠ iss', () => assertion({ claims: { sub: TWO } }), {}, 'assertion_sub_mismatch'],
      ['sub = iss in another case', () => assertion({ claims: { sub: ONE.toUpperCase() } }), {}, 'assertion_sub_mismatch'],
      ['a body client_id ≠ iss', () => assertion(), { bodyClientId: TWO }, 'client_id_mismatch'],
      ['an unknown client', () => assertion({ clientId: UNKNOWN }), {}, 'unknown_client'],
      // key selection: the client's own certificates only
      ['an unknown kid', () => assertion({ header: { kid: stranger.x5t } }), {}, 'assertion_key_unknown'],
      ['the kid of another client\u2019s certificate, signed by that client', () => assertion({ signer: twoA, header: { kid: twoA.x5t } }), {}, 'assertion_key_unknown'],
      ['kid and x5t naming different certificates', () => assertion({ clientId: TWO, signer: twoA, header: { kid: twoA.x5t, x5t: twoB.x5t } }), {}, 'assertion_key_unknown'],
      ['no kid when the client has two certificates', () => assertion({ clientId: TWO, signer: twoA, header: {} }), {}, 'assertion_key_not_identified'],
      ['a client without certificates', () => assertion({ clientId: NO_CERT, header: {} }), {}, 'client_has_no_certificate'],
      ['a kid for a client without certificates', () => assertion({ clientId: NO_CERT }), {}, 'assertion_key_unknown'],
      // signature
      ['a signature by another key naming the client certificate', () => assertion({ signer: stranger, header: { kid: one.x5t } }), {}, 'assertion_signature_invalid'],
      ['a signature by another key with its own certificate in x5c', () => assertion({ signer: stranger, header: { x5c: [new X509Certificate(stranger.certificatePem).raw.toString('base64')] } }), {}, 'assertion_signature_invalid'],
      ['a payload changed after signing', () => { const [h, , s] = assertion().split('.'); return `${h}.${Buffer.from(JSON.stringify({ ...baseClaims(), exp: NOW_S + 299 })).toString('base64url')}.${s}`; }, {}, 'assertion_signature_invalid'],
      // audience (G08)
      ['aud = token endpoint without the legacy flag', () => assertion({ claims: { aud: AUDIENCE.tokenEndpoint } }), {}, 'assertion_audience_invalid'],
      ['aud as an array [issuer]', () => assertion({ claims: { aud: [AUDIENCE.issuer] } }), {}, 'assertion_audience_invalid'],
      ['aud as an array [token endpoint] with the legacy flag', () => assertion({ clientId: LEGACY, signer: legacy, claims: { aud: [AUDIENCE.tokenEndpoint] } }), {}, 'assertion_audience_invalid'],
      ['aud = issuer with a trailing slash', () => assertion({ claims: { aud: `${AUDIENCE.issuer}/` } }), {}, 'assertion_audience_invalid'],
      ['aud = another authorization server', () => assertion({ claims: { aud: 'https://login.example.com' } }), {}, 'assertion_audience_invalid'],
      ['no aud', () => assertion({ omit: ['aud'] }), {}, 'assertion_audience_invalid'],
      // time (G09, G10)
      ['exp 5 min in the past', () => assertion({ claims: { iat: NOW_S - 400, exp: NOW_S - 300 } }), {}, 'assertion_expired'],
      ['exp exactly 10 s in the past', () => assertion({ claims: { iat: NOW_S - 120, exp: NOW_S - 10 } }), {}, 'assertion_expired'],
      ['no exp', () => assertion({ omit: ['exp'] }), {}, 'assertion_exp_missing'],
      ['exp as a string', () => rawAssertion({ ...baseClaims(), exp: String(NOW_S + 300) }), {}, 'assertion_exp_missing'],
      ['nbf 61 s in the future', () => assertion({ claims: { nbf: NOW_S + 61 } }), {}, 'assertion_not_yet_valid'],
      ['nbf as a string', () => rawAssertion({ ...baseClaims(), nbf: String(NOW_S) }), {}, 'assertion_not_yet_valid'],
      ['iat 61 s in the future', () => assertion({ claims: { iat: NOW_S + 61, exp: NOW_S + 361 } }), {}, 'assertion_issued_in_future'],
      ['no iat', () => assertion({ omit: ['iat'] }), {}, 'assertion_iat_missing'],
      ['exp - iat = 601 s', () => assertion({ claims: { iat: NOW_S, exp: NOW_S + 601 } }), {}, 'assertion_lifetime_too_long'],
      ['exp a year ahead', () => assertion({ claims: { exp: NOW_S + 365 * 86_400 } }), {}, 'assertion_lifetime_too_long'],
      // jti
      ['no jti', () => assertion({ omit: ['jti'] }), {}, 'assertion_jti_missing'],
      ['an empty jti', () => assertion({ claims: { jti: '' } }), {}, 'assertion_jti_missing'],
      ['a numeric jti', () => assertion({ claims: { jti: 12345 } }), {}, 'assertion_jti_missing'],
      ['a jti of 257 characters', () => assertion({ claims: { jti: 'j'.repeat(257) } }), {}, 'assertion_jti_missing'],
      // client state (G13)
      ['a disabled client', () => assertion({ clientId: DISABLED, signer: disabled }), {}, 'client_disabled'],
    ])('%s', async (_name, make, options, reason) => {
      expectInvalidClient(await refusal(make(), options), reason);
      expect(replayStore.recorded.size).toBe(0);
    });
  });

  it('refuses an assertion signed with the key of a registered certificate that has expired', async () => {
    // The certificate is valid for one day; a minute after its notAfter it is no longer a credential.
    clock.set(new Date(expiring.notAfter.getTime() + 60_000));
    const now = Math.floor(clock.now().getTime() / 1000);
    const error = await refusal(assertion({ clientId: EXPIRING, signer: expiring, now }));
    expect(error).toBeInstanceOf(InvalidClientError);
    expect((error as OAuthError).description).toBe('client authentication failed');
    expect((error as OAuthError).reason).toMatch(/expired/);
    expect(replayStore.recorded.size).toBe(0);
  });

  it('follows the audience it is given (the policy is rebuilt for another issuer, not reused)', async () => {
    const moved = { issuer: 'https://s2s.fabrikam.com', tokenEndpoint: 'https://s2s.fabrikam.com/oauth2/token' };
    await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion(), undefined, AUDIENCE);
    const stale = await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion(), undefined, moved).catch((error: unknown) => error);
    expectInvalidClient(stale, 'assertion_audience_invalid');
    const { cached } = await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion({ claims: { aud: moved.issuer } }), undefined, moved);
    expect(cached.client.clientId).toBe(ONE);
    const legacyEndpoint = assertion({ clientId: LEGACY, signer: legacy, claims: { aud: moved.tokenEndpoint } });
    expect((await verifier.verify(JWT_BEARER_ASSERTION_TYPE, legacyEndpoint, undefined, moved)).cached.client.clientId).toBe(LEGACY);
  });

  describe('single use of the jti (G06, G07)', () => {
    it('refuses the same assertion the second time', async () => {
      const token = assertion();
      await verifier.verify(JWT_BEARER_ASSERTION_TYPE, token, undefined, AUDIENCE);
      expectInvalidClient(await refusal(token), 'assertion_replayed');
      expect(replayStore.recorded.size).toBe(1);
    });

    it('refuses a new assertion reusing a jti (the key is the jti, not the token text)', async () => {
      const jti = randomUUID();
      await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion({ claims: { jti } }), undefined, AUDIENCE);
      expectInvalidClient(await refusal(assertion({ algorithm: 'PS256', claims: { jti, iat: NOW_S + 1, exp: NOW_S + 200 } })), 'assertion_replayed');
    });

    it('keys the jti per client: another client may use the same jti', async () => {
      const jti = randomUUID();
      await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion({ claims: { jti } }), undefined, AUDIENCE);
      await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion({ clientId: EC, signer: ec, algorithm: 'ES256', claims: { jti } }), undefined, AUDIENCE);
      expect([...replayStore.recorded.keys()].sort()).toEqual([`${ONE} ${jti}`, `${EC} ${jti}`].sort());
    });

    it('does not record the jti of a badly signed or unsigned assertion, so the genuine one still works (no pre-burn)', async () => {
      const victimJti = randomUUID();
      const forged = [
        assertion({ signer: stranger, header: { kid: one.x5t }, claims: { jti: victimJti } }),
        assertion({ algorithm: 'none', claims: { jti: victimJti } }),
        assertion({ algorithm: 'HS256', secret: one.certificatePem, claims: { jti: victimJti } }),
        // Well signed, but expired: refused before the jti is stored too.
        assertion({ claims: { jti: victimJti, iat: NOW_S - 400, exp: NOW_S - 300 } }),
      ];
      const reasons: string[] = [];
      for (const token of forged) reasons.push(((await refusal(token)) as OAuthError).reason);
      expect(reasons).toEqual(['assertion_signature_invalid', 'assertion_unsigned_token', 'assertion_alg_not_allowed', 'assertion_expired']);
      expect(replayStore.recorded.size).toBe(0);

      const { cached } = await verifier.verify(JWT_BEARER_ASSERTION_TYPE, assertion({ claims: { jti: victimJti } }), undefined, AUDIENCE);
      expect(cached.client.clientId).toBe(ONE);
      expect([...replayStore.recorded.keys()]).toEqual([`${ONE} ${victimJti}`]);
    });

    it('answers 503 temporarily_unavailable when the replay store fails, never skipping the check', async () => {
      replayStore.failure = new Error('connection refused');
      const error = await refusal(assertion());
      expect(error).toBeInstanceOf(TemporarilyUnavailableError);
      expect((error as TemporarilyUnavailableError).reason).toBe('replay_store_unavailable');
      expect((error as TemporarilyUnavailableError).description).toBe('the replay store is unavailable; retry later');
      expect((error as TemporarilyUnavailableError).error).toBe('temporarily_unavailable');
      expect((error as TemporarilyUnavailableError).status).toBe(503);
      expect((error as TemporarilyUnavailableError).retryAfterSeconds).toBeUndefined();
    });
  });
});
