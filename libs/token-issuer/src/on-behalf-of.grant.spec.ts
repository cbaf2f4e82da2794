import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { IssuerKey, TokenIssuerKeyRing } from '@s2s/certificates';
import type { CachedClient, ClientDirectory } from '@s2s/clients';
import { FrozenClock } from '@s2s/core';
import type { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { InvalidGrantError, type OAuthError } from '@s2s/oauth-wire';
import type { TokenStanding } from '@s2s/revocation';
import { OnBehalfOfGrant } from './on-behalf-of.grant.js';
import type { TokenSigner } from './token.signer.js';
import type { TokenTargetResolver } from './token-target.resolver.js';
import type { OAuthServerDirectory } from '@s2s/oauth-servers';
import type { TokenValidator } from '@s2s/validation';

/** No OAuth server is registered in these tests: every assertion is judged as this service's own. */
const NO_OAUTH_SERVERS = { byIssuerName: () => undefined } as unknown as OAuthServerDirectory;

/** 2026-12-06T08:00:00Z: every assertion time below is relative to this frozen instant. */
const NOW = new Date('2026-12-06T08:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const SKEW = 300;
const ISSUER = 'https://s2s.contoso.com';
const ENDPOINTS = { issuer: ISSUER, tokenEndpoint: `${ISSUER}/oauth2/token` };
const MIDDLE = '0b0f1e2d-3c4b-4a59-8877-665544332211';
const OTHER = '11111111-1111-4111-8111-111111111111';

/** Thrown by the target resolver stub: the assertion was accepted and the grant went on to the target. */
class AssertionAccepted extends Error {}

const ours = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const OUR_X5T = createHash('sha1').update('our certificate').digest('base64url');
const OTHER_X5T = createHash('sha1').update('another certificate').digest('base64url');

type Claims = Record<string, unknown>;

/** An RS256 token signed with node:crypto (never this project's signer). */
function signed(header: Claims, payload: Claims, key = ours.privateKey): string {
  const encode = (value: Claims): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A user token of this service for the middle-tier client, as the token endpoint issues it. */
function userToken(claims: Claims = {}, header: Claims = {}, drop: string[] = []): string {
  const payload: Claims = { iss: ISSUER, aud: MIDDLE, sub: 'alice@contoso.com', idtyp: 'user', tid: 'contoso.com', iat: NOW_S, nbf: NOW_S, exp: NOW_S + 3600, ...claims };
  const head: Claims = { alg: 'RS256', typ: 'at+jwt', kid: OUR_X5T, x5t: OUR_X5T, ...header };
  for (const name of drop) {
    delete payload[name];
    delete head[name];
  }
  return signed(head, payload);
}

describe('OnBehalfOfGrant: the user token is checked as the validator checks our own tokens', () => {
  const key = { x5t: OUR_X5T, publicKey: ours.publicKey } as IssuerKey;
  // The key ring's own lookup rule is used by the grant (issuerKeyIdOf); the ring itself is reduced to its one key.
  const keyRing = { publishedKey: (keyId: string) => (keyId === OUR_X5T ? key : undefined), published: () => [key] } as unknown as TokenIssuerKeyRing;
  const directory = { resourceByAppIdUri: (aud: string) => (aud === 'api://middle' ? { clientId: MIDDLE } : aud === 'api://other' ? { clientId: OTHER } : undefined) } as unknown as ClientDirectory;
  const configuration = { cached: () => ({ clockSkewSeconds: SKEW, accessTokenLifetimeSeconds: 3600 }) } as unknown as OAuthConfigurationService;
  const targets = {
    resolve: () => {
      throw new AssertionAccepted();
    },
  } as unknown as TokenTargetResolver;
  const client = { client: { clientId: MIDDLE, realm: 'contoso.com' }, scopes: new Map() } as unknown as CachedClient;
  // The standing rule has its own tests (libs/revocation); here every assertion still stands.
  /** What the standing rule answers (its own tests are in libs/revocation); null: the assertion stands. */
  let standingRefusal: { reason: string; message: string } | null = null;
  const seenByStanding: unknown[][] = [];
  const standing = {
    refusal: (...args: unknown[]) => {
      seenByStanding.push(args);
      return standingRefusal;
    },
  } as unknown as TokenStanding;
  afterEach(() => {
    standingRefusal = null;
    seenByStanding.length = 0;
  });
  const grant = new OnBehalfOfGrant(targets, {} as TokenSigner, keyRing, directory, configuration, new FrozenClock(NOW), standing, NO_OAUTH_SERVERS, {} as TokenValidator);

  async function outcome(assertion: string): Promise<'accepted' | { reason: string; description: string }> {
    const parameters = new Map([
      ['requested_token_use', 'on_behalf_of'],
      ['assertion', assertion],
    ]);
    try {
      await grant.handle(client, 'cred-1', parameters, ENDPOINTS);
    } catch (error) {
      if (error instanceof AssertionAccepted) return 'accepted';
      expect(error).toBeInstanceOf(InvalidGrantError);
      return { reason: (error as OAuthError).reason, description: (error as OAuthError).description };
    }
    throw new Error('the grant neither refused nor reached the target');
  }

  it('refuses an assertion that no longer stands with the standing rule\'s reason (token_revoked, client_disabled, …), after every other check', async () => {
    const assertion = userToken();
    standingRefusal = { reason: 'credential_revoked', message: 'the credential that obtained the token was removed from client x' };
    expect(await outcome(assertion)).toEqual({ reason: 'credential_revoked', description: 'the assertion is no longer valid: the credential that obtained the token was removed from client x' });
    expect(seenByStanding).toHaveLength(1);
    expect(seenByStanding[0]!.slice(0, 2)).toEqual(['self', ISSUER]);
    expect((seenByStanding[0]![2] as Record<string, unknown>).sub).toBe('alice@contoso.com');
    // A forged assertion is refused before the standing rule is asked.
    seenByStanding.length = 0;
    expect(await outcome(userToken({ iss: 'https://evil.example' }))).toMatchObject({ reason: 'assertion_issuer_mismatch' });
    expect(seenByStanding).toHaveLength(0);
  });

  it.each<[string, () => string]>([
    ['a user token for the client, named by kid and x5t', () => userToken()],
    ['named by kid only', () => userToken({}, {}, ['x5t'])],
    ['named by x5t only', () => userToken({}, {}, ['kid'])],
    ['for an API the client serves', () => userToken({ aud: 'api://middle' })],
    ['for the client id in another case', () => userToken({ aud: MIDDLE.toUpperCase() })],
    ['expired 299 s ago (within the 300 s skew)', () => userToken({ iat: NOW_S - 3600, nbf: NOW_S - 3600, exp: NOW_S - 299 })],
    ['nbf and iat 300 s ahead (within the skew)', () => userToken({ iat: NOW_S + 300, nbf: NOW_S + 300 })],
    ['without nbf and iat', () => userToken({}, {}, ['nbf', 'iat'])],
    ['with fractional dates (JSON numbers)', () => userToken({ iat: NOW_S + 0.5, exp: NOW_S + 60.25 })],
  ])('accepts %s', async (_name, make) => {
    expect(await outcome(make())).toBe('accepted');
  });

  it.each<[string, () => string, string, string]>([
    // Unchanged refusals, with their reason codes and public texts.
    ['an app token', () => userToken({ idtyp: 'app' }), 'assertion_not_user_token', 'the assertion is not a user token'],
    ['a token without sub', () => userToken({}, {}, ['sub']), 'assertion_not_user_token', 'the assertion is not a user token'],
    ['typ JWT (policy option typ)', () => userToken({}, { typ: 'JWT' }), 'assertion_not_user_token', 'the assertion is not a user token'],
    ['no typ', () => userToken({}, {}, ['typ']), 'assertion_not_user_token', 'the assertion is not a user token'],
    ['another issuer (policy option issuer)', () => userToken({ iss: 'https://other.contoso.com' }), 'assertion_issuer_mismatch', 'the assertion is not a token of this issuer'],
    ['a token for another client (policy option audience)', () => userToken({ aud: OTHER }), 'assertion_audience_mismatch', 'the assertion was not issued to this client'],
    ['a token for an API another client serves', () => userToken({ aud: 'api://other' }), 'assertion_audience_mismatch', 'the assertion was not issued to this client'],
    ['an audience array', () => userToken({ aud: [MIDDLE] }), 'assertion_audience_mismatch', 'the assertion was not issued to this client'],
    ['expired 300 s ago (policy option clockTolerance)', () => userToken({ iat: NOW_S - 3600, nbf: NOW_S - 3600, exp: NOW_S - SKEW }), 'assertion_expired', 'the assertion has expired'],
    ['no exp', () => userToken({}, {}, ['exp']), 'assertion_expired', 'the assertion has expired'],
    ['exp as a string (as before: expired)', () => userToken({ exp: String(NOW_S + 3600) }), 'assertion_expired', 'the assertion has expired'],
    ['nbf 301 s ahead', () => userToken({ nbf: NOW_S + 301 }), 'assertion_not_yet_valid', 'the assertion is not valid yet'],
    ['another realm', () => userToken({ tid: 'fabrikam.com' }), 'assertion_realm_mismatch', 'the assertion is from another realm'],
    ['an unknown key', () => userToken({}, { kid: OTHER_X5T, x5t: OTHER_X5T }), 'assertion_key_unknown', 'the assertion is not a token of this issuer'],
    ['a signature by another key', () => signed({ alg: 'RS256', typ: 'at+jwt', kid: OUR_X5T }, { iss: ISSUER, aud: MIDDLE, sub: 'a', idtyp: 'user', tid: 'contoso.com', exp: NOW_S + 60 }, stranger.privateKey), 'assertion_signature_invalid', 'the assertion signature is invalid'],
    ['PS256', () => userToken({}, { alg: 'PS256' }), 'assertion_alg_not_allowed', 'the assertion is not a token of this issuer'],
  ])('refuses %s', async (_name, make, reason, description) => {
    expect(await outcome(make())).toEqual({ reason, description });
  });

  describe('stricter since the grant shares the validator\u2019s self-token rules', () => {
    it('finds the key by kid, else x5t (the key ring rule): a kid naming no key is not rescued by a known x5t', async () => {
      // Before: any of kid and x5t matching a published key was enough.
      expect(await outcome(userToken({}, { kid: OTHER_X5T, x5t: OUR_X5T }))).toEqual({ reason: 'assertion_key_unknown', description: 'the assertion is not a token of this issuer' });
      expect(await outcome(userToken({}, { kid: 42, x5t: OUR_X5T }))).toBe('accepted');
    });

    it('refuses iat beyond the skew in the future, as the validator does (it was not checked)', async () => {
      expect(await outcome(userToken({ iat: NOW_S + SKEW + 1 }))).toEqual({ reason: 'assertion_not_yet_valid', description: 'the assertion is not valid yet' });
    });

    it('refuses a malformed nbf or iat (they were ignored unless numbers)', async () => {
      for (const claims of [{ nbf: String(NOW_S) }, { iat: String(NOW_S) }, { nbf: null }, { iat: -1 }, { nbf: [NOW_S] }]) {
        expect(await outcome(userToken(claims))).toEqual({ reason: 'assertion_claim_malformed', description: 'the assertion is malformed' });
      }
    });

    it('refuses an assertion valid for more than 24 h from iat, else nbf (accessTokenPolicy; SPEC 5.6 maximum lifetime)', async () => {
      const DAY = 86_400;
      const tooLong = { reason: 'assertion_lifetime_too_long', description: 'the assertion is malformed' };
      expect(await outcome(userToken({ exp: NOW_S + DAY }))).toBe('accepted');
      expect(await outcome(userToken({ exp: NOW_S + DAY + 1 }))).toEqual(tooLong);
      expect(await outcome(userToken({ exp: NOW_S + 10 * 365 * DAY }))).toEqual(tooLong);
      expect(await outcome(userToken({ nbf: NOW_S - 60, exp: NOW_S + DAY - 60 }, {}, ['iat']))).toBe('accepted');
      expect(await outcome(userToken({ nbf: NOW_S - 60, exp: NOW_S + DAY }, {}, ['iat']))).toEqual(tooLong);
    });

    it('accepts the RFC 9068 spelling application/at+jwt and any case of the media type (RFC 7515 4.1.9)', async () => {
      for (const typ of ['application/at+jwt', 'AT+JWT', 'Application/At+Jwt']) expect([typ, await outcome(userToken({}, { typ }))]).toEqual([typ, 'accepted']);
      expect(await outcome(userToken({}, { typ: 'application/jwt' }))).toEqual({ reason: 'assertion_not_user_token', description: 'the assertion is not a user token' });
    });

    it('judges the clock in whole seconds (jose): a millisecond clock decides as its second', async () => {
      const late = new OnBehalfOfGrant(targets, {} as TokenSigner, keyRing, directory, configuration, new FrozenClock(new Date(NOW.getTime() + 700)), standing, NO_OAUTH_SERVERS, {} as TokenValidator);
      const parameters = (assertion: string) => new Map([['requested_token_use', 'on_behalf_of'], ['assertion', assertion]]);
      // exp + skew = NOW + 0.3 s: current at NOW + 0.7 s, read as NOW.
      await expect(late.handle(client, 'cred-1', parameters(userToken({ iat: NOW_S - 3600, nbf: NOW_S - 3600, exp: NOW_S - SKEW + 0.3 })), ENDPOINTS)).rejects.toBeInstanceOf(AssertionAccepted);
    });

    it('refuses a negative exp as expired (a malformed exp keeps its old reason)', async () => {
      expect(await outcome(userToken({ exp: -1 }))).toEqual({ reason: 'assertion_expired', description: 'the assertion has expired' });
    });
  });
});
