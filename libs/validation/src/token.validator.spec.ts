import 'reflect-metadata';
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { IssuerKey, TokenIssuerKeyRing, TokenIssuerWithdrawals } from '@s2s/certificates';
import type { ClientDirectory } from '@s2s/clients';
import type { AppConfig } from '@s2s/config';
import { type CacheFreshness, type ChangeFeed, FrozenClock } from '@s2s/core';
import type { OAuthConfiguration, OAuthConfigurationService } from '@s2s/oauth-configuration';
import type { CachedOAuthServer, OAuthServerDirectory } from '@s2s/oauth-servers';
import type { CachedPartner, PartnerDirectory } from '@s2s/partners';
import type { TokenStanding } from '@s2s/revocation';
import { AcsTokenVerifier } from './acs-token.verifier.js';
import { OAuthServerTokenVerifier } from './oauth-server-token.verifier.js';
import { PartnerTokenVerifier } from './partner-token.verifier.js';
import { SelfTokenVerifier } from './self-token.verifier.js';
import type { ValidationOutcome } from './token-validation.js';
import { TokenValidator } from './token.validator.js';
import { VerifiedTokenCache } from './verified-token.cache.js';
import type { ValidationMetrics } from './validation.metrics.js';

/**
 * The claims-policy options each issuer kind passes (libs/jwt `checkJwtClaims`), one test per
 * option that fails if the path ignores it, and the explain-mode checks of the self and OAuth
 * server paths in their order. Dependencies are plain stubs; the attack catalogue
 * (token-validator.attacks.db-spec.ts) runs the real module over a database.
 */

/** 2026-12-06T08:00:00Z: every time below is relative to this frozen instant. */
const NOW_MS = Date.UTC(2026, 11, 6, 8, 0, 0);
const NOW = NOW_MS / 1000;
const HOUR = 3600;
const DAY = 86_400;
const ISSUER = 'https://s2s.contoso.com';
const SERVICE = '00000002-0000-0ff1-ce00-000000000000';
const OUR_AUDIENCE = `${SERVICE}/mail.contoso.com@contoso.com`;
const PARTNER_ISS = '11111111-1111-4111-8111-111111111111@contoso.com';
const SERVER_ISS = 'https://login.example/tenant/v2.0';

const selfKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const serverKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const partnerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SELF_X5T = createHash('sha1').update('self').digest('base64url');
const PARTNER_X5T = createHash('sha1').update('partner').digest('base64url');

type Claims = Record<string, unknown>;

