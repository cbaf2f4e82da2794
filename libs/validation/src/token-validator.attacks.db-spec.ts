import 'reflect-metadata';
import { constants, generateKeyPairSync, randomBytes, randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { jest } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuditModule } from '@s2s/audit';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, CoreModule, FrozenClock, InvalidInputError } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OperationsModule } from '@s2s/operations';
import { PartnerApplicationService, PartnerDirectory, UNKNOWN_KEY_REFRESH_COOLDOWN_MS } from '@s2s/partners';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, OpenSslToolkit, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import jwt from 'jsonwebtoken';
import type { ValidationOutcome, ValidationTrace } from './token-validation.js';
import { TokenValidator } from './token.validator.js';
import { ValidationModule } from './validation.module.js';

/**
 * The token validator against the attack catalogue (research/security.md groups A-D, and the
 * token-facing rows of E), on a real Nest module over PGlite and PostgreSQL.
 *
 * Every token here is built by hand and signed with node:crypto or the `jsonwebtoken` package
 * using keys and certificates made by the openssl CLI, never with this project's signer. Tokens
 * follow SPEC 4.1: an actor token `{typ: JWT, alg: RS256, x5t}` with `aud =
 * <ourServiceName>/mail.contoso.com@contoso.com`, `iss = <partner>@contoso.com`, `nameid =
 * <app>@contoso.com`; the outer token `{alg: none, typ: JWT}` with an empty signature.
 */

const REALM = 'contoso.com';
const PUBLIC_HOST = 'mail.contoso.com';
const SKEW = 300;
const HOUR = 3600;
const DAY_SECONDS = 86_400;
const MAX_TOKEN = 16_384;

interface Signer {
  keyPem: string;
  certPem: string;
  certFile: string;
  x5t: string;
}

interface Harness {
  module: TestingModule;
  validator: TokenValidator;
  partners: PartnerApplicationService;
  directory: PartnerDirectory;
  serviceName: string;
}

type Claims = Record<string, unknown>;

interface ActorOptions {
  claims?: Claims;
  drop?: string[];
  header?: Claims;
  dropHeader?: string[];
  signer?: Signer;
  /** Adds trustedfordelegation: "true" (actor tokens that an outer token will wrap). */
  delegation?: boolean;
  /** Partner whose iss this is (default: the conferencing partner). */
  issuer?: string;
}

interface OuterOptions {
  claims?: Claims;
  drop?: string[];
  header?: Claims;
  signature?: string;
}

const b64u = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
const seg = (value: unknown): string => b64u(typeof value === 'string' ? value : JSON.stringify(value));

/** An RS256 signature with node:crypto over `<header>.<payload>` as given. */
function rs256(signingInput: string, keyPem: string): string {
  return sign('sha256', Buffer.from(signingInput, 'ascii'), keyPem).toString('base64url');
}

async function openHarness(database: TestDatabase, clock: FrozenClock, actor: AdminActor): Promise<Harness> {
  const config = Object.assign(new AppConfig(), { publicUrl: 'https://s2s.contoso.com', authBackoff: { clientFailures: 5, addressFailures: 20 } });
  const module = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot(clock),
      AppConfigModule.forRoot(config, new MasterKey(randomBytes(32))),
      PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
      OperationsModule,
      AuditModule,
      OAuthConfigurationModule,
      ValidationModule,
    ],
  }).compile();
  module.useLogger(false);
  const configuration = module.get(OAuthConfigurationService);
  await configuration.ensureInitialized();
  await module.init();
  const updated = await configuration.update({ realm: REALM, publicHost: PUBLIC_HOST }, { force: false }, actor);
  return {
    module,
    validator: module.get(TokenValidator),
    partners: module.get(PartnerApplicationService),
    directory: module.get(PartnerDirectory),
    serviceName: updated.serviceName,
  };
}

/** Validates without letting an unexpected exception escape: a crash is reported as `threw`. */
async function outcomeOf(h: Harness, token: unknown): Promise<ValidationOutcome | { threw: string }> {
  return h.validator.validate(token, { explain: true }).catch((error: Error) => ({ threw: `${error.name}: ${error.message}` }));
}