function signed(header: Claims, payload: Claims, key: KeyObject): string {
  const encode = (value: Claims): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

const defined = (claims: Claims): Claims => Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
const selfToken = (claims: Claims = {}, header: Claims = {}): string =>
  signed(defined({ alg: 'RS256', typ: 'at+jwt', kid: SELF_X5T, ...header }), defined({ iss: ISSUER, aud: 'api://webapi', iat: NOW, nbf: NOW, exp: NOW + HOUR, client_id: 'c1', ...claims }), selfKey.privateKey);
const serverToken = (claims: Claims = {}): string =>
  signed({ alg: 'RS256', typ: 'JWT', kid: 'k1' }, defined({ iss: SERVER_ISS, aud: 'api://s2s', iat: NOW, nbf: NOW, exp: NOW + HOUR, appid: 'app1', ...claims }), serverKey.privateKey);
const actorToken = (claims: Claims = {}, header: Claims = {}): string =>
  signed(defined({ alg: 'RS256', typ: 'JWT', x5t: PARTNER_X5T, ...header }), defined({ iss: PARTNER_ISS, aud: OUR_AUDIENCE, nameid: 'app@contoso.com', nbf: NOW, exp: NOW + HOUR, ...claims }), partnerKey.privateKey);

describe('TokenValidator: the claims policy of each issuer kind', () => {
  let configuration: OAuthConfiguration;
  let validator: TokenValidator;
  let partner: CachedPartner;

  beforeEach(() => {
    configuration = { serviceName: SERVICE, realm: 'contoso.com', publicHost: 'mail.contoso.com', clockSkewSeconds: 300 } as OAuthConfiguration;
    const oauthConfiguration = { cached: () => configuration } as unknown as OAuthConfigurationService;
    const key = { x5t: SELF_X5T, thumbprint: 'AB12', publicKey: selfKey.publicKey } as IssuerKey;
    const keyRing = { publishedKey: (keyId: string) => (keyId === SELF_X5T ? key : undefined), nextScheduledChange: () => null } as unknown as TokenIssuerKeyRing;
    const clients = { resourceByAppIdUri: (aud: string) => (aud === 'api://webapi' || aud === 'api://other' ? {} : undefined) } as unknown as ClientDirectory;
    const server = {
      server: { identity: 'entra', type: 'oidc', issuer: SERVER_ISS, allowedTenants: [], allowAnyTenant: false, audiences: ['api://s2s'], tenantId: null, allowedApplicationIds: [], allowedObjectIds: [], requiredRole: null, enabled: true, metadataStatus: { lastSuccessAt: null } },
      keys: [{ kid: 'k1', x5t: null, alg: null, publicKey: serverKey.publicKey }],
    } as unknown as CachedOAuthServer;
    const oauthServers = { byIssuerName: (iss: string) => (iss === SERVER_ISS ? server : undefined), refreshForUnknownKey: async () => false } as unknown as OAuthServerDirectory;
    partner = {
      partner: { identity: 'conf', enabled: true, realm: 'contoso.com', trustLevel: 'Full', metadataUrl: null, metadataStatus: { lastSuccessAt: null }, acceptSecurityIdentifierInformation: false, useOAuthServer: null, acceptedDomains: [] },
      keys: new Map([[PARTNER_X5T, { x5t: PARTNER_X5T, publicKey: partnerKey.publicKey, notBefore: new Date(NOW_MS - DAY * 1000), notAfter: new Date(NOW_MS + DAY * 1000) }]]),
    } as unknown as CachedPartner;
    const partners = { byIssuer: (iss: string) => (iss === PARTNER_ISS ? partner : undefined), refreshForUnknownKey: async () => false } as unknown as PartnerDirectory;
    const metrics = { countValid: () => undefined, validated: { inc: () => undefined } } as unknown as ValidationMetrics;
    const freshness = { unreachableSince: () => null } as CacheFreshness;
    const config = { publicUrl: `${ISSUER}/`, databaseOutageToleranceSeconds: 60 } as AppConfig;
    validator = new TokenValidator(
      config,
      new FrozenClock(new Date(NOW_MS)),
      oauthServers,
      metrics,
      freshness,
      new SelfTokenVerifier(config, keyRing, clients, oauthConfiguration, { withdrawn: () => undefined } as unknown as TokenIssuerWithdrawals),
      new PartnerTokenVerifier(config, partners, oauthConfiguration),
      new OAuthServerTokenVerifier(oauthServers, oauthConfiguration),
      // The standing rule (revocation, credentials, not-before) has its own tests: here every token stands.
      { refusal: () => null, standsUntil: () => null } as unknown as TokenStanding,
      new AcsTokenVerifier(config, oauthServers, partners, oauthConfiguration),
      // Off: these tests change the stubs' state in place, without the change feed.
      new VerifiedTokenCache({ tokenCache: { maxEntries: 0, maxBytes: 0 } } as AppConfig, { afterAnyChange: () => undefined } as unknown as ChangeFeed),
    );
  });

  const verdict = async (token: string, audience?: string): Promise<string> => {
    const outcome = await validator.validate(token, { audience });
    return outcome.valid ? 'valid' : outcome.reason;
  };
  const explained = (token: string, audience?: string): Promise<ValidationOutcome> => validator.validate(token, { explain: true, audience });

  describe('this service (accessTokenPolicy)', () => {
    it('typ: at+jwt only', async () => {
      expect(await verdict(selfToken())).toBe('valid');
      expect(await verdict(selfToken({}, { typ: 'JWT' }))).toBe('token_type_invalid');
      expect(await verdict(selfToken({}, { typ: undefined }))).toBe('token_type_invalid');
    });

    it('typ: at+jwt as a media type (RFC 9068 4: application/at+jwt too; RFC 7515 4.1.9: any case)', async () => {
      for (const typ of ['application/at+jwt', 'AT+JWT', 'APPLICATION/at+JWT']) expect([typ, await verdict(selfToken({}, { typ }))]).toEqual([typ, 'valid']);
      for (const typ of ['application/jwt', 'text/at+jwt', 'at+jwt ']) expect([typ, await verdict(selfToken({}, { typ }))]).toEqual([typ, 'token_type_invalid']);
    });

    it('maxLifetime: at most 24 h from iat, else nbf (SPEC 5.6, catalogue C05): lifetime_too_long, explain check lifetime', async () => {
      expect(await verdict(selfToken({ exp: NOW + DAY }))).toBe('valid');
      expect(await verdict(selfToken({ exp: NOW + DAY + 1 }))).toBe('lifetime_too_long');
      expect(await verdict(selfToken({ iat: undefined, nbf: NOW - 1, exp: NOW + DAY }))).toBe('lifetime_too_long');
      const outcome = await explained(selfToken({ exp: NOW + 10 * 365 * DAY }));
      expect(outcome).toMatchObject({ valid: false, reason: 'lifetime_too_long', message: 'the token is valid for more than 24 h' });
      expect(outcome.trace.checks.at(-1)).toEqual({ check: 'lifetime', passed: false, detail: 'the token is valid for more than 24 h' });
    });

    it('numericDate rfc7519: fractions accepted, digit strings refused', async () => {
      expect(await verdict(selfToken({ exp: NOW + 60.5 }))).toBe('valid');
      expect(await verdict(selfToken({ exp: String(NOW + 60) }))).toBe('claim_malformed');
    });

    it('clockTolerance: the configured skew, followed when the configuration changes', async () => {
      const expired = selfToken({ iat: NOW - HOUR, nbf: NOW - HOUR, exp: NOW - 299 });
      expect(await verdict(expired)).toBe('valid');
      configuration = { ...configuration, clockSkewSeconds: 0 };
      expect(await verdict(expired)).toBe('token_expired');
    });

    it('iat in the future beyond the skew is token_not_yet_valid (the not-before check)', async () => {
      expect(await verdict(selfToken({ iat: NOW + 300 }))).toBe('valid');
      const outcome = await explained(selfToken({ iat: NOW + 301 }));
      expect(outcome).toMatchObject({ valid: false, reason: 'token_not_yet_valid', message: 'the token is not valid yet' });
      expect(outcome.trace.checks.at(-1)).toEqual({ check: 'not-before', passed: false, detail: 'the token is not valid yet' });
    });

    it('audience: any registered resource, or exactly the one the caller expects; never an array', async () => {
      expect(await verdict(selfToken({ aud: 'api://other' }))).toBe('valid');
      expect(await verdict(selfToken({ aud: 'api://other' }), 'api://webapi')).toBe('audience_invalid');
      expect(await verdict(selfToken({ aud: 'api://unknown' }))).toBe('audience_invalid');
      expect(await verdict(selfToken({ aud: ['api://webapi'] }))).toBe('audience_invalid');
      const outcome = await explained(selfToken({ aud: 'api://other' }), 'api://webapi');
      expect(outcome).toMatchObject({ valid: false, message: 'the audience api://other is not api://webapi' });
    });

    it('explain lists the same checks in the same order', async () => {
      const outcome = await explained(selfToken());
      expect(outcome.trace.checks.map(({ check, passed }) => [check, passed])).toEqual(
        ['format', 'issuer-class', 'algorithm', 'token-type', 'key', 'signature', 'audience', 'claim-types', 'expiry', 'not-before', 'lifetime', 'standing'].map((check) => [check, true]),
      );
      expect(outcome.trace.checks[4]).toEqual({ check: 'key', passed: true, detail: 'certificate AB12' });
      expect(outcome.trace.clockDifferenceSeconds).toBe(0);
      const expired = await explained(selfToken({ iat: NOW - 2 * HOUR, exp: NOW - HOUR }));
      expect(expired).toMatchObject({ valid: false, reason: 'token_expired', message: `the token expired at ${new Date((NOW - HOUR) * 1000).toISOString()}` });
      expect(expired.trace.checks.map(({ check }) => check)).toEqual(['format', 'issuer-class', 'algorithm', 'token-type', 'key', 'signature', 'audience', 'claim-types', 'expiry']);
      expect(expired.trace.clockDifferenceSeconds).toBe(2 * HOUR);
    });
  });

  describe('partners (actor tokens)', () => {
    it('typ JWT, or none (typOptional); never another', async () => {
      expect(await verdict(actorToken({}, { typ: undefined }))).toBe('valid');
      expect(await verdict(actorToken({}, { typ: 'at+jwt' }))).toBe('token_type_invalid');
    });

    it('typ JWT as a media type (RFC 7515 4.1.9): jwt and application/jwt, in any case', async () => {
      for (const typ of ['jwt', 'application/jwt', 'Application/JWT']) expect([typ, await verdict(actorToken({}, { typ }))]).toEqual([typ, 'valid']);
      for (const typ of ['JWS', 'text/jwt', '', null]) expect([typ, await verdict(actorToken({}, { typ }))]).toEqual([typ, 'token_type_invalid']);
    });

    it('lifetime measured from nbf (lifetimeFrom), whatever iat says', async () => {
      expect(await verdict(actorToken({ iat: NOW - 2 * HOUR, exp: NOW + 23 * HOUR }))).toBe('valid');
      expect(await verdict(actorToken({ iat: NOW, nbf: NOW - 2 * HOUR, exp: NOW + 23 * HOUR }))).toBe('lifetime_too_long');
    });

    it('nbf required (requiredClaims) and digit-string dates (numericDate ms-s2s)', async () => {
      expect(await verdict(actorToken({ nbf: undefined, iat: NOW }))).toBe('nbf_missing');
      expect(await verdict(actorToken({ nbf: String(NOW), exp: String(NOW + HOUR) }))).toBe('valid');
      expect(await verdict(actorToken({ exp: NOW + 0.5 }))).toBe('claim_malformed');
    });
  });

  describe('registered OAuth servers', () => {
    it('audience: one of the server\u2019s, as a string or in an array of strings (audienceArrays)', async () => {
      expect(await verdict(serverToken({ aud: ['https://other', 'api://s2s'] }))).toBe('valid');
      expect(await verdict(serverToken({ aud: ['api://s2s', null] }))).toBe('audience_invalid');
      expect(await verdict(serverToken({ aud: 'api://webapi' }))).toBe('audience_invalid');
    });

    it('24 h from iat, else from nbf (lifetimeFrom iat-or-nbf); uncapped without either', async () => {
      expect(await verdict(serverToken({ exp: NOW + DAY }))).toBe('valid');
      expect(await verdict(serverToken({ iat: NOW - HOUR, nbf: NOW, exp: NOW + DAY - 1 }))).toBe('lifetime_too_long');
      expect(await verdict(serverToken({ iat: undefined, nbf: NOW, exp: NOW + DAY + 1 }))).toBe('lifetime_too_long');
      expect(await verdict(serverToken({ iat: undefined, nbf: undefined, exp: NOW + 30 * DAY }))).toBe('valid');
    });

    it('numericDate rfc7519 and the configured skew', async () => {
      expect(await verdict(serverToken({ exp: String(NOW + HOUR) }))).toBe('claim_malformed');
      expect(await verdict(serverToken({ iat: NOW - HOUR, nbf: NOW - HOUR, exp: NOW - 200 }))).toBe('valid');
      configuration = { ...configuration, clockSkewSeconds: 100 };
      expect(await verdict(serverToken({ iat: NOW - HOUR, nbf: NOW - HOUR, exp: NOW - 200 }))).toBe('token_expired');
    });

    it('explain lists the same checks in the same order', async () => {
      const outcome = await explained(serverToken());
      expect(outcome.trace.checks.map(({ check }) => check)).toEqual(['format', 'issuer-class', 'oauth-server-enabled', 'algorithm', 'key', 'signature', 'audience', 'claim-types', 'expiry', 'not-before', 'lifetime', 'standing']);
      expect(outcome.trace.checks[1]).toEqual({ check: 'issuer-class', passed: true, detail: 'OAuth server entra' });
      const refused = await explained(serverToken({ aud: 'api://webapi' }));
      expect(refused).toMatchObject({ valid: false, reason: 'audience_invalid', message: 'the audience is not one of api://s2s' });
      expect(refused.trace.clockDifferenceSeconds).toBeNull();
    });
  });

  describe('signatures checked on the thread pool: the verdict is reached after the wait, in one synchronous pass', () => {
    it('a partner disabled while its token\'s signature is being checked: refused (partner_disabled)', async () => {
      const pending = validator.validate(actorToken());
      // validate() has stopped at the signature and handed it to the thread pool: change the trust now.
      (partner.partner as { enabled: boolean }).enabled = false;
      const outcome = await pending;
      expect(outcome.valid ? 'valid' : outcome.reason).toBe('partner_disabled');
    });

    it('a key replaced while the signature is being checked: the new key decides (signature_invalid)', async () => {
      const pending = validator.validate(actorToken());
      const keys = partner.keys as unknown as Map<string, { publicKey: KeyObject }>;
      keys.set(PARTNER_X5T, { ...keys.get(PARTNER_X5T)!, publicKey: serverKey.publicKey });
      const outcome = await pending;
      expect(outcome.valid ? 'valid' : outcome.reason).toBe('signature_invalid');
    });

    it('nothing changed during the wait: valid, and explain lists the signature check once, passed', async () => {
      const outcome = await explained(actorToken());
      expect(outcome.valid).toBe(true);
      expect(outcome.trace.checks.filter((entry) => entry.check === 'signature')).toEqual([expect.objectContaining({ check: 'signature', passed: true })]);
      expect(outcome.trace.checks.filter((entry) => entry.check === 'format')).toHaveLength(1);
    });
  });
});