describe.each(testDatabaseKinds())('TokenValidator against the attack catalogue on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  const admin: AdminActor = { keyId: null, name: 'tester', requestId: 'req-attacks' };
  let database: TestDatabase;
  let clock: FrozenClock;
  let start: Date;
  let h: Harness;

  /** The conferencing partner (Full trust, pinned certificate). */
  let partner: Signer;
  /** A second registered partner with its own certificate (A09). */
  let otherPartner: Signer;
  /** An attacker's self-signed certificate and an attacker CA chain (A05, A07). */
  let attacker: Signer;
  let attackerLeaf: Signer;
  let attackerCaPem: string;
  const partnerGuid = randomUUID();
  const otherPartnerGuid = randomUUID();
  const appGuid = randomUUID();
  const appNameId = `${appGuid}@${REALM}`;

  const now = (): number => Math.floor(clock.now().getTime() / 1000);
  const ourAudience = (): string => `${h.serviceName}/${PUBLIC_HOST}@${REALM}`;
  const partnerIss = `${partnerGuid}@${REALM}`;

  const makeSigner = (made: { certFile: string; keyFile: string; certificatePem: string }): Signer => ({
    keyPem: readFileSync(made.keyFile, 'utf8'),
    certPem: made.certificatePem,
    certFile: made.certFile,
    x5t: openssl.x5t(made.certFile),
  });
  const derBase64 = (certFile: string): string => openssl.runBinary(['x509', '-in', certFile, '-outform', 'der']).toString('base64');

  const actorClaims = (options: ActorOptions = {}): Claims => {
    const claims: Claims = {
      aud: ourAudience(),
      iss: options.issuer ?? partnerIss,
      nameid: appNameId,
      nbf: now(),
      exp: now() + HOUR,
      ...(options.delegation ? { trustedfordelegation: 'true' } : {}),
      ...options.claims,
    };
    for (const name of options.drop ?? []) delete claims[name];
    return claims;
  };
  const actorHeader = (options: ActorOptions = {}): Claims => {
    const header: Claims = { typ: 'JWT', alg: 'RS256', x5t: (options.signer ?? partner).x5t, ...options.header };
    for (const name of options.dropHeader ?? []) delete header[name];
    return header;
  };
  /** A signed actor token (app-only bearer, or the inner token of a pair). */
  const actor = (options: ActorOptions = {}): string => {
    const input = `${seg(actorHeader(options))}.${seg(actorClaims(options))}`;
    return `${input}.${rs256(input, (options.signer ?? partner).keyPem)}`;
  };
  /** Header and payload given as raw JSON text (duplicate keys, odd numbers), signed by the partner. */
  const signedRaw = (headerText: string, payloadText: string, signer: Signer = partner): string => {
    const input = `${b64u(headerText)}.${b64u(payloadText)}`;
    return `${input}.${rs256(input, signer.keyPem)}`;
  };
  const outerClaims = (actorToken: string, options: OuterOptions = {}): Claims => {
    const claims: Claims = {
      aud: ourAudience(),
      iss: appNameId,
      nbf: now(),
      exp: now() + 300,
      actortoken: actorToken,
      nameid: 'alice@contoso.com',
      nii: 'urn:federation:microsoftonline',
      upn: 'alice@contoso.com',
      ...options.claims,
    };
    for (const name of options.drop ?? []) delete claims[name];
    return claims;
  };
  /** The unsigned outer token wrapping `actorToken`. */
  const outer = (actorToken: string = actor({ delegation: true }), options: OuterOptions = {}): string =>
    `${seg({ alg: 'none', typ: 'JWT', ...options.header })}.${seg(outerClaims(actorToken, options))}.${options.signature ?? ''}`;

  /**
   * Expects a refusal with exactly `reason`, and the explain-mode shape: the checks end with the
   * failing one (passed: false) and every check before it passed.
   */
  const expectRejected = async (token: unknown, reason: string): Promise<ValidationTrace> => {
    const outcome = await outcomeOf(h, token);
    expect(outcome).toMatchObject({ valid: false, reason });
    const { trace } = outcome as Extract<ValidationOutcome, { valid: false }>;
    expect(trace.checks.length).toBeGreaterThan(0);
    expect(trace.checks.at(-1)).toMatchObject({ passed: false, detail: (outcome as { message: string }).message });
    expect(trace.checks.slice(0, -1).filter((check) => !check.passed)).toEqual([]);
    return trace;
  };
  const expectAccepted = async (token: unknown): Promise<Extract<ValidationOutcome, { valid: true }>> => {
    const outcome = await outcomeOf(h, token);
    expect(outcome).toMatchObject({ valid: true });
    const accepted = outcome as Extract<ValidationOutcome, { valid: true }>;
    expect(accepted.trace.checks.every((check) => check.passed)).toBe(true);
    return accepted;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    partner = makeSigner(openssl.selfSigned({ cn: 'conf.contoso.com', dnsNames: [REALM] }));
    otherPartner = makeSigner(openssl.selfSigned({ cn: 'scheduler.contoso.com', dnsNames: [REALM] }));
    attacker = makeSigner(openssl.selfSigned({ cn: 'conf.contoso.com', dnsNames: [REALM] }));
    const attackerCa = openssl.certificateAuthority('Contoso Root CA');
    attackerCaPem = attackerCa.certificatePem;
    const leafKey = openssl.path('attacker-leaf.key');
    openssl.run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', leafKey]);
    const leaf = openssl.signCsr(attackerCa, openssl.run(['req', '-new', '-key', leafKey, '-subj', '/CN=conf.contoso.com']));
    attackerLeaf = makeSigner({ certFile: leaf.certFile, keyFile: leafKey, certificatePem: leaf.certificatePem });
    // openssl stamps certificates with the real time; the frozen clock starts at that second.
    start = new Date(Math.floor(Date.now() / 1000) * 1000);
    clock = new FrozenClock(start);
    h = await openHarness(database, clock, admin);
    await h.partners.create(
      { identity: 'conferencing', applicationIdentifier: partnerGuid, realm: REALM, certificates: [partner.certPem], trustLevel: 'Full', hostAuthority: 'conf.contoso.com' },
      admin,
    );
    await h.partners.create(
      { identity: 'scheduler', applicationIdentifier: otherPartnerGuid, realm: REALM, certificates: [otherPartner.certPem], trustLevel: 'Full', hostAuthority: 'scheduler.contoso.com' },
      admin,
    );
  });

  afterAll(async () => {
    await h?.module.close();
    await database?.drop();
    openssl.dispose();
  });

  afterEach(() => {
    clock.set(start);
  });

  describe('the valid baseline', () => {
    it('accepts an app-only actor token, with the explain trace filled', async () => {
      const accepted = await expectAccepted(actor());
      expect(accepted.token).toMatchObject({
        trust: { kind: 'partner', id: 'conferencing' },
        appId: appGuid,
        user: null,
        outerClaims: null,
        expiresAt: new Date((now() + HOUR) * 1000),
      });
      expect(accepted.trace).toMatchObject({
        key: { id: partner.x5t, found: true, source: 'partner conferencing pinned certificates' },
        clockDifferenceSeconds: 0,
        issuerMetadataFetchedAt: null,
        header: { typ: 'JWT', alg: 'RS256', x5t: partner.x5t },
        claims: { iss: partnerIss, nameid: appNameId },
      });
      expect(accepted.trace.checks.map((check) => check.check)).toEqual(expect.arrayContaining(['format', 'issuer-class', 'algorithm', 'issuer', 'key', 'signature', 'audience', 'lifetime']));
    });

    it('accepts an actor + outer pair and reports the user', async () => {
      const accepted = await expectAccepted(outer());
      expect(accepted.token).toMatchObject({
        trust: { kind: 'partner', id: 'conferencing' },
        appId: appGuid,
        user: { nameid: 'alice@contoso.com', nii: 'urn:federation:microsoftonline', upn: 'alice@contoso.com' },
        outerClaims: { iss: appNameId, nameid: 'alice@contoso.com' },
        expiresAt: new Date((now() + 300) * 1000),
      });
      expect(accepted.trace.key).toEqual({ id: partner.x5t, found: true, source: 'partner conferencing pinned certificates' });
    });

    it('accepts an actor token signed by the jsonwebtoken package (third-party signer)', async () => {
      const token = jwt.sign(actorClaims(), partner.keyPem, { algorithm: 'RS256', header: { alg: 'RS256', typ: 'JWT', x5t: partner.x5t }, noTimestamp: true });
      await expectAccepted(token);
      await expectAccepted(outer(jwt.sign(actorClaims({ delegation: true }), partner.keyPem, { algorithm: 'RS256', header: { alg: 'RS256', typ: 'JWT', x5t: partner.x5t }, noTimestamp: true })));
    });

    it('accepts the x5t given as kid when there is no x5t header (Entra style)', async () => {
      await expectAccepted(actor({ header: { kid: partner.x5t }, dropHeader: ['x5t'] }));
    });

    it('accepts the audience host in any case (host case-insensitive)', async () => {
      await expectAccepted(actor({ claims: { aud: `${h.serviceName}/MAIL.Contoso.COM@${REALM}` } }));
      await expectAccepted(actor({ claims: { aud: `${h.serviceName}/s2s.contoso.com@${REALM}` } }));
    });

    it('C11: accepts Microsoft string NumericDates ("1323380605" style) on actor and outer tokens', async () => {
      const stringDates = { nbf: String(now()), exp: String(now() + HOUR) };
      await expectAccepted(actor({ claims: stringDates }));
      await expectAccepted(outer(actor({ delegation: true, claims: stringDates }), { claims: { nbf: String(now()), exp: String(now() + 300) } }));
    });

    it('C01: accepts exp 100 s (and 299 s) in the past within the 300 s skew; refuses 300 s and 400 s', async () => {
      await expectAccepted(actor({ claims: { nbf: now() - HOUR, exp: now() - 100 } }));
      await expectAccepted(actor({ claims: { nbf: now() - HOUR, exp: now() - 299 } }));
      const trace = await expectRejected(actor({ claims: { nbf: now() - HOUR, exp: now() - SKEW } }), 'token_expired');
      expect(trace.clockDifferenceSeconds).toBe(HOUR);
      expect(trace.checks.at(-1)!.check).toBe('expiry');
      await expectRejected(actor({ claims: { nbf: now() - HOUR, exp: now() - 400 } }), 'token_expired');
    });

    it('C02: accepts nbf 299 s ahead within the skew; refuses 301 s and 1 h ahead', async () => {
      await expectAccepted(actor({ claims: { nbf: now() + 299 } }));
      await expectRejected(actor({ claims: { nbf: now() + 301 } }), 'token_not_yet_valid');
      const trace = await expectRejected(actor({ claims: { nbf: now() + HOUR, exp: now() + 2 * HOUR } }), 'token_not_yet_valid');
      expect(trace.clockDifferenceSeconds).toBe(-HOUR);
    });

    it('C05: accepts exactly 24 h of lifetime, refuses one second more', async () => {
      await expectAccepted(actor({ claims: { exp: now() + DAY_SECONDS } }));
      await expectRejected(actor({ claims: { exp: now() + DAY_SECONDS + 1 } }), 'lifetime_too_long');
    });

    it('B01: accepts a token just under the 16 KiB cap', async () => {
      let padding = 'x'.repeat(11_000);
      let token = actor({ claims: { pad: padding } });
      while (token.length < MAX_TOKEN - 4) {
        padding += 'x';
        token = actor({ claims: { pad: padding } });
      }
      expect(token.length).toBeLessThanOrEqual(MAX_TOKEN);
      await expectAccepted(token);
    });
  });

  /** [catalogue id, what, token builder, exact reason]. */
  type Row = [string, string, () => unknown, string];
  /** Rows reordered so the test title reads "<id> <what> → <reason>". */
  const titled = (rows: Row[]): [string, string, string, () => unknown][] => rows.map(([id, what, build, reason]) => [id, what, reason, build]);

  /** Reasons decided before any key is looked up: explain mode names no key. */
  const BEFORE_KEY = new Set(['token_missing', 'token_too_large', 'malformed_token', 'invalid_base64url', 'invalid_json', 'duplicate_json_key', 'missing_alg', 'forbidden_header', 'unsigned_token', 'actor_unsigned', 'nested_outer_token', 'alg_not_allowed', 'issuer_untrusted', 'partner_disabled']);
  /** Reasons decided after the (actor) token's times were read: explain mode reports the clock difference. */
  const AFTER_TIMES = new Set(['token_expired', 'token_not_yet_valid', 'lifetime_too_long', 'nameid_invalid', 'actor_has_user_claims', 'outer_issuer_mismatch', 'outer_audience_mismatch', 'outer_outlives_actor', 'delegation_not_trusted', 'user_missing', 'user_outside_realm']);

  /** {@link expectRejected}, plus what explain mode must show about the key and the clock for this reason. */
  const expectExplained = async (token: unknown, reason: string): Promise<void> => {
    const trace = await expectRejected(token, reason);
    if (BEFORE_KEY.has(reason)) expect(trace.key).toBeNull();
    else if (reason === 'key_unknown') expect(trace.key === null || trace.key.found === false).toBe(true);
    else expect(trace.key).toMatchObject({ found: true, source: 'partner conferencing pinned certificates' });
    if (AFTER_TIMES.has(reason)) expect(trace.clockDifferenceSeconds).toEqual(expect.any(Number));
  };

  describe('A. JOSE header and algorithm', () => {
    const hs256 = (secret: string): string => jwt.sign(actorClaims(), secret, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JWT', x5t: partner.x5t }, noTimestamp: true });
    const signedWith = (alg: string, signature: (input: string) => Buffer, header: Claims = {}): string => {
      const input = `${seg({ typ: 'JWT', alg, x5t: partner.x5t, ...header })}.${seg(actorClaims())}`;
      return `${input}.${signature(input).toString('base64url')}`;
    };
    const rows: Row[] = [
      ['A01', 'alg none with an empty signature and no actortoken', () => `${seg({ typ: 'JWT', alg: 'none' })}.${seg(actorClaims())}.`, 'unsigned_token'],
      ['A01', 'alg none carrying the actor x5t', () => `${seg({ typ: 'JWT', alg: 'none', x5t: partner.x5t })}.${seg(actorClaims())}.`, 'unsigned_token'],
      ['A02', 'alg "None" with an empty signature', () => `${seg({ typ: 'JWT', alg: 'None' })}.${seg(actorClaims())}.`, 'unsigned_token'],
      ['A02', 'alg "NONE" with an empty signature', () => `${seg({ typ: 'JWT', alg: 'NONE' })}.${seg(actorClaims())}.`, 'unsigned_token'],
      ['A02', 'alg "nOnE" wrapping an actor token, empty signature', () => `${seg({ typ: 'JWT', alg: 'nOnE' })}.${seg(outerClaims(actor({ delegation: true })))}.`, 'unsigned_token'],
      ['A02', 'alg "NONE" with a valid RSA signature', () => actor({ header: { alg: 'NONE' } }), 'alg_not_allowed'],
      ['A02', 'alg none with a non-empty signature', () => `${seg({ typ: 'JWT', alg: 'none' })}.${seg(actorClaims())}.${rs256('x', partner.keyPem)}`, 'malformed_token'],
      ['A03', 'HS256 keyed with the partner certificate PEM', () => hs256(partner.certPem), 'alg_not_allowed'],
      ['A03', 'HS256 keyed with the partner public key PEM', () => hs256(new X509Certificate(partner.certPem).publicKey.export({ type: 'spki', format: 'pem' }).toString()), 'alg_not_allowed'],
      ['A03', 'HS256 keyed with the base64 DER of the certificate', () => hs256(derBase64(partner.certFile)), 'alg_not_allowed'],
      ['A04', 'PS256 signed with the partner key', () => signedWith('PS256', (input) => sign('sha256', Buffer.from(input), { key: partner.keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })), 'alg_not_allowed'],
      ['A04', 'RS512 signed with the partner key', () => signedWith('RS512', (input) => sign('sha512', Buffer.from(input), partner.keyPem)), 'alg_not_allowed'],
      ['A04', 'ES256 signed with an attacker P-256 key', () => signedWith('ES256', (input) => sign('sha256', Buffer.from(input), { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, dsaEncoding: 'ieee-p1363' })), 'alg_not_allowed'],
      ['A04', 'alg "rs256" (wrong case) with a valid signature', () => actor({ header: { alg: 'rs256' } }), 'alg_not_allowed'],
      ['A05', 'jwk header holding the attacker key, signed by the attacker', () => actor({ signer: attacker, header: { jwk: new X509Certificate(attacker.certPem).publicKey.export({ format: 'jwk' }) } }), 'forbidden_header'],
      ['A05', 'jwk header next to the partner x5t', () => actor({ signer: attacker, header: { x5t: partner.x5t, jwk: new X509Certificate(attacker.certPem).publicKey.export({ format: 'jwk' }) } }), 'forbidden_header'],
      ['A06', 'jku to an attacker URL', () => actor({ signer: attacker, header: { jku: 'https://attacker.example/keys' } }), 'forbidden_header'],
      ['A06', 'x5u to the cloud metadata address', () => actor({ signer: attacker, header: { x5u: 'http://169.254.169.254/latest/meta-data/' } }), 'forbidden_header'],
      ['A07', 'x5c attacker chain with the attacker leaf x5t', () => actor({ signer: attackerLeaf, header: { x5c: [derBase64(attackerLeaf.certFile), Buffer.from(new X509Certificate(attackerCaPem).raw).toString('base64')] } }), 'key_unknown'],
      ['A07', 'x5c attacker chain with the partner x5t, signed by the attacker', () => actor({ signer: attackerLeaf, header: { x5t: partner.x5t, x5c: [derBase64(attackerLeaf.certFile)] } }), 'signature_invalid'],
      ['A07', 'x5c holding the real partner certificate, signed by the attacker', () => actor({ signer: attacker, header: { x5t: partner.x5t, x5c: [derBase64(partner.certFile)] } }), 'signature_invalid'],
      ['A08', 'kid path traversal', () => actor({ dropHeader: ['x5t'], header: { kid: '../../../../dev/null' } }), 'key_unknown'],
      ['A08', 'kid SQL injection', () => actor({ dropHeader: ['x5t'], header: { kid: "' OR '1'='1" } }), 'key_unknown'],
      ['A08', 'kid JNDI lookup', () => actor({ dropHeader: ['x5t'], header: { kid: '${jndi:ldap://attacker.example/a}' } }), 'key_unknown'],
      ['A08', 'kid of 10 kB', () => actor({ dropHeader: ['x5t'], header: { kid: 'k'.repeat(10_000) } }), 'key_unknown'],
      ['A08', 'kid with NUL and CRLF', () => actor({ dropHeader: ['x5t'], header: { kid: 'a\u0000b\r\nc' } }), 'key_unknown'],
      ['A08', 'x5t SQL injection', () => actor({ header: { x5t: "x' OR 1=1--" } }), 'key_unknown'],
      ['A08', 'x5t of 28 characters (the real one plus one)', () => actor({ header: { x5t: `${partner.x5t}A` } }), 'key_unknown'],
      ['A08', 'x5t as a number', () => actor({ header: { x5t: 12345 } }), 'key_unknown'],
      ['A08', 'x5t as hex SHA-1 thumbprint instead of base64url', () => actor({ header: { x5t: openssl.sha1Thumbprint(partner.certFile) } }), 'key_unknown'],
      ['A08', 'no x5t and no kid', () => actor({ dropHeader: ['x5t'] }), 'key_unknown'],
      ['A08', 'well-formed x5t of an unregistered certificate', () => actor({ signer: attacker }), 'key_unknown'],
      ['A09', 'iss of partner A with the x5t (and key) of partner B', () => actor({ signer: otherPartner }), 'key_unknown'],
      ['A10', 'crit with an unknown extension', () => actor({ header: { crit: ['exp-foo'], 'exp-foo': 1 } }), 'forbidden_header'],
      ['A11', 'b64: false listed in crit', () => actor({ header: { b64: false, crit: ['b64'] } }), 'forbidden_header'],
      [
        'A12',
        'zip DEF with a deflated payload (never inflated)',
        () => {
          const input = `${seg({ typ: 'JWT', alg: 'RS256', x5t: partner.x5t, zip: 'DEF' })}.${b64u(deflateRawSync(JSON.stringify(actorClaims())))}`;
          return `${input}.${rs256(input, partner.keyPem)}`;
        },
        'invalid_json',
      ],
      ['A13', 'a 5-segment JWE (PBES2, p2c 10^9)', () => [seg({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2s: 'AAAAAAAAAAA', p2c: 1e9 }), b64u(randomBytes(24)), b64u(randomBytes(12)), b64u(randomBytes(64)), b64u(randomBytes(16))].join('.'), 'malformed_token'],
      [
        'A14',
        'flattened JSON serialization',
        () => {
          const [header, payload, signature] = actor().split('.');
          return JSON.stringify({ protected: header, payload, signature });
        },
        'malformed_token',
      ],
      ['A15', 'a client-assertion-shaped token (aud = our issuer URL)', () => actor({ claims: { aud: 'https://s2s.contoso.com' } }), 'audience_invalid'],
      ['A16', 'alg as an array', () => actor({ header: { alg: ['RS256'] } }), 'missing_alg'],
      ['A16', 'alg as a number', () => actor({ header: { alg: 256 } }), 'missing_alg'],
      ['A16', 'alg null', () => actor({ header: { alg: null } }), 'missing_alg'],
      ['A16', 'alg missing', () => actor({ dropHeader: ['alg'] }), 'missing_alg'],
      ['A16', 'header JSON null', () => signedRaw('null', JSON.stringify(actorClaims())), 'invalid_json'],
      ['A16', 'header a JSON array', () => signedRaw('["RS256"]', JSON.stringify(actorClaims())), 'invalid_json'],
    ];

    it.each(titled(rows))('%s %s → %s', async (_id, _what, reason, build) => {
      await expectExplained(build(), reason);
    });

    it('A06: jku/x5u never cause an outbound request, and a pinned partner is never fetched', async () => {
      const fetchSpy = jest.spyOn(globalThis, 'fetch');
      try {
        await expectRejected(actor({ header: { jku: 'https://attacker.example/keys' } }), 'forbidden_header');
        await expectRejected(actor({ header: { x5u: 'https://attacker.example/cert.pem' }, dropHeader: ['x5t'] }), 'forbidden_header');
        await expectRejected(actor({ header: { x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' } }), 'key_unknown');
        expect(fetchSpy).not.toHaveBeenCalled();
      } finally {
        fetchSpy.mockRestore();
      }
      const stored = await h.partners.get('conferencing');
      expect(stored.metadataStatus).toEqual({ lastAttemptAt: null, lastSuccessAt: null, lastError: null, reviewReason: null });
    });

    it('A09: explain names the key looked up among partner A\'s keys only', async () => {
      const trace = await expectRejected(actor({ signer: otherPartner }), 'key_unknown');
      expect(trace.key).toEqual({ id: otherPartner.x5t, found: false, source: 'partner conferencing pinned certificates' });
      expect(trace.checks.at(-1)).toMatchObject({ check: 'key', passed: false });
      // The same key is fine for its own partner.
      await expectAccepted(actor({ signer: otherPartner, issuer: `${otherPartnerGuid}@${REALM}` }));
    });

    it('A16: typ as an object is refused (security catalogue A16)', async () => {
      // The catalogue expects 401 for `typ` of the wrong JSON type; a partner token is typ JWT.
      const outcome = await outcomeOf(h, actor({ header: { typ: { JWT: true } } }));
      expect(outcome).toMatchObject({ valid: false });
    });
  });

  describe('B. encoding, parsing, size', () => {
    const withNonZeroUnusedBits = (segment: string): string => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      if (segment.length % 4 === 0) throw new Error('this segment has no unused bits');
      return segment.slice(0, -1) + alphabet[alphabet.indexOf(segment.at(-1)!) | 1];
    };
    /** Re-signs after tampering with one segment, so only the encoding is wrong. */
    const tampered = (change: (parts: string[]) => string[]): string => {
      const [header, payload] = actor().split('.') as [string, string, string];
      const [h2, p2] = change([header, payload]) as [string, string];
      return `${h2}.${p2}.${rs256(`${h2}.${p2}`, partner.keyPem)}`;
    };
    const payloadText = (): string => JSON.stringify(actorClaims());
    const rows: Row[] = [
      ['B01', 'a token of 16 KiB + 1', () => actor({ claims: { pad: 'x'.repeat(MAX_TOKEN) } }), 'token_too_large'],
      ['B01', 'a 1 MB bearer token', () => `${seg({ alg: 'RS256' })}.${'A'.repeat(1_000_000)}.AAAA`, 'token_too_large'],
      ['B02', 'payload nested 100 000 arrays deep', () => `${seg({ alg: 'RS256', x5t: partner.x5t })}.${b64u(`{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)}.AAAA`, 'token_too_large'],
      ['B03', 'duplicate alg in the header (none, then RS256)', () => signedRaw(`{"alg":"none","alg":"RS256","typ":"JWT","x5t":"${partner.x5t}"}`, payloadText()), 'duplicate_json_key'],
      ['B03', 'duplicate iss in the payload', () => signedRaw(JSON.stringify(actorHeader()), payloadText().replace('{', '{"iss":"app@evil",')), 'duplicate_json_key'],
      ['B03', 'duplicate x5t in the header', () => signedRaw(`{"typ":"JWT","alg":"RS256","x5t":"${otherPartner.x5t}","x5t":"${partner.x5t}"}`, payloadText()), 'duplicate_json_key'],
      ['B09', '__proto__ in the payload', () => signedRaw(JSON.stringify(actorHeader()), payloadText().replace('{', '{"__proto__":{"isAdmin":true},')), 'duplicate_json_key'],
      ['B04', '= padding in the payload', () => tampered(([header, payload]) => [header!, `${payload}${'='.repeat((4 - (payload!.length % 4)) % 4 || 4)}`]), 'invalid_base64url'],
      ['B04', 'a space inside the payload', () => tampered(([header, payload]) => [header!, `${payload!.slice(0, 10)} ${payload!.slice(10)}`]), 'invalid_base64url'],
      ['B04', 'standard base64 (+ and /) in the signature', () => `${actor().split('.').slice(0, 2).join('.')}.${Buffer.from(actor().split('.')[2]!, 'base64url').toString('base64')}`, 'invalid_base64url'],
      [
        'B04',
        'non-zero unused bits in the payload',
        () => {
          let padded = 0;
          let token = actor();
          while (token.split('.')[1]!.length % 4 === 0) token = actor({ claims: { pad: 'x'.repeat(++padded) } });
          const [header, payload] = token.split('.') as [string, string];
          const p2 = withNonZeroUnusedBits(payload);
          return `${header}.${p2}.${rs256(`${header}.${p2}`, partner.keyPem)}`;
        },
        'invalid_base64url',
      ],
      ['B05', 'two segments', () => actor().split('.').slice(0, 2).join('.'), 'malformed_token'],
      ['B05', 'four segments', () => `${actor()}.AAAA`, 'malformed_token'],
      ['B05', 'an empty header', () => `.${actor().split('.').slice(1).join('.')}`, 'malformed_token'],
      ['B05', 'an empty payload', () => { const [header, , signature] = actor().split('.'); return `${header}..${signature}`; }, 'malformed_token'],
      ['B05', 'a "Bearer " prefix left on the token', () => `Bearer ${actor()}`, 'invalid_base64url'],
      ['B05', 'an empty string', () => '', 'token_missing'],
      ['B05', 'a number instead of a string', () => 42, 'token_missing'],
      ['B05', 'an object instead of a string', () => ({ token: actor() }), 'token_missing'],
      ['B05', 'an empty signature with alg RS256', () => `${actor().split('.').slice(0, 2).join('.')}.`, 'unsigned_token'],
      ['B07', 'payload a JSON string', () => signedRaw(JSON.stringify(actorHeader()), '"string"'), 'invalid_json'],
      ['B07', 'payload a JSON array', () => signedRaw(JSON.stringify(actorHeader()), '[]'), 'invalid_json'],
      ['B07', 'payload JSON null', () => signedRaw(JSON.stringify(actorHeader()), 'null'), 'invalid_json'],
      ['B07', 'payload the number 123', () => signedRaw(JSON.stringify(actorHeader()), '123'), 'invalid_json'],
      ['B07', 'payload not JSON at all', () => signedRaw(JSON.stringify(actorHeader()), '{iss: partner}'), 'invalid_json'],
      ['B10', 'exp "1e10"', () => actor({ claims: { exp: '1e10' } }), 'claim_malformed'],
      ['B10', 'exp true', () => actor({ claims: { exp: true } }), 'claim_malformed'],
      ['B10', 'exp a fractional number', () => actor({ claims: { exp: now() + HOUR + 0.5 } }), 'claim_malformed'],
      ['B10', 'exp negative', () => actor({ claims: { exp: -1 } }), 'claim_malformed'],
      ['B10', 'exp an object', () => actor({ claims: { exp: { $gt: 0 } } }), 'claim_malformed'],
      ['B10', 'exp null', () => actor({ claims: { exp: null } }), 'claim_malformed'],
      ['B10', 'nbf an array', () => actor({ claims: { nbf: [now()] } }), 'claim_malformed'],
      ['B10', 'iat a string with a fraction', () => actor({ claims: { iat: `${now()}.5` } }), 'claim_malformed'],
      ['B10', 'exp written 1.5e9 (an integral NumericDate in 2017)', () => signedRaw(JSON.stringify(actorHeader()), payloadText().replace(/"exp":\d+/, '"exp":1.5e9').replace(/"nbf":\d+/, '"nbf":1.4999e9')), 'token_expired'],
      ['B10', 'aud a number', () => actor({ claims: { aud: 123 } }), 'audience_invalid'],
      ['B10', 'aud an array with null', () => actor({ claims: { aud: [`${h.serviceName}/${PUBLIC_HOST}@${REALM}`, null] } }), 'audience_invalid'],
      ['B10', 'iss a number', () => actor({ claims: { iss: 7 } }), 'issuer_untrusted'],
    ];

    it.each(titled(rows))('%s %s → %s', async (_id, _what, reason, build) => {
      await expectExplained(build(), reason);
    });

    it('B06: invalid UTF-8 in a signed claim is refused, not decoded lossily', async () => {
      // Bytes C3 28 are not UTF-8; a lenient decoder turns them into U+FFFD "(" and the claim changes meaning.
      const header = Buffer.from(JSON.stringify(actorHeader()));
      const payload = Buffer.concat([Buffer.from(JSON.stringify(actorClaims()).slice(0, -1) + ',"note":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      const input = `${b64u(header)}.${b64u(payload)}`;
      const outcome = await outcomeOf(h, `${input}.${rs256(input, partner.keyPem)}`);
      expect(outcome).toMatchObject({ valid: false });
    });
  });

  describe('C. claims and time', () => {
    const rows: Row[] = [
      ['C01', 'exp 400 s ago', () => actor({ claims: { nbf: now() - HOUR, exp: now() - 400 } }), 'token_expired'],
      ['C02', 'nbf 1 h ahead', () => actor({ claims: { nbf: now() + HOUR, exp: now() + 2 * HOUR } }), 'token_not_yet_valid'],
      ['C03', 'iat 1 day ahead with a valid exp', () => actor({ claims: { iat: now() + DAY_SECONDS } }), 'token_not_yet_valid'],
      ['C04', 'no exp', () => actor({ drop: ['exp'] }), 'exp_missing'],
      ['C05', 'exp − nbf = 10 years', () => actor({ claims: { exp: now() + 10 * 365 * DAY_SECONDS } }), 'lifetime_too_long'],
      ['C06', 'aud an array with ours and an evil one', () => actor({ claims: { aud: [ourAudience(), 'https://evil.example'] } }), 'audience_invalid'],
      ['C06', 'aud an array with ours only', () => actor({ claims: { aud: [ourAudience()] } }), 'audience_invalid'],
      ['C07', 'iss <guid>@evil.example', () => actor({ claims: { iss: `${partnerGuid}@evil.example` } }), 'issuer_untrusted'],
      ['C07', 'iss <guid>@contoso.com.evil.com', () => actor({ claims: { iss: `${partnerGuid}@${REALM}.evil.com` } }), 'issuer_untrusted'],
      ['C07', 'iss <guid>@*', () => actor({ claims: { iss: `${partnerGuid}@*` } }), 'issuer_untrusted'],
      ['C07', 'iss app@evil', () => actor({ claims: { iss: 'app@evil' } }), 'issuer_untrusted'],
      ['C07', 'iss <guid>@evil@contoso.com (split at the last @)', () => actor({ claims: { iss: `${partnerGuid}@evil@${REALM}` } }), 'issuer_untrusted'],
      ['C07', 'iss the bare GUID without realm', () => actor({ claims: { iss: partnerGuid } }), 'issuer_untrusted'],
      ['C07', 'no iss', () => actor({ drop: ['iss'] }), 'issuer_untrusted'],
      ['C08', 'iss with an uppercase GUID', () => actor({ claims: { iss: `${partnerGuid.toUpperCase()}@${REALM}` } }), 'issuer_untrusted'],
      ['C08', 'iss with an uppercase realm', () => actor({ claims: { iss: `${partnerGuid}@CONTOSO.COM` } }), 'issuer_untrusted'],
      ['C08', 'iss with a braced GUID', () => actor({ claims: { iss: `{${partnerGuid}}@${REALM}` } }), 'issuer_untrusted'],
      ['C08', 'iss with a trailing space', () => actor({ claims: { iss: `${partnerIss} ` } }), 'issuer_untrusted'],
      ['C08', 'iss with a trailing NUL', () => actor({ claims: { iss: `${partnerIss}\u0000` } }), 'issuer_untrusted'],
      ['C08', 'iss with a fullwidth @', () => actor({ claims: { iss: `${partnerGuid}\uFF20${REALM}` } }), 'issuer_untrusted'],
      ['C08', 'iss with a Cyrillic о in the realm', () => actor({ claims: { iss: `${partnerGuid}@c\u043Entoso.com` } }), 'issuer_untrusted'],
      ['C09', 'aud with an evil host', () => actor({ claims: { aud: `${h.serviceName}/evil.example@${REALM}` } }), 'audience_invalid'],
      ['C09', 'aud with another port', () => actor({ claims: { aud: `${h.serviceName}/${PUBLIC_HOST}:8443@${REALM}` } }), 'audience_invalid'],
      ['C09', 'aud with another realm', () => actor({ claims: { aud: `${h.serviceName}/${PUBLIC_HOST}@fabrikam.com` } }), 'audience_invalid'],
      ['C09', 'aud with an uppercase realm', () => actor({ claims: { aud: `${h.serviceName}/${PUBLIC_HOST}@CONTOSO.COM` } }), 'audience_invalid'],
      ['C09', 'aud with another service name', () => actor({ claims: { aud: `00000003-0000-0ff1-ce00-000000000000/${PUBLIC_HOST}@${REALM}` } }), 'audience_invalid'],
      ['C09', 'aud with our service name in uppercase', () => actor({ claims: { aud: `${h.serviceName.toUpperCase()}/${PUBLIC_HOST}@${REALM}` } }), 'audience_invalid'],
      ['C09', 'aud without a host', () => actor({ claims: { aud: `${h.serviceName}@${REALM}` } }), 'audience_invalid'],
      ['C09', 'aud the partner\'s own host', () => actor({ claims: { aud: `${h.serviceName}/conf.contoso.com@${REALM}` } }), 'audience_invalid'],
      ['C09', 'no aud', () => actor({ drop: ['aud'] }), 'audience_invalid'],
      ['C11', 'exp " 123"', () => actor({ claims: { exp: ' 123' } }), 'claim_malformed'],
      ['C11', 'exp "0x10"', () => actor({ claims: { exp: '0x10' } }), 'claim_malformed'],
      ['C11', 'exp "1e12"', () => actor({ claims: { exp: '1e12' } }), 'claim_malformed'],
      ['C11', 'exp "+<now+1h>"', () => actor({ claims: { exp: `+${now() + HOUR}` } }), 'claim_malformed'],
      ['C11', 'exp "<now+1h> " (trailing space)', () => actor({ claims: { exp: `${now() + HOUR} ` } }), 'claim_malformed'],
      ['C11', 'exp "" (empty)', () => actor({ claims: { exp: '' } }), 'claim_malformed'],
      ['C11', 'exp with 13 digits', () => actor({ claims: { exp: '1'.repeat(13) } }), 'claim_malformed'],
      ['C11', 'nbf with full-width digits', () => actor({ claims: { nbf: '\uFF11\uFF12\uFF13' } }), 'claim_malformed'],
      ['C12', 'an app-only actor token carrying upn', () => actor({ claims: { upn: 'ceo@contoso.com' } }), 'actor_has_user_claims'],
      ['C12', 'an app-only actor token carrying smtp', () => actor({ claims: { smtp: 'ceo@contoso.com' } }), 'actor_has_user_claims'],
      ['C12', 'an app-only actor token carrying sip', () => actor({ claims: { sip: 'ceo@contoso.com' } }), 'actor_has_user_claims'],
      ['C12', 'an app-only actor token carrying a SID', () => actor({ claims: { sid: 's-1-5-21-1-2-3-500', nii: 'urn:office:idp:activedirectory' } }), 'actor_has_user_claims'],
      ['C12', 'an actor token carrying upn inside an outer token', () => outer(actor({ delegation: true, claims: { upn: 'ceo@contoso.com' } })), 'actor_has_user_claims'],
      ['—', 'nameid missing', () => actor({ drop: ['nameid'] }), 'nameid_invalid'],
      ['—', 'nameid in another realm', () => actor({ claims: { nameid: `${appGuid}@fabrikam.com` } }), 'nameid_invalid'],
      ['—', 'nameid without a principal', () => actor({ claims: { nameid: `@${REALM}` } }), 'nameid_invalid'],
    ];

    it.each(titled(rows))('%s %s → %s', async (_id, _what, reason, build) => {
      await expectExplained(build(), reason);
    });

    it('explain: time refusals report the clock difference', async () => {
      const trace = await expectRejected(actor({ claims: { iat: now() + DAY_SECONDS } }), 'token_not_yet_valid');
      expect(trace.clockDifferenceSeconds).toBe(-DAY_SECONDS);
      expect(trace.key).toMatchObject({ id: partner.x5t, found: true });
      expect(trace.checks.at(-1)).toMatchObject({ check: 'not-before', passed: false });
    });

    it('C05: an actor token without nbf may not live 10 years either', async () => {
      // With nbf absent the lifetime is measured from exp to exp (0 s): the cap never applies.
      const outcome = await outcomeOf(h, actor({ drop: ['nbf'], claims: { exp: now() + 10 * 365 * DAY_SECONDS } }));
      expect(outcome).toMatchObject({ valid: false });
    });
  });

  describe('D. actor and outer tokens, trust levels', () => {
    const rows: Row[] = [
      ['D01', 'an outer token without actortoken', () => outer(undefined, { drop: ['actortoken'] }), 'unsigned_token'],
      ['D05', 'actor without trustedfordelegation', () => outer(actor()), 'delegation_not_trusted'],
      ['D05', 'actor trustedfordelegation "false"', () => outer(actor({ claims: { trustedfordelegation: 'false' } })), 'delegation_not_trusted'],
      ['D05', 'actor trustedfordelegation boolean true', () => outer(actor({ claims: { trustedfordelegation: true } })), 'delegation_not_trusted'],
      ['D05', 'actor trustedfordelegation "True"', () => outer(actor({ claims: { trustedfordelegation: 'True' } })), 'delegation_not_trusted'],
      ['D05', 'trustedfordelegation on the outer token only', () => outer(actor(), { claims: { trustedfordelegation: 'true' } }), 'delegation_not_trusted'],
      ['D06', 'actor token with alg none', () => outer(`${seg({ typ: 'JWT', alg: 'none' })}.${seg(actorClaims({ delegation: true }))}.`), 'actor_unsigned'],
      ['D06', 'actor token with signature AAAA (Rapid7)', () => outer(`${actor({ delegation: true }).split('.').slice(0, 2).join('.')}.AAAA`), 'signature_invalid'],
      ['D06', 'actor token with an empty signature', () => outer(`${actor({ delegation: true }).split('.').slice(0, 2).join('.')}.`), 'unsigned_token'],
      ['D06', 'actor token signed by an attacker with the partner x5t', () => outer(actor({ delegation: true, signer: attacker, header: { x5t: partner.x5t } })), 'signature_invalid'],
      ['D06', 'actor token that is not a JWT', () => outer('not-a-token'), 'malformed_token'],
      ['D07', 'a signed actor token that itself carries an actortoken', () => outer(actor({ delegation: true, claims: { actortoken: actor({ delegation: true }) } })), 'nested_outer_token'],
      ['D07', 'an outer token wrapping another outer token', () => outer(outer()), 'actor_unsigned'],
      ['D08', 'outer aud ≠ actor aud', () => outer(undefined, { claims: { aud: `${h.serviceName}/other.contoso.com@${REALM}` } }), 'outer_audience_mismatch'],
      ['D08', 'outer aud host in another case', () => outer(undefined, { claims: { aud: `${h.serviceName}/MAIL.CONTOSO.COM@${REALM}` } }), 'outer_audience_mismatch'],
      ['D08', 'outer iss ≠ actor nameid', () => outer(undefined, { claims: { iss: `${randomUUID()}@${REALM}` } }), 'outer_issuer_mismatch'],
      ['D08', 'outer iss = actor nameid in uppercase', () => outer(undefined, { claims: { iss: appNameId.toUpperCase() } }), 'outer_issuer_mismatch'],
      ['D08', 'outer iss = the actor iss (the partner)', () => outer(undefined, { claims: { iss: partnerIss } }), 'outer_issuer_mismatch'],
      ['D08', 'outer iss in another realm', () => outer(undefined, { claims: { iss: `${appGuid}@fabrikam.com` } }), 'outer_issuer_mismatch'],
      ['D08', 'outer without iss', () => outer(undefined, { drop: ['iss'] }), 'outer_issuer_mismatch'],
      ['D09', 'outer exp after actor exp', () => outer(actor({ delegation: true, claims: { exp: now() + 200 } }), { claims: { exp: now() + 300 } }), 'outer_outlives_actor'],
      ['D10', 'upn in another realm (ceo@fabrikam.com)', () => outer(undefined, { claims: { upn: 'ceo@fabrikam.com' } }), 'user_outside_realm'],
      ['D10', 'smtp in another realm', () => outer(undefined, { claims: { smtp: 'ceo@fabrikam.com' } }), 'user_outside_realm'],
      ['D10', 'upn in a look-alike realm (evilcontoso.com)', () => outer(undefined, { claims: { upn: 'ceo@evilcontoso.com' } }), 'user_outside_realm'],
      ['D10', 'upn in a realm that merely starts with ours', () => outer(undefined, { claims: { upn: 'ceo@contoso.com.fabrikam.com' } }), 'user_outside_realm'],
      ['D11', 'nameid admin while upn names alice', () => outer(undefined, { claims: { nameid: 'admin@contoso.com' } }), 'user_identity_mismatch'],
      ['D11', 'nameid alice while upn, smtp and sip name bob', () => outer(undefined, { claims: { upn: 'bob@contoso.com', smtp: 'bob@contoso.com', sip: 'sip:bob@contoso.com' } }), 'user_identity_mismatch'],
      ['D12', 'nii of a forms-based identity provider', () => outer(undefined, { claims: { nii: 'urn:office:idp:forms:membership' } }), 'identity_provider_not_allowed'],
      ['D12', 'nii of an unknown identity provider', () => outer(undefined, { claims: { nii: 'urn:attacker:idp' } }), 'identity_provider_not_allowed'],
      ['D12', 'nii that is not a string', () => outer(undefined, { claims: { nii: 42 } }), 'identity_provider_not_allowed'],
      ['D12', 'identityprovider naming another provider', () => outer(undefined, { claims: { identityprovider: 'urn:attacker:idp' } }), 'identity_provider_not_allowed'],
      ['D13', 'outer alg none with signature AAAA', () => outer(undefined, { signature: 'AAAA' }), 'malformed_token'],
      ['D14', 'actortoken a number', () => outer(undefined, { claims: { actortoken: 42 } }), 'unsigned_token'],
      ['D14', 'actortoken an object', () => outer(undefined, { claims: { actortoken: { alg: 'RS256' } } }), 'unsigned_token'],
      ['D14', 'actortoken an array of two actor tokens', () => outer(undefined, { claims: { actortoken: [actor({ delegation: true }), actor({ delegation: true })] } }), 'unsigned_token'],
      ['D14', 'actortoken null', () => outer(undefined, { claims: { actortoken: null } }), 'unsigned_token'],
      ['D14', 'actortoken of 100 kB', () => outer(`${actor({ delegation: true })}${'A'.repeat(100_000)}`), 'token_too_large'],
      ['—', 'outer token without a user (nameid)', () => outer(undefined, { drop: ['nameid'] }), 'user_missing'],
      ['—', 'outer token expired', () => outer(undefined, { claims: { nbf: now() - HOUR, exp: now() - 400 } }), 'token_expired'],
      ['—', 'outer token not yet valid', () => outer(undefined, { claims: { nbf: now() + 400 } }), 'token_not_yet_valid'],
      ['—', 'outer token without exp', () => outer(undefined, { drop: ['exp'] }), 'exp_missing'],
      ['—', 'outer token with exp "0x10"', () => outer(undefined, { claims: { exp: '0x10' } }), 'claim_malformed'],
      ['—', 'outer token with a jku header', () => outer(undefined, { header: { jku: 'https://attacker.example/keys' } }), 'forbidden_header'],
      ['—', 'outer token whose actor token is expired', () => outer(actor({ delegation: true, claims: { nbf: now() - 2 * HOUR, exp: now() - HOUR } })), 'token_expired'],
      ['—', 'outer token whose actor is from an unknown issuer', () => outer(actor({ delegation: true, claims: { iss: `${randomUUID()}@${REALM}` } })), 'issuer_untrusted'],
    ];

    it.each(titled(rows))('%s %s → %s', async (_id, _what, reason, build) => {
      await expectExplained(build(), reason);
    });

    it('D: an outer token whose actor token has no iss is refused (not a crash)', async () => {
      const withoutIss = await outcomeOf(h, outer(actor({ delegation: true, drop: ['iss'] })));
      expect(withoutIss).toMatchObject({ valid: false, reason: 'issuer_untrusted' });
      const numericIss = await outcomeOf(h, outer(actor({ delegation: true, claims: { iss: 42 } })));
      expect(numericIss).toMatchObject({ valid: false, reason: 'issuer_untrusted' });
    });

    it('D10: a user nameid in another realm (ceo@fabrikam.com) is refused', async () => {
      // Catalogue row D10 verbatim: outer nameid=ceo@realmB from a Full-trust partner of realm A.
      const outcome = await outcomeOf(h, outer(undefined, { claims: { nameid: 'ceo@fabrikam.com' }, drop: ['upn'] }));
      expect(outcome).toMatchObject({ valid: false, reason: 'user_outside_realm' });
    });

    it('D02: an Application-trust partner may not wrap a user (delegation_not_allowed), but may act as itself', async () => {
      await h.partners.update('conferencing', { trustLevel: 'Application' }, admin);
      try {
        expect(h.directory.find('conferencing')!.partner.trustLevel).toBe('Application');
        const trace = await expectRejected(outer(), 'delegation_not_allowed');
        expect(trace.checks.at(-1)).toMatchObject({ check: 'trust-level', passed: false });
        await expectAccepted(actor());
      } finally {
        await h.partners.update('conferencing', { trustLevel: 'Full' }, admin);
      }
      expect(h.directory.find('conferencing')!.partner.trustLevel).toBe('Full');
      await expectAccepted(outer());
    });

    it('D03: a User-trust partner may not act as itself (app_only_not_allowed), but may wrap a user', async () => {
      await h.partners.update('conferencing', { trustLevel: 'User' }, admin);
      try {
        expect(h.directory.find('conferencing')!.partner.trustLevel).toBe('User');
        await expectRejected(actor(), 'app_only_not_allowed');
        await expectRejected(actor({ delegation: true }), 'app_only_not_allowed');
        await expectAccepted(outer());
      } finally {
        await h.partners.update('conferencing', { trustLevel: 'Full' }, admin);
      }
    });

    it('D04: a disabled partner is refused at once (partner_disabled), app-only and with a user', async () => {
      await h.partners.update('conferencing', { enabled: false }, admin);
      try {
        expect(h.directory.find('conferencing')!.partner.enabled).toBe(false);
        await expectRejected(actor(), 'partner_disabled');
        await expectRejected(outer(), 'partner_disabled');
      } finally {
        await h.partners.update('conferencing', { enabled: true }, admin);
      }
      await expectAccepted(actor());
    });

    it('SID users: refused while acceptSecurityIdentifierInformation is false, accepted once it is true', async () => {
      const sidUser = { nameid: 's-1-5-21-2127521184-1604012920-1887927527-1001', nii: 'urn:office:idp:activedirectory' };
      expect(h.directory.find('conferencing')!.partner.acceptSecurityIdentifierInformation).toBe(false);
      await expectRejected(outer(undefined, { claims: sidUser }), 'sid_not_accepted');
      await h.partners.update('conferencing', { acceptSecurityIdentifierInformation: true }, admin);
      try {
        expect(h.directory.find('conferencing')!.partner.acceptSecurityIdentifierInformation).toBe(true);
        const accepted = await expectAccepted(outer(undefined, { claims: sidUser }));
        expect(accepted.token.user).toMatchObject(sidUser);
      } finally {
        await h.partners.update('conferencing', { acceptSecurityIdentifierInformation: false }, admin);
      }
    });

    it('D11: identifiers that name one user are accepted (nameid = one of upn, smtp, sip; any case; sip: prefix)', async () => {
      await expectAccepted(outer(undefined, { claims: { nameid: 'alice@contoso.com', upn: 'a.smith@contoso.com', smtp: 'Alice@Contoso.com' } }));
      await expectAccepted(outer(undefined, { claims: { nameid: 'sip:alice@contoso.com', sip: 'sip:alice@contoso.com' }, drop: ['upn'] }));
      await expectAccepted(outer(undefined, { claims: { nii: 'urn:federation:MicrosoftOnline' } }));
      await expectAccepted(outer(undefined, { drop: ['nii', 'upn'] }));
    });

    it('D11: a SID user whose sid claim is another SID is refused once SIDs are accepted', async () => {
      await h.partners.update('conferencing', { acceptSecurityIdentifierInformation: true }, admin);
      try {
        const sid = 's-1-5-21-2127521184-1604012920-1887927527-1001';
        await expectAccepted(outer(undefined, { claims: { nameid: sid, nii: 'urn:office:idp:activedirectory', sid: sid.toUpperCase() } }));
        await expectRejected(outer(undefined, { claims: { nameid: sid, nii: 'urn:office:idp:activedirectory', sid: 's-1-5-21-1-2-3-500' } }), 'user_identity_mismatch');
      } finally {
        await h.partners.update('conferencing', { acceptSecurityIdentifierInformation: false }, admin);
      }
    });

    it('D15: a partner with the wildcard realm * cannot be registered', async () => {
      const error = await h.partners
        .create({ identity: 'wildcard', applicationIdentifier: randomUUID(), realm: '*', certificates: [attacker.certPem], trustLevel: 'Full' }, admin)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(h.directory.find('wildcard')).toBeUndefined();
      await expect(h.partners.list()).resolves.not.toContainEqual(expect.objectContaining({ identity: 'wildcard' }));
    });
  });

  describe('E. keys (token-facing rows)', () => {
    let metadataServer: Server;
    let metadataPort: number;
    let metadataHits = 0;
    let metadataAnswer: () => { status: number; body: string };
    let published: Signer[];
    let metadataPartner: Signer;
    let rolledKey: Signer;
    const metadataGuid = randomUUID();
    const metadataIss = `${metadataGuid}@${REALM}`;

    const exchangeMetadata = (): string =>
      JSON.stringify({
        id: `_${randomUUID()}`,
        version: '1.0',
        name: 'Exchange',
        realm: REALM,
        serviceName: metadataGuid,
        issuer: metadataIss,
        allowedAudiences: [metadataIss],
        keys: published.map((signer) => ({ usage: 'signing', keyinfo: { x5t: signer.x5t }, keyvalue: { type: 'x509Certificate', value: derBase64(signer.certFile) } })),
        endpoints: [{ location: `http://127.0.0.1:${metadataPort}/metadata/json/1`, protocol: 'OAuth2', usage: 'metadata' }],
      });

    beforeAll(async () => {
      metadataPartner = makeSigner(openssl.selfSigned({ cn: 'mail.fabrikam.contoso.com', dnsNames: [REALM] }));
      rolledKey = makeSigner(openssl.selfSigned({ cn: 'next.mail.contoso.com', dnsNames: [REALM] }));
      published = [metadataPartner];
      metadataAnswer = () => ({ status: 200, body: exchangeMetadata() });
      metadataServer = createServer((request, response) => {
        if (request.url === '/metadata/json/1') metadataHits += 1;
        const { status, body } = request.url === '/metadata/json/1' ? metadataAnswer() : { status: 404, body: 'not found' };
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(body);
      });
      await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
      metadataPort = (metadataServer.address() as AddressInfo).port;
      await h.partners.create(
        {
          identity: 'exchange-lab',
          metadataUrl: `http://127.0.0.1:${metadataPort}/metadata/json/1`,
          allowHttpMetadata: true,
          metadataHostAllowList: ['127.0.0.1'],
          trustLevel: 'Full',
          hostAuthority: 'mail.fabrikam.contoso.com',
        },
        admin,
      );
    });

    afterAll(async () => {
      metadataServer?.closeAllConnections();
      await new Promise((resolve) => metadataServer?.close(resolve));
    });

    const metadataActor = (signer: Signer = metadataPartner, header: Claims = {}): string => actor({ signer, issuer: metadataIss, header });
    const randomX5t = (): string => randomBytes(20).toString('base64url');

    it('accepts a token signed with the key from the partner metadata; explain shows when it was fetched', async () => {
      expect(metadataHits).toBe(1);
      const accepted = await expectAccepted(metadataActor());
      expect(accepted.trace.key).toEqual({ id: metadataPartner.x5t, found: true, source: 'partner exchange-lab metadata' });
      expect(accepted.trace.issuerMetadataFetchedAt).toEqual(start);
    });

    it('A06: jku/x5u pointing at the partner metadata server itself are refused without any request', async () => {
      const before = metadataHits;
      await expectRejected(metadataActor(attacker, { jku: `http://127.0.0.1:${metadataPort}/metadata/json/1` }), 'forbidden_header');
      await expectRejected(metadataActor(attacker, { x5u: `http://127.0.0.1:${metadataPort}/cert.pem` }), 'forbidden_header');
      expect(metadataHits).toBe(before);
    });

    it('E11: a flood of unknown x5t values causes at most one metadata refetch per cooldown, shared by concurrent requests', async () => {
      const before = metadataHits;
      const flood = await Promise.all(Array.from({ length: 25 }, () => outcomeOf(h, metadataActor(metadataPartner, { x5t: randomX5t() }))));
      expect(flood.every((outcome) => 'valid' in outcome && !outcome.valid && outcome.reason === 'key_unknown')).toBe(true);
      expect(metadataHits).toBe(before + 1);

      const again = await Promise.all(Array.from({ length: 25 }, () => outcomeOf(h, metadataActor(metadataPartner, { x5t: randomX5t() }))));
      expect(again.every((outcome) => 'valid' in outcome && !outcome.valid && outcome.reason === 'key_unknown')).toBe(true);
      expect(metadataHits).toBe(before + 1);

      clock.advance(UNKNOWN_KEY_REFRESH_COOLDOWN_MS - 1000);
      await expectRejected(metadataActor(metadataPartner, { x5t: randomX5t() }), 'key_unknown');
      expect(metadataHits).toBe(before + 1);

      clock.advance(1000);
      const trace = await expectRejected(metadataActor(metadataPartner, { x5t: randomX5t() }), 'key_unknown');
      expect(metadataHits).toBe(before + 2);
      expect(trace.key).toMatchObject({ found: false, source: 'partner exchange-lab metadata' });
      // The known key keeps working throughout.
      await expectAccepted(metadataActor());
    });

    it('E11: an unknown x5t after the cooldown refetches and finds a rolled-over key', async () => {
      clock.advance(2 * UNKNOWN_KEY_REFRESH_COOLDOWN_MS);
      published = [metadataPartner, rolledKey];
      try {
        const before = metadataHits;
        const accepted = await expectAccepted(metadataActor(rolledKey));
        expect(metadataHits).toBe(before + 1);
        expect(accepted.trace.key).toMatchObject({ id: rolledKey.x5t, found: true });
        expect(accepted.trace.issuerMetadataFetchedAt).toEqual(clock.now());
      } finally {
        published = [metadataPartner];
      }
    });

    it('E07: a garbage metadata answer keeps the last known good keys', async () => {
      clock.advance(4 * UNKNOWN_KEY_REFRESH_COOLDOWN_MS);
      metadataAnswer = () => ({ status: 200, body: '<html>maintenance</html>' });
      try {
        const before = metadataHits;
        await expectRejected(metadataActor(metadataPartner, { x5t: randomX5t() }), 'key_unknown');
        expect(metadataHits).toBe(before + 1);
        const stored = await h.partners.get('exchange-lab');
        expect(stored.metadataStatus.lastError).toMatch(/not a valid JSON document|not a valid metadata document/);
        expect(stored.keys.length).toBeGreaterThan(0);
        await expectAccepted(metadataActor());
      } finally {
        metadataAnswer = () => ({ status: 200, body: exchangeMetadata() });
      }
    });

    it('E01: a token signed with an expired partner certificate is refused (key_expired); the valid one still works', async () => {
      const shortLived = makeSigner(openssl.selfSigned({ cn: 'short.contoso.com', dnsNames: [REALM], days: 1 }));
      const longLived = makeSigner(openssl.selfSigned({ cn: 'long.contoso.com', dnsNames: [REALM], days: 30 }));
      const guid = randomUUID();
      await h.partners.create(
        { identity: 'rotating', applicationIdentifier: guid, realm: REALM, certificates: [shortLived.certPem, longLived.certPem], trustLevel: 'Full', hostAuthority: 'rotating.contoso.com' },
        admin,
      );
      const notAfter = new Date(new X509Certificate(shortLived.certPem).validTo);
      await expectAccepted(actor({ signer: shortLived, issuer: `${guid}@${REALM}` }));

      clock.set(new Date(notAfter.getTime() + (SKEW + 60) * 1000));
      const trace = await expectRejected(actor({ signer: shortLived, issuer: `${guid}@${REALM}` }), 'key_expired');
      expect(trace.key).toEqual({ id: shortLived.x5t, found: true, source: 'partner rotating pinned certificates' });
      expect(trace.checks.at(-1)).toMatchObject({ check: 'key-validity', passed: false });
      await expectAccepted(actor({ signer: longLived, issuer: `${guid}@${REALM}` }));

      // Within the skew after notAfter the key is still usable.
      clock.set(new Date(notAfter.getTime() + (SKEW - 60) * 1000));
      await expectAccepted(actor({ signer: shortLived, issuer: `${guid}@${REALM}` }));
    });

    it('E02: a certificate is not usable before its notBefore (beyond the skew)', async () => {
      const notBefore = new Date(new X509Certificate(partner.certPem).validFrom);
      clock.set(new Date(notBefore.getTime() - (SKEW + 60) * 1000));
      await expectRejected(actor(), 'key_expired');
    });
  });
});
