import 'reflect-metadata';
import { constants, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuditModule } from '@s2s/audit';
import { CertificateStoreService, TokenIssuerAssignmentService, TokenIssuerKeyRing } from '@s2s/certificates';
import { ClientService, ResourceService } from '@s2s/clients';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, CoreModule, FrozenClock } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OperationsModule } from '@s2s/operations';
import { PartnerApplicationService } from '@s2s/partners';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, OpenSslToolkit, type TestDatabase } from '@s2s/testing';
import { TokenHttpRoute, TokenIssuerModule } from '@s2s/token-issuer';
import fc from 'fast-check';
import { compactVerify, importX509, jwtVerify } from 'jose';

/** The key type jose's importX509 returns (WebCrypto's CryptoKey, not in this project's `lib`). */
type JoseKey = Awaited<ReturnType<typeof importX509>>;
import { TokenValidator } from './token.validator.js';
import { ValidationModule } from './validation.module.js';

/**
 * Differential test: our validator (`TokenValidator.validate`, built through Nest DI on PGlite the
 * way token-validator.attacks.db-spec.ts builds it) against `jose` as an independent referee, on
 * property-generated mutations of
 *
 * - **our own RFC 9068 access tokens**: the base tokens come from registered clients through the
 *   real token endpoint (`TokenHttpRoute` → client_credentials with client_secret_post: an app
 *   token with roles, and a delegated token with scp/upn/act for an act-as client); mutated
 *   tokens are re-signed with the same token-issuer key (node:crypto, not our signer, so that any
 *   header can be written). Referee: `jose.jwtVerify` with the options a resource server would pass
 *   (`algorithms: ['RS256']`, `issuer`, `audience`, `typ: 'at+jwt'`, `clockTolerance` = our skew,
 *   `currentDate` = the frozen clock, `requiredClaims: ['exp']`) and the issuer certificate.
 * - **the JWS of Microsoft-style S2S actor tokens**: claim sets that our partner rules accept (numbers
 *   or the MS decimal strings), with only the header, the encodings and the signature mutated.
 *   Referee: `jose.compactVerify` with the partner's certificate key and `algorithms: ['RS256']`;
 *   only the signature/format verdict is compared (jose knows no S2S claim rules).
 *
 * The oracle is jose's verdict AND the documented rules below by which we are deliberately stricter
 * than jose, each citing the security catalogue (research/security.md) or an RFC. A rule marked
 * `pending` would be a disagreement found by this test that is not (yet) a decided policy: the
 * lead decides (README, "jose as the referee"), and the run fails while one is left. None is
 * pending now. Decided on 2026-12-06 (each with a unit test in libs/jwt):
 * - `typ` compares as a media type (RFC 7515 4.1.9, RFC 9068 4), as jose does: no rule left;
 * - the clock is judged in whole seconds (floored), as jose does: no rule left, and the generator
 *   now picks millisecond clocks for every token, fractional NumericDates included;
 * - a lone UTF-16 surrogate escape in the header or payload is refused (`no-lone-surrogate`, B06);
 * - our own tokens live at most 24 h from iat, else nbf (`max-lifetime-24h`, SPEC 5.6, C05).
 * Behaviours in which both agree and that are kept on purpose are listed in AGREEMENTS.
 *
 * Only PGlite: validation reads nothing from the database, so a PostgreSQL run would repeat it.
 *
 * Seed and size: `DIFFERENTIAL_SEED` (default below, printed), `DIFFERENTIAL_RUNS` (default
 * 10 000), `DIFFERENTIAL_PATH` (fast-check's replay path of a reported counterexample).
 */

const REALM = 'contoso.com';
const PUBLIC_HOST = 'mail.contoso.com';
const ISSUER = 'https://s2s.contoso.com';
const RESOURCE = 'api://orders.contoso.com';
/** Our pre-parser's size cap (SPEC 5.9: 16 KiB). */
const MAX_TOKEN_CHARS = 16_384;
const DEFAULT_SEED = 20_261_206;
const SEED = process.env.DIFFERENTIAL_SEED ? Number(process.env.DIFFERENTIAL_SEED) : DEFAULT_SEED;
const RUNS = process.env.DIFFERENTIAL_RUNS ? Number(process.env.DIFFERENTIAL_RUNS) : 10_000;
const REPLAY_PATH = process.env.DIFFERENTIAL_PATH || undefined;
const DAY = 86_400;
/** 10 000 cases take ~10-13 s (measured on the shared 2-core box); the budget leaves room for a loaded CI box. */
const TIMEOUT_MS = Math.max(180_000, RUNS * 30);

// ---------------------------------------------------------------------------------------------
// The generated case: a description, built into a token only when run (so fast-check can shrink it).
// ---------------------------------------------------------------------------------------------

/** A change to one header parameter or claim. `$NAME` strings are resolved at build time (keys are made per run). */
type Change = { set: unknown } | { delete: true } | { raw: string } | { rel: number } | { relString: number };

type TextMutation =
  | { kind: 'pretty' }
  | { kind: 'escaped-key'; key: string }
  | { kind: 'duplicate'; key: string; value: Change; attackerLast: boolean }
  | { kind: 'escaped-duplicate'; key: string; attackerLast: boolean }
  | { kind: 'nested-duplicate'; depth: number }
  | { kind: 'proto' }
  | { kind: 'bom' }
  | { kind: 'invalid-utf8'; bytes: number[] }
  | { kind: 'lone-surrogate' }
  | { kind: 'replace'; text: string }
  | { kind: 'append'; text: string };

type Encoding =
  | { kind: 'padding' }
  | { kind: 'whitespace'; char: string; at: number }
  | { kind: 'plus-slash' }
  | { kind: 'trailing-bits'; bits: number }
  | { kind: 'insert'; char: string; at: number }
  | { kind: 'standard-base64' }
  | { kind: 'empty' };

type SignatureMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'extend'; bytes: number[] }
  | { kind: 'empty' }
  | { kind: 'zero' }
  | { kind: 'replace'; bytes: number[] };

type KeyChoice = 'legit' | 'other-rsa' | 'ec' | 'pss' | 'hmac' | 'rsa-1024';
type TokenMutation = 'leading-space' | 'trailing-space' | 'trailing-dot' | 'extra-segment' | 'bearer-prefix' | 'two-segments';

interface Common {
  header: [string, Change][];
  headerText: TextMutation | undefined;
  payloadText: TextMutation | undefined;
  encoding: { part: 0 | 1 | 2; encoding: Encoding; resign: boolean } | undefined;
  signature: SignatureMutation | undefined;
  key: KeyChoice | undefined;
  token: TokenMutation | undefined;
}

interface SelfCase extends Common {
  kind: 'self';
  /** Which token from the token endpoint is mutated. */
  base: 'app' | 'user';
  claims: [string, Change][];
  /** The instant of validation: an anchor claim of the (mutated) token plus a delta in seconds. */
  clock: { anchor: 'iat' | 'nbf' | 'exp' | 'start'; delta: number };
}

interface ActorCase extends Common {
  kind: 'actor';
  /** A claim set the partner rules accept: nbf/exp relative to the start, as numbers or MS strings. */
  times: { nbfOffset: number; lifetime: number; strings: boolean; iat: boolean };
  extraClaims: [string, string][];
}

type Case = SelfCase | ActorCase;

// ---------------------------------------------------------------------------------------------
// The world the cases run in.
// ---------------------------------------------------------------------------------------------

interface Credential {
  privateKey: KeyObject;
  publicPem: string;
  x5t: string;
}

interface IssuedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  token: string;
}

const decodeIssued = (token: string): IssuedToken => {
  const [header, payload] = token.split('.');
  return { token, header: JSON.parse(Buffer.from(header!, 'base64url').toString()), claims: JSON.parse(Buffer.from(payload!, 'base64url').toString()) };
};

interface World {
  module: TestingModule;
  database: TestDatabase;
  openssl: OpenSslToolkit;
  validator: TokenValidator;
  clock: FrozenClock;
  /** Unix seconds the frozen clock starts at (and our token was issued at). */
  start: number;
  skew: number;
  /** Tokens from the real token endpoint: an app token (roles) and a delegated user token (scp, upn, act). */
  issued: Record<'app' | 'user', IssuedToken>;
  issuer: Credential & { joseKey: JoseKey; x5tS256: string; certificateDer: string };
  partner: Credential & { joseKey: JoseKey; iss: string; nameid: string; aud: string };
  strangerRsa: Credential;
  ec: KeyObject;
  rsa1024: KeyObject;
  signatures: Map<string, Buffer>;
}

const b64u = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64url');
const pem = (der: string): string => `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

async function issueThroughTokenEndpoint(route: TokenHttpRoute, form: Record<string, string>): Promise<string> {
  const server = createServer((req, res) => {
    void route.answer(req, { requestId: 'differential', closing: false }).then((answer) => {
      if (answer === null) res.destroy();
      else res.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json' }).end(answer.json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const body = new URLSearchParams(form).toString();
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: route.path, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let answer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (answer += chunk));
          res.on('end', () => (res.statusCode === 200 ? resolve(answer) : reject(new Error(`token endpoint answered ${res.statusCode}: ${answer}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    return (JSON.parse(text) as { access_token: string }).access_token;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function openWorld(): Promise<World> {
  const openssl = new OpenSslToolkit();
  const admin: AdminActor = { keyId: null, name: 'tester', requestId: 'req-differential' };
  const database = await createTestDatabase('pglite');
  // The partner certificate is stamped by openssl with the real time; the frozen clock starts there.
  const partnerMade = openssl.selfSigned({ cn: 'conf.contoso.com', dnsNames: [REALM] });
  const start = Math.floor(Date.now() / 1000);
  // Our issuer certificate is made a day earlier, so that no instant the cases pick precedes it.
  const clock = new FrozenClock(new Date((start - DAY) * 1000));
  const config = Object.assign(new AppConfig(), { publicUrl: ISSUER, authBackoff: { clientFailures: 5, addressFailures: 20 }, bodyLimitBytes: 65_536 });
  const module = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot(clock),
      AppConfigModule.forRoot(config, new MasterKey(randomBytes(32))),
      PersistenceModule.forRoot({ kind: 'pglite', directory: null }),
      OperationsModule,
      AuditModule,
      OAuthConfigurationModule,
      ValidationModule,
      // The base tokens come from the real token endpoint; ValidationModule no longer brings it.
      TokenIssuerModule,
    ],
  }).compile();
  module.useLogger(false);
  const configuration = module.get(OAuthConfigurationService);
  await configuration.ensureInitialized();
  await module.init();
  const updated = await configuration.update({ realm: REALM, publicHost: PUBLIC_HOST }, { force: false }, admin);

  const { certificate } = await module.get(CertificateStoreService).createSelfSigned({ realms: [REALM], days: 90 }, admin);
  await module.get(TokenIssuerAssignmentService).assign({ thumbprint: certificate.thumbprint }, admin);
  clock.set(new Date(start * 1000));
  const keyRing = module.get(TokenIssuerKeyRing);
  await keyRing.reload();
  const signing = keyRing.signingKey(clock.now());
  if (!signing?.privateKey) throw new Error('the token-issuer key is not loaded');

  // A registered resource and client, and one real token from the token endpoint.
  await module.get(ResourceService).create(
    { appIdUri: RESOURCE, displayName: 'Orders', roles: [{ value: 'Orders.Read', allowedMemberTypes: ['Application'] }], scopes: [{ value: 'Orders.ReadWrite' }] },
    admin,
  );
  const clients = module.get(ClientService);
  const app = await clients.create({ displayName: 'differential-app', grantTypes: ['client_credentials'], withSecret: true }, admin);
  await clients.grantRole(app.registration.client.clientId, RESOURCE, 'Orders.Read', admin);
  const actAs = await clients.create({ displayName: 'differential-act-as', grantTypes: ['client_credentials'], actAsUsers: true, withSecret: true }, admin);
  await clients.grantScope(actAs.registration.client.clientId, RESOURCE, 'Orders.ReadWrite', admin);
  const route = module.get(TokenHttpRoute);
  const credentials = (created: typeof app) => ({ grant_type: 'client_credentials', client_id: created.registration.client.clientId, client_secret: created.issued!.value, resource: RESOURCE });
  const appToken = await issueThroughTokenEndpoint(route, credentials(app));
  const userToken = await issueThroughTokenEndpoint(route, { ...credentials(actAs), upn: 'alice@contoso.com' });

  const partnerGuid = randomUUID();
  await module.get(PartnerApplicationService).create(
    { identity: 'conferencing', applicationIdentifier: partnerGuid, realm: REALM, certificates: [partnerMade.certificatePem], trustLevel: 'Full', hostAuthority: 'conf.contoso.com' },
    admin,
  );
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
  return {
    module,
    database,
    openssl,
    validator: module.get(TokenValidator),
    clock,
    start,
    skew: configuration.cached().clockSkewSeconds,
    issued: { app: decodeIssued(appToken), user: decodeIssued(userToken) },
    issuer: {
      privateKey: signing.privateKey,
      publicPem: publicPem(signing.publicKey),
      x5t: signing.x5t,
      x5tS256: signing.x5tS256,
      certificateDer: signing.x5c[0]!,
      joseKey: await importX509(pem(signing.x5c[0]!), 'RS256'),
    },
    partner: {
      privateKey: createPrivateKey(partnerMade.privateKeyPem),
      publicPem: publicPem(createPublicKey(partnerMade.certificatePem)),
      x5t: openssl.x5t(partnerMade.certFile),
      joseKey: await importX509(partnerMade.certificatePem, 'RS256'),
      iss: `${partnerGuid}@${REALM}`,
      nameid: `${randomUUID()}@${REALM}`,
      aud: `${updated.serviceName}/${PUBLIC_HOST}@${REALM}`,
    },
    strangerRsa: { privateKey: stranger.privateKey, publicPem: publicPem(stranger.publicKey), x5t: b64u(randomBytes(20)) },
    ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    rsa1024: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
    signatures: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// Building a token from a case.
// ---------------------------------------------------------------------------------------------

/** `$NAME` placeholders for values known only once the world exists. */
function resolve(world: World, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('$')) {
    const names: Record<string, unknown> = {
      $OUR_X5T: world.issuer.x5t,
      $OUR_X5T_S256: world.issuer.x5tS256,
      $PARTNER_X5T: world.partner.x5t,
      $STRANGER_X5T: world.strangerRsa.x5t,
      $OUR_X5C: [world.issuer.certificateDer],
      $ATTACKER_JWK: (({ kty, n, e }) => ({ kty, n, e }))(createPublicKey(world.strangerRsa.privateKey).export({ format: 'jwk' })),
      $PARTNER_ISS: world.partner.iss,
      $PARTNER_AUD: world.partner.aud,
      $PAD_UNDER: 'a'.repeat(10_500),
      $PAD_OVER: 'a'.repeat(12_500),
    };
    if (value in names) return JSON.parse(JSON.stringify(names[value]));
  }
  return value;
}

const RAW = '\u0000raw:';

/** Applies changes to an object; `raw` values become placeholders replaced in the JSON text. */
function applyChanges(world: World, base: Record<string, unknown>, changes: [string, Change][]): Record<string, unknown> {
  const object: Record<string, unknown> = { ...base };
  for (const [name, change] of changes) {
    if ('delete' in change) delete object[name];
    else if ('raw' in change) object[name] = `${RAW}${change.raw}`;
    else if ('rel' in change) object[name] = world.start + change.rel;
    else if ('relString' in change) object[name] = String(world.start + change.relString);
    else object[name] = resolve(world, change.set);
  }
  return object;
}

function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/"\\u0000raw:([^"]*)"/g, '$1');
}

function changeValueText(world: World, change: Change): string {
  return jsonText(Object.values(applyChanges(world, {}, [['v', change]]))[0] ?? null);
}

/** The JSON text of a header or payload, as bytes, after a text mutation. */
function textBytes(world: World, object: Record<string, unknown>, mutation: TextMutation | undefined): Buffer {
  const text = jsonText(object);
  const withMember = (member: string, first: boolean): string =>
    text === '{}' ? `{${member}}` : first ? `{${member},${text.slice(1)}` : `${text.slice(0, -1)},${member}}`;
  if (!mutation) return Buffer.from(text);
  switch (mutation.kind) {
    case 'pretty':
      return Buffer.from(jsonText(object, 2));
    case 'escaped-key': {
      const at = text.indexOf(`"${mutation.key}":`);
      if (at === -1) return Buffer.from(text);
      const escaped = `\\u${mutation.key.charCodeAt(0).toString(16).padStart(4, '0')}${mutation.key.slice(1)}`;
      return Buffer.from(`${text.slice(0, at + 1)}${escaped}${text.slice(at + 1 + mutation.key.length)}`);
    }
    case 'duplicate': {
      // The same key twice; `value` is what the attacker adds (first or last: jose keeps the last).
      const current = object[mutation.key];
      const value = 'set' in mutation.value && mutation.value.set === '$SAME' ? jsonText(current ?? null) : changeValueText(world, mutation.value);
      return Buffer.from(withMember(`"${mutation.key}":${value}`, !mutation.attackerLast));
    }
    case 'escaped-duplicate': {
      // The key again, spelled with a \u escape: only a parser that unescapes keys sees the duplicate.
      const escaped = `\\u${mutation.key.charCodeAt(0).toString(16).padStart(4, '0')}${mutation.key.slice(1)}`;
      return Buffer.from(withMember(`"${escaped}":${jsonText(object[mutation.key] ?? null)}`, !mutation.attackerLast));
    }
    case 'nested-duplicate':
      // A repeated key inside a claim nested `depth` deep (our strict parser has a fast path up to depth 32).
      return Buffer.from(withMember(`"x-nested":${'['.repeat(mutation.depth)}{"k":1,"k":2}${']'.repeat(mutation.depth)}`, false));
    case 'proto':
      return Buffer.from(withMember('"__proto__":{"admin":true}', true));
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'invalid-utf8': {
      const [before, after] = withMember('"x-note":"@@"', false).split('@@');
      return Buffer.concat([Buffer.from(before!), Buffer.from(mutation.bytes), Buffer.from(after!)]);
    }
    case 'lone-surrogate':
      return Buffer.from(withMember('"x-note":"\\ud800"', false));
    case 'replace':
      return Buffer.from(mutation.text);
    case 'append':
      return Buffer.from(text + mutation.text);
  }
}

function encodeSegment(bytes: Buffer, encoding: Encoding | undefined): string {
  const canonical = bytes.toString('base64url');
  if (!encoding) return canonical;
  const at = (fraction: number): number => Math.min(canonical.length, Math.floor(fraction * (canonical.length + 1)));
  switch (encoding.kind) {
    case 'padding':
      return canonical + '='.repeat((4 - (canonical.length % 4)) % 4 || 1);
    case 'whitespace':
    case 'insert':
      return `${canonical.slice(0, at(encoding.at))}${encoding.char}${canonical.slice(at(encoding.at))}`;
    case 'plus-slash':
      return canonical.replace(/-/g, '+').replace(/_/g, '/');
    case 'trailing-bits': {
      // Unused low bits of the last character set (4 bits free at length 4n+2, 2 at 4n+3).
      const free = canonical.length % 4 === 2 ? 0x0f : canonical.length % 4 === 3 ? 0x03 : 0;
      if (free === 0) return `${canonical}A`;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(canonical.at(-1)!);
      return canonical.slice(0, -1) + alphabet[last | (encoding.bits & free) | (1 & free)]!;
    }
    case 'standard-base64':
      return bytes.toString('base64');
    case 'empty':
      return '';
  }
}

function signWith(world: World, choice: KeyChoice, legit: KeyObject, text: string): Buffer {
  const cacheKey = `${choice}\u0000${legit === world.issuer.privateKey ? 'i' : 'p'}\u0000${text}`;
  const cached = world.signatures.get(cacheKey);
  if (cached) return cached;
  // latin1, as our verifyJws reads the signing input: a non-ASCII character is signed as its low byte.
  const data = Buffer.from(text, 'latin1');
  let signature: Buffer;
  switch (choice) {
    case 'legit':
      signature = sign('sha256', data, legit);
      break;
    case 'other-rsa':
      signature = sign('sha256', data, world.strangerRsa.privateKey);
      break;
    case 'ec':
      signature = sign('sha256', data, { key: world.ec, dsaEncoding: 'ieee-p1363' });
      break;
    case 'pss':
      signature = sign('sha256', data, { key: legit, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      break;
    case 'hmac':
      // HS256 keyed with the public key PEM (catalogue A03).
      signature = createHmac('sha256', legit === world.issuer.privateKey ? world.issuer.publicPem : world.partner.publicPem).update(data).digest();
      break;
    case 'rsa-1024':
      signature = sign('sha256', data, world.rsa1024);
      break;
  }
  if (world.signatures.size > 20_000) world.signatures.clear();
  world.signatures.set(cacheKey, signature);
  return signature;
}

function mutateSignature(signature: Buffer, mutation: SignatureMutation | undefined): Buffer {
  if (!mutation) return signature;
  switch (mutation.kind) {
    case 'flip': {
      const copy = Buffer.from(signature);
      const index = Math.min(copy.length - 1, Math.floor(mutation.at * copy.length));
      if (index >= 0) copy[index]! ^= 1 << mutation.bit;
      return copy;
    }
    case 'truncate':
      return signature.subarray(0, Math.floor(mutation.keep * signature.length));
    case 'extend':
      return Buffer.concat([signature, Buffer.from(mutation.bytes)]);
    case 'empty':
      return Buffer.alloc(0);
    case 'zero':
      return Buffer.alloc(signature.length);
    case 'replace':
      return Buffer.from(mutation.bytes);
  }
}

function mutateToken(token: string, mutation: TokenMutation | undefined): string {
  switch (mutation) {
    case undefined:
      return token;
    case 'leading-space':
      return ` ${token}`;
    case 'trailing-space':
      return `${token} `;
    case 'trailing-dot':
      return `${token}.`;
    case 'extra-segment':
      return `${token}.${token.split('.')[2] ?? ''}`;
    case 'bearer-prefix':
      return `Bearer ${token}`;
    case 'two-segments':
      return token.split('.').slice(0, 2).join('.');
  }
}

interface Built {
  token: string;
  now: Date;
}

function buildToken(world: World, testCase: Case): Built {
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  let legit: KeyObject;
  if (testCase.kind === 'self') {
    header = applyChanges(world, world.issued[testCase.base].header, testCase.header);
    claims = applyChanges(world, world.issued[testCase.base].claims, testCase.claims);
    legit = world.issuer.privateKey;
  } else {
    const { nbfOffset, lifetime, strings, iat } = testCase.times;
    const nbf = world.start + nbfOffset;
    const time = (value: number): number | string => (strings ? String(value) : value);
    header = applyChanges(world, { typ: 'JWT', alg: 'RS256', x5t: world.partner.x5t }, testCase.header);
    claims = { aud: world.partner.aud, iss: world.partner.iss, nameid: world.partner.nameid, nbf: time(nbf), exp: time(nbf + lifetime), ...(iat ? { iat: time(nbf) } : {}) };
    for (const [name, value] of testCase.extraClaims) claims[name] = value;
    legit = world.partner.privateKey;
  }
  const segments = [encodeSegment(textBytes(world, header, testCase.headerText), undefined), encodeSegment(textBytes(world, claims, testCase.payloadText), undefined)];
  const signedSegments = [...segments];
  const encoding = testCase.encoding;
  if (encoding && encoding.part !== 2) {
    const bytes = textBytes(world, encoding.part === 0 ? header : claims, encoding.part === 0 ? testCase.headerText : testCase.payloadText);
    segments[encoding.part] = encodeSegment(bytes, encoding.encoding);
    if (encoding.resign) signedSegments[encoding.part] = segments[encoding.part]!;
  }
  const signature = mutateSignature(signWith(world, testCase.key ?? 'legit', legit, signedSegments.join('.')), testCase.signature);
  const signatureSegment = encodeSegment(signature, encoding?.part === 2 ? encoding.encoding : undefined);
  const token = mutateToken(`${segments.join('.')}.${signatureSegment}`, testCase.token);

  let now = world.start * 1000;
  if (testCase.kind === 'self') {
    const anchor = testCase.clock.anchor === 'start' ? world.start : claims[testCase.clock.anchor];
    const usable = typeof anchor === 'number' && Number.isFinite(anchor) && Math.abs(anchor - world.start) < 10 * 365 * DAY;
    // Any millisecond: both sides judge the whole second (decided; see 'decided: whole seconds').
    now = Math.round(((usable ? anchor : world.start) + testCase.clock.delta) * 1000);
  }
  return { token, now: new Date(now) };
}

// ---------------------------------------------------------------------------------------------
// The oracle: jose's verdict AND our documented extra rules.
// ---------------------------------------------------------------------------------------------

/** What the oracle reads from a token, independently of our parser. */
interface Inspected {
  token: string;
  segments: string[];
  headerBytes: Buffer | null;
  payloadBytes: Buffer | null;
  header: Record<string, unknown> | null;
  payload: unknown;
}

function inspect(token: string): Inspected {
  const segments = token.split('.');
  const decode = (segment: string | undefined): Buffer | null => (segment === undefined ? null : Buffer.from(segment.replace(/\s/g, ''), 'base64url'));
  const parse = (bytes: Buffer | null): unknown => {
    if (!bytes) return null;
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return null;
    }
  };
  const headerBytes = decode(segments[0]);
  const payloadBytes = decode(segments[1]);
  const header = parse(headerBytes);
  return {
    token,
    segments,
    headerBytes,
    payloadBytes,
    header: typeof header === 'object' && header !== null && !Array.isArray(header) ? (header as Record<string, unknown>) : null,
    payload: parse(payloadBytes),
  };
}

/**
 * Duplicate keys and `__proto__` keys anywhere in a JSON text, read by a small parser of its own
 * (never our strict parser). Only called on text that JSON.parse accepted.
 */
function jsonKeyProblem(text: string): 'duplicate' | '__proto__' | null {
  let i = 0;
  let problem: 'duplicate' | '__proto__' | null = null;
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const from = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(from, i)) as string;
  };
  const value = (): void => {
    space();
    if (text[i] === '{') {
      i++;
      const keys = new Set<string>();
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        const key = string();
        if (key === '__proto__') problem ??= '__proto__';
        if (keys.has(key)) problem ??= 'duplicate';
        keys.add(key);
        space();
        i++; // ':'
        value();
        space();
        if (text[i++] === '}') return;
      }
    } else if (text[i] === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i++] === ']') return;
      }
    } else if (text[i] === '"') {
      string();
    } else {
      while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
    }
  };
  value();
  return problem;
}

interface Context {
  world: World;
  now: Date;
}

interface Rule {
  id: string;
  /** The catalogue row or specification text that makes us stricter than jose here. */
  cites: string;
  /** A disagreement found by this test, not a decided policy: the lead decides (none now; the run fails while one is left). */
  pending?: true;
  refuses: (token: Inspected, context: Context) => boolean;
}

const isNumericDate = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;
/** jose judges whole seconds (`epoch()` floors the current date); so do we. */
const wholeSeconds = (now: Date): number => Math.floor(now.getTime() / 1000);
/** Our 24 h cap (SPEC 4.1, 5.6), written out here rather than imported from the code under test. */
const MAX_LIFETIME = 86_400;

/**
 * Whether a decoded segment, read by JSON.parse (as jose reads it), holds a key or string value that
 * is not well-formed UTF-16 (a lone surrogate): String.prototype.isWellFormed (ES2024, Node 20; not
 * in this project's `lib`), never our parser's check.
 */
function hasIllFormedString(text: string): boolean {
  const wellFormed = (value: string): boolean => (value as unknown as { isWellFormed(): boolean }).isWellFormed();
  const walk = (value: unknown): boolean => {
    if (typeof value === 'string') return !wellFormed(value);
    if (typeof value !== 'object' || value === null) return false;
    if (Array.isArray(value)) return value.some(walk);
    return Object.entries(value).some(([key, entry]) => !wellFormed(key) || walk(entry));
  };
  return walk(JSON.parse(text));
}

/** A `typ` value as jose compares it (its `normalizeTyp`): lowercased, `application/` prepended when it has no `/`. */
const joseTyp = (value: string): string => (value.includes('/') ? value.toLowerCase() : `application/${value.toLowerCase()}`);
const utf8Text = (bytes: Buffer | null): string | null => {
  try {
    return bytes ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) : null;
  } catch {
    return null;
  }
};

/** Rules of the strict pre-parser (SPEC 5.9), on every path. */
const FORMAT_RULES: Rule[] = [
  { id: 'size-cap', cites: 'B01: tokens over 16 KiB are refused before parsing (jose has no size limit)', refuses: (t) => t.token.length > MAX_TOKEN_CHARS },
  {
    id: 'canonical-base64url',
    cites: 'B04/B05, RFC 7515 §2: unpadded base64url of the canonical alphabet, each segment re-encoding to itself (jose decodes with atob: padding, whitespace and non-zero unused bits pass)',
    refuses: (t) => t.segments.some((segment) => !/^[A-Za-z0-9_-]*$/.test(segment) || Buffer.from(segment, 'base64url').toString('base64url') !== segment),
  },
  {
    id: 'no-byte-order-mark',
    cites: 'B06 (a claim is never altered) and RFC 8259 §8.1 (a parser may refuse a BOM): jose\'s TextDecoder drops a leading BOM',
    refuses: (t) => [t.headerBytes, t.payloadBytes].some((bytes) => bytes !== null && bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))),
  },
  {
    id: 'no-duplicate-json-keys',
    cites: 'B03, RFC 7515 §4 / RFC 7519 §4: duplicate member names are refused (jose keeps the last)',
    refuses: (t) => [t.headerBytes, t.payloadBytes].some((bytes) => {
      const text = utf8Text(bytes);
      return text !== null && isJson(text) && jsonKeyProblem(text) === 'duplicate';
    }),
  },
  {
    id: 'no-__proto__-key',
    cites: 'B09: a "__proto__" member is refused outright (jose accepts it as an own property)',
    refuses: (t) => [t.headerBytes, t.payloadBytes].some((bytes) => {
      const text = utf8Text(bytes);
      return text !== null && isJson(text) && jsonKeyProblem(text) === '__proto__';
    }),
  },
  {
    id: 'no-lone-surrogate',
    cites: 'B06 ("lone \\uD800 in a claim": 401), RFC 7493 §2.1 (I-JSON: no surrogate code points in names or strings): a lone UTF-16 surrogate escape in the header or payload is refused as invalid_json (JSON.parse and jose accept it)',
    refuses: (t) => [t.headerBytes, t.payloadBytes].some((bytes) => {
      const text = utf8Text(bytes);
      return text !== null && isJson(text) && hasIllFormedString(text);
    }),
  },
  { id: 'no-key-supplying-header', cites: 'A05/A06, RFC 8725 §3.10: jku, jwk and x5u are refused (jose ignores them when given a key)', refuses: (t) => t.header !== null && ['jku', 'jwk', 'x5u'].some((name) => Object.hasOwn(t.header!, name)) },
  { id: 'no-crit', cites: 'A10, RFC 7515 §4.1.11: we understand no extension, so any crit is refused (jose accepts crit ["b64"] with b64: true)', refuses: (t) => t.header !== null && Object.hasOwn(t.header, 'crit') },
];

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Our own RFC 9068 tokens (SPEC 4.2, 5.6 "this service"). */
const SELF_RULES: Rule[] = [
  ...FORMAT_RULES,
  {
    id: 'key-by-kid-then-x5t',
    cites: 'A08/A09, SPEC 5.9: the key is chosen from our published certificates by kid (else x5t); jose is handed the key directly',
    refuses: (t, { world }) => {
      const h = t.header ?? {};
      const id = typeof h.kid === 'string' ? h.kid : typeof h.x5t === 'string' ? h.x5t : '';
      return id !== world.issuer.x5t;
    },
  },
  { id: 'aud-single-string', cites: 'C06: our tokens carry one audience string (jose accepts an array containing it)', refuses: (t) => typeof (t.payload as Record<string, unknown> | null)?.aud !== 'string' },
  {
    id: 'numericdate-finite-non-negative',
    cites: 'B10, RFC 7519 §2: exp, nbf and iat, when present, are finite non-negative numbers (jose accepts 1e400 = Infinity and negatives)',
    refuses: (t) => ['exp', 'nbf', 'iat'].some((name) => {
      const value = (t.payload as Record<string, unknown> | null)?.[name];
      return value !== undefined && !isNumericDate(value);
    }),
  },
  {
    id: 'iat-not-in-future',
    cites: 'C03: iat beyond now + skew is refused (jose checks iat only with maxTokenAge, which would also make iat required); now in whole seconds, as jose',
    refuses: (t, { world, now }) => {
      const iat = (t.payload as Record<string, unknown> | null)?.iat;
      return typeof iat === 'number' && iat - world.skew > wholeSeconds(now);
    },
  },
  {
    id: 'token-follows-its-credential',
    cites:
      'issue 17 (TokenStanding): our token stands only while the client it names (client_id, case-insensitive) exists and the credential that obtained it (cred) is still one of that client\'s; jose knows nothing of clients (client_removed, credential_revoked)',
    refuses: (t, { world }) => {
      const payload = (t.payload as Record<string, unknown> | null) ?? {};
      if (typeof payload.client_id !== 'string') return false;
      const clientId = payload.client_id.toLowerCase();
      const owner = Object.values(world.issued).find((issued) => issued.claims.client_id === clientId);
      return owner === undefined || (typeof payload.cred === 'string' && payload.cred !== owner.claims.cred);
    },
  },
  {
    id: 'max-lifetime-24h',
    cites: 'SPEC 5.6 ("maximum lifetime"), C05: exp − iat (else exp − nbf) at most 24 h, the cap of actor tokens (SPEC 4.1); the service issues at most 24 h (jose caps only with maxTokenAge, measured from now)',
    refuses: (t) => {
      const payload = (t.payload as Record<string, unknown> | null) ?? {};
      const start = payload.iat !== undefined ? payload.iat : payload.nbf;
      return isNumericDate(payload.exp) && isNumericDate(start) && (payload.exp as number) - (start as number) > MAX_LIFETIME;
    },
  },
];

/**
 * Behaviours in which we and jose agree (both accept) and that were looked at and kept on purpose,
 * each pinned by the test 'documented agreements'. Typ as a media type and whole-second clocks are
 * agreements too since 2026-12-06 (both follow jose); they are pinned by the 'decided' tests.
 */
const AGREEMENTS: { id: string; cites: string }[] = [
  {
    id: 'numeric-kid-beside-valid-x5t',
    cites:
      'a kid that is not a string (kid: 123) is ignored and the key found by a valid x5t: the key ring\'s one rule (kid, else x5t) reads only a string kid; jose is handed the key. Catalogue A16 names alg and typ type confusion only; the signature still binds the header, so no key is chosen by a value we do not read',
  },
];

/** Microsoft S2S actor tokens: format and key rules only (claims are generated to pass the partner rules). */
const ACTOR_RULES: Rule[] = [
  ...FORMAT_RULES,
  {
    id: 'actor-typ-JWT',
    cites: 'SPEC 4.1, A15: an S2S actor token has typ "JWT" (as a media type, RFC 7515 §4.1.9: jwt, application/jwt, any case) or none (compactVerify checks no typ)',
    refuses: (t) => t.header !== null && t.header.typ !== undefined && (typeof t.header.typ !== 'string' || joseTyp(t.header.typ) !== 'application/jwt'),
  },
  {
    id: 'actor-key-by-x5t-then-kid',
    cites: 'A08/A09, SPEC 5.9: the key is the partner\'s certificate named by x5t (else kid), 27 base64url characters; jose is handed the key directly',
    refuses: (t, { world }) => {
      const h = t.header ?? {};
      const id = typeof h.x5t === 'string' ? h.x5t : typeof h.kid === 'string' ? h.kid : '';
      return id !== world.partner.x5t;
    },
  },
  {
    id: 'payload-utf8-json-object',
    cites: 'B06/B07, RFC 7519 §7.2: the payload is a UTF-8 JSON object (compactVerify returns the payload bytes unread)',
    refuses: (t) => typeof t.payload !== 'object' || t.payload === null || Array.isArray(t.payload),
  },
];

async function joseVerdict(world: World, testCase: Case, token: string, now: Date): Promise<string | null> {
  try {
    if (testCase.kind === 'self') {
      await jwtVerify(token, world.issuer.joseKey, {
        algorithms: ['RS256'],
        issuer: ISSUER,
        audience: RESOURCE,
        typ: 'at+jwt',
        clockTolerance: world.skew,
        currentDate: now,
        requiredClaims: ['exp'],
      });
    } else {
      await compactVerify(token, world.partner.joseKey, { algorithms: ['RS256'] });
    }
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).name;
  }
}

// ---------------------------------------------------------------------------------------------
// The arbitraries.
// ---------------------------------------------------------------------------------------------

const set = (value: unknown): Change => ({ set: value });
const del: Change = { delete: true };
const raw = (text: string): Change => ({ raw: text });
/** Mostly nothing: a case changes only a few things at once, so a good share stays valid. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, none: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: none }, { arbitrary, weight: 1 });

function arbitraries(skew: number, lifetime: number): { self: fc.Arbitrary<SelfCase>; actor: fc.Arbitrary<ActorCase> } {
  const json = fc.jsonValue({ maxDepth: 2 });
  const algValues = fc.constantFrom(set('RS256'), set('rs256'), set('RS384'), set('RS512'), set('PS256'), set('ES256'), set('HS256'), set('none'), set('None'), set(''), set(256), set(null), set(['RS256']), del);
  const keyIdValues = fc.constantFrom(
    set('$OUR_X5T'),
    set('$PARTNER_X5T'),
    set('$STRANGER_X5T'),
    set('$OUR_X5T_S256'),
    set(''),
    set('short'),
    set(123),
    set(null),
    set(['$OUR_X5T']),
    set('../../../../dev/null'),
    set("' OR '1'='1"),
    set('x'.repeat(300)),
    del,
  );
  const extraParameter = fc.oneof(
    fc.tuple(fc.constantFrom('foo', 'cty', 'url', 'nonce', 'x-ms-foo', 'enc', 'epk', 'iss', 'exp'), json.map(set)),
    fc.constant<[string, Change]>(['zip', set('DEF')]),
    fc.tuple(fc.constant('b64'), fc.constantFrom(set(true), set(false), set('false'))),
    fc.constant<[string, Change]>(['x5c', set('$OUR_X5C')]),
  );
  const critical = fc.constantFrom<[string, Change]>(['crit', set(['exp'])], ['crit', set(['b64'])], ['crit', set([])], ['crit', set('b64')], ['crit', set(['foo'])], ['crit', set(['alg'])]);
  const keySupplying = fc.constantFrom<[string, Change]>(['jku', set('https://evil.example/jwks')], ['jwk', set('$ATTACKER_JWK')], ['x5u', set('https://evil.example/cert.pem')]);
  /** One header change, or a group of them (crit naming b64 with b64 present: the one crit jose accepts). */
  const headerChange = (typValues: fc.Arbitrary<Change>): fc.Arbitrary<[string, Change][]> =>
    fc.oneof(
      fc.tuple(fc.constant('alg'), algValues).map((change) => [change]),
      fc.tuple(fc.constant('typ'), typValues).map((change) => [change]),
      fc.tuple(fc.constantFrom('kid', 'x5t', 'x5t#S256'), keyIdValues).map((change) => [change]),
      extraParameter.map((change) => [change]),
      critical.map((change) => [change]),
      fc.constant<[string, Change][]>([['crit', set(['b64'])], ['b64', set(true)]]),
      keySupplying.map((change) => [change]),
    );
  const selfTyp = fc.constantFrom(
    set('at+jwt'),
    set('AT+JWT'),
    set('At+Jwt'),
    set('application/at+jwt'),
    set('application/AT+JWT'),
    set('JWT'),
    set('jwt'),
    set('at+jwt '),
    set(''),
    set('application/jwt'),
    set(1),
    set(null),
    set({}),
    del,
  );
  const actorTyp = fc.constantFrom(set('JWT'), set('jwt'), set('at+jwt'), set('JWS'), set('application/jwt'), set(''), set(null), del);

  const boundaries = [-skew - 1, -skew, -skew + 1, -skew - 0.5, -skew + 0.5, -1, -0.5, 0, 0.5, 1, skew - 1, skew - 0.5, skew, skew + 0.5, skew + 1];
  const timeValue = fc.oneof(
    fc.constantFrom(...boundaries, lifetime - skew, lifetime, lifetime + skew).map((delta): Change => ({ rel: delta })),
    fc.integer({ min: -2 * DAY, max: 2 * DAY }).map((delta): Change => ({ rel: delta })),
    fc.double({ min: -2 * 3600, max: 2 * 3600, noNaN: true }).map((delta): Change => ({ rel: delta })),
    fc.integer({ min: -DAY, max: DAY }).map((delta): Change => ({ relString: delta })),
    fc.constantFrom(
      set(-1),
      set(-1e9),
      set(0),
      set(1e10),
      set(1e12),
      set(1e15),
      set(8.64e15),
      set(1e300),
      set(Number.MAX_SAFE_INTEGER),
      set(2 ** 53 + 2),
      raw('1e400'),
      raw('-1e400'),
      raw('1e-400'),
      raw('-0'),
      set(null),
      set(true),
      set({}),
      set([]),
      set('1e10'),
      del,
    ),
  );
  const claimChange = fc.oneof(
    fc.tuple(
      fc.constant('iss'),
      fc.constantFrom(set(ISSUER), set(`${ISSUER}/`), set(ISSUER.toUpperCase()), set('https://evil.example'), set('$PARTNER_ISS'), set(123), set(null), set([ISSUER]), set({}), del),
    ),
    fc.tuple(
      fc.constant('aud'),
      fc.constantFrom(
        set(RESOURCE),
        set([RESOURCE]),
        set([RESOURCE, 'https://evil.example']),
        set(['https://evil.example', RESOURCE]),
        set('https://evil.example'),
        set([]),
        set([RESOURCE, 1]),
        set(RESOURCE.toUpperCase()),
        set('$PARTNER_AUD'),
        set(null),
        set(1),
        set({}),
        del,
      ),
    ),
    { arbitrary: fc.tuple(fc.constantFrom('exp', 'nbf', 'iat'), timeValue), weight: 4 },
    fc.tuple(fc.constantFrom('sub', 'client_id', 'azp', 'appid', 'tid', 'jti', 'idtyp', 'roles', 'scp', 'act', 'upn', 'sid', 'nameid', 'actortoken', 'x-foo'), json.map(set)),
    fc.constantFrom<[string, Change]>(['x-pad', set('$PAD_UNDER')], ['x-pad', set('$PAD_OVER')]),
  );
  /** `sameClaims`: the text may be re-encoded (spacing, escapes, a repeated key with its own value…) but says the same. */
  const textMutation = (keys: string[], sameClaims = false): fc.Arbitrary<TextMutation> =>
    fc.oneof(
      fc.constant<TextMutation>({ kind: 'pretty' }),
      fc.constantFrom(...keys).map((key): TextMutation => ({ kind: 'escaped-key', key })),
      fc
        .record({ key: fc.constantFrom(...keys), value: sameClaims ? fc.constant(set('$SAME')) : fc.oneof(fc.constant(set('$SAME')), json.map(set)), attackerLast: fc.boolean() })
        .map((d): TextMutation => ({ kind: 'duplicate', ...d })),
      fc.record({ key: fc.constantFrom(...keys), attackerLast: fc.boolean() }).map((d): TextMutation => ({ kind: 'escaped-duplicate', ...d })),
      fc.constantFrom(0, 1, 30, 31, 32, 33, 40).map((depth): TextMutation => ({ kind: 'nested-duplicate', depth })),
      fc.constant<TextMutation>({ kind: 'proto' }),
      fc.constant<TextMutation>({ kind: 'bom' }),
      fc.constantFrom([0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xff], [0xf4, 0x90, 0x80, 0x80]).map((bytes): TextMutation => ({ kind: 'invalid-utf8', bytes: [...bytes] })),
      fc.constant<TextMutation>({ kind: 'lone-surrogate' }),
      fc.constantFrom(...(sameClaims ? ['{'] : ['[]', 'null', '"x"', '123', '', '{', '{}'])).map((text): TextMutation => ({ kind: 'replace', text })),
      fc.constantFrom(' ', '\n', 'x', '}', ',', '\u0000').map((text): TextMutation => ({ kind: 'append', text })),
    );
  const encoding = fc.oneof(
    fc.constant<Encoding>({ kind: 'padding' }),
    fc.record({ char: fc.constantFrom(' ', '\n', '\t', '\r'), at: fc.double({ min: 0, max: 1, noNaN: true }) }).map((d): Encoding => ({ kind: 'whitespace', ...d })),
    fc.constant<Encoding>({ kind: 'plus-slash' }),
    fc.integer({ min: 1, max: 15 }).map((bits): Encoding => ({ kind: 'trailing-bits', bits })),
    fc.record({ char: fc.constantFrom('.', '?', '*', '!', '~', '=', 'é', 'Ł', '\u0000'), at: fc.double({ min: 0, max: 1, noNaN: true }) }).map((d): Encoding => ({ kind: 'insert', ...d })),
    fc.constant<Encoding>({ kind: 'standard-base64' }),
    fc.constant<Encoding>({ kind: 'empty' }),
  );
  const signature = fc.oneof(
    fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }).map((d): SignatureMutation => ({ kind: 'flip', ...d })),
    fc.double({ min: 0, max: 0.999, noNaN: true }).map((keep): SignatureMutation => ({ kind: 'truncate', keep })),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }).map((bytes): SignatureMutation => ({ kind: 'extend', bytes })),
    fc.constant<SignatureMutation>({ kind: 'empty' }),
    fc.constant<SignatureMutation>({ kind: 'zero' }),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 300 }).map((bytes): SignatureMutation => ({ kind: 'replace', bytes })),
  );
  const common = (typValues: fc.Arbitrary<Change>, headerKeys: string[], payloadKeys: string[], sameClaims: boolean) => ({
    header: rarely(fc.array(headerChange(typValues), { minLength: 1, maxLength: 3 }), 3).map((groups) => (groups ?? []).flat()),
    headerText: rarely(textMutation(headerKeys), 10),
    payloadText: rarely(textMutation(payloadKeys, sameClaims), 10),
    encoding: rarely(fc.record({ part: fc.constantFrom<0 | 1 | 2>(0, 1, 2), encoding, resign: fc.boolean() }), 7),
    signature: rarely(signature, 10),
    key: rarely(fc.constantFrom<KeyChoice>('other-rsa', 'ec', 'pss', 'hmac', 'rsa-1024'), 14),
    token: rarely(fc.constantFrom<TokenMutation>('leading-space', 'trailing-space', 'trailing-dot', 'extra-segment', 'bearer-prefix', 'two-segments'), 30),
  });
  const self = fc.record({
    kind: fc.constant<'self'>('self'),
    base: fc.constantFrom<SelfCase['base']>('app', 'user'),
    ...common(selfTyp, ['alg', 'typ', 'kid'], ['iss', 'aud', 'exp', 'nbf', 'iat'], false),
    claims: rarely(fc.array(claimChange, { minLength: 1, maxLength: 3 }), 2).map((changes) => changes ?? []),
    clock: fc.record({
      anchor: fc.constantFrom<SelfCase['clock']['anchor']>('start', 'start', 'iat', 'nbf', 'exp'),
      delta: fc.oneof(fc.constantFrom(...boundaries, ...boundaries.map((b) => -b)), fc.integer({ min: -2 * skew, max: 2 * skew }), fc.double({ min: -2 * skew, max: 2 * skew, noNaN: true })),
    }),
  });
  const actor = fc.record({
    kind: fc.constant<'actor'>('actor'),
    ...common(actorTyp, ['alg', 'typ', 'x5t'], ['iss', 'aud', 'nbf'], true),
    // nbf up to 12 h ago or up to the skew ahead; the lifetime reaches past now - skew and stays within 24 h.
    times: fc
      .record({ nbfOffset: fc.integer({ min: -12 * 3600, max: skew }), lifetimeShare: fc.double({ min: 0, max: 1, noNaN: true }), strings: fc.boolean(), iat: fc.boolean() })
      .map(({ nbfOffset, lifetimeShare, strings, iat }) => {
        const shortest = Math.max(1, -nbfOffset - skew + 1);
        return { nbfOffset, lifetime: shortest + Math.floor(lifetimeShare * (DAY - shortest)), strings, iat };
      }),
    extraClaims: fc.array(fc.tuple(fc.constantFrom('appctx', 'x-ms-foo', 'trustedfordelegation'), fc.string({ maxLength: 20 })), { maxLength: 2 }),
  });
  return { self, actor };
}

// ---------------------------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------------------------

interface Tally {
  cases: number;
  self: number;
  actor: number;
  bothAccepted: number;
  bothRefusedByJose: number;
  /** jose accepted, we refused by a documented rule: counts per rule. */
  stricterByRule: Map<string, number>;
  /** One example token per rule, for the log. */
  examples: Map<string, string>;
  ourReasons: Map<string, number>;
  joseCodes: Map<string, number>;
}

const bump = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);

describe('TokenValidator vs jose (differential, property-based)', () => {
  let world: World;

  beforeAll(async () => {
    world = await openWorld();
  }, 120_000);

  afterAll(async () => {
    await world?.module.close();
    await world?.database.drop();
    world?.openssl.dispose();
  });

  it('the base tokens are accepted by both (our token from the token endpoint; a partner actor token)', async () => {
    world.clock.set(new Date(world.start * 1000));
    const { app, user } = world.issued;
    expect(app.header).toMatchObject({ typ: 'at+jwt', alg: 'RS256', kid: world.issuer.x5t });
    expect(app.claims).toMatchObject({ iss: ISSUER, aud: RESOURCE, iat: world.start, nbf: world.start, idtyp: 'app', roles: ['Orders.Read'] });
    expect(user.claims).toMatchObject({ iss: ISSUER, aud: RESOURCE, idtyp: 'user', sub: 'alice@contoso.com', upn: 'alice@contoso.com', scp: 'Orders.ReadWrite', act: { sub: expect.any(String) } });
    for (const issued of [app, user]) {
      expect(await world.validator.validate(issued.token, { audience: RESOURCE })).toMatchObject({ valid: true });
      expect(await joseVerdict(world, { kind: 'self' } as SelfCase, issued.token, world.clock.now())).toBeNull();
    }
    const selfCase: SelfCase = { kind: 'self', base: 'app', header: [], claims: [], headerText: undefined, payloadText: undefined, encoding: undefined, signature: undefined, key: undefined, token: undefined, clock: { anchor: 'start', delta: 0 } };
    // Re-signing the unchanged header and claims gives back the issued token: the harness signs as the service does.
    expect(buildToken(world, selfCase).token).toBe(app.token);
    expect(buildToken(world, { ...selfCase, base: 'user' }).token).toBe(user.token);
    const actorCase: ActorCase = { ...selfCase, kind: 'actor', times: { nbfOffset: 0, lifetime: 3600, strings: true, iat: false }, extraClaims: [] };
    const actor = buildToken(world, actorCase).token;
    expect(await world.validator.validate(actor)).toMatchObject({ valid: true, token: { trust: { kind: 'partner' } } });
    expect(await joseVerdict(world, actorCase, actor, world.clock.now())).toBeNull();
  });

  /** Our verdict and jose's on one self-token case at `now` (default: the case's own clock). */
  const verdicts = async (testCase: SelfCase, at?: Date): Promise<[boolean, string | null]> => {
    const { token, now: casesNow } = buildToken(world, testCase);
    const now = at ?? casesNow;
    world.clock.set(now);
    return [(await world.validator.validate(token, { audience: RESOURCE })).valid, await joseVerdict(world, testCase, token, now)];
  };
  const baseCase = (): SelfCase => ({ kind: 'self', base: 'app', header: [], claims: [], headerText: undefined, payloadText: undefined, encoding: undefined, signature: undefined, key: undefined, token: undefined, clock: { anchor: 'start', delta: 0 } });

  it('decided: whole seconds, as jose (the policy floors now): a non-integer nbf or exp and a clock inside a second agree', async () => {
    const { start, skew } = world;
    const at = (seconds: number): Date => new Date(Math.round(seconds * 1000));
    // nbf - skew = start + 0.5 s, now = start + 0.5 s read as start: not yet valid for both (we accepted before).
    expect(await verdicts({ ...baseCase(), claims: [['nbf', { rel: skew + 0.5 }]] }, at(start + 0.5))).toEqual([false, 'ERR_JWT_CLAIM_VALIDATION_FAILED']);
    // exp + skew = start + 0.3 s, now = start + 0.7 s read as start: current for both (we refused before).
    expect(await verdicts({ ...baseCase(), claims: [['exp', { rel: -skew + 0.3 }]] }, at(start + 0.7))).toEqual([true, null]);
    // Whole-second NumericDates (all this service issues) agreed before and still do.
    expect(await verdicts({ ...baseCase(), claims: [['nbf', { rel: skew + 1 }]] }, at(start + 0.5))).toEqual([false, 'ERR_JWT_CLAIM_VALIDATION_FAILED']);
    expect(await verdicts({ ...baseCase(), claims: [['exp', { rel: -skew }]] }, at(start + 0.7))).toEqual([false, 'ERR_JWT_EXPIRED']);
  });

  it('decided: typ as a media type (RFC 7515 §4.1.9; RFC 9068 §4 application/at+jwt), as jose', async () => {
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt']) expect([typ, await verdicts({ ...baseCase(), header: [['typ', set(typ)]] })]).toEqual([typ, [true, null]]);
    for (const typ of ['JWT', 'application/jwt', 'at+jwt ', 'text/at+jwt']) expect([typ, await verdicts({ ...baseCase(), header: [['typ', set(typ)]] })]).toEqual([typ, [false, 'ERR_JWT_CLAIM_VALIDATION_FAILED']]);
  });

  it('decided: stricter than jose on a lone surrogate (no-lone-surrogate, B06) and a lifetime over 24 h (max-lifetime-24h, SPEC 5.6)', async () => {
    const refusedByUsOnly = async (testCase: SelfCase, reason: string, rule: string): Promise<void> => {
      const { token, now } = buildToken(world, testCase);
      world.clock.set(now);
      const ours = await world.validator.validate(token, { audience: RESOURCE });
      expect([ours.valid, ours.valid ? null : ours.reason, await joseVerdict(world, testCase, token, now)]).toEqual([false, reason, null]);
      expect(SELF_RULES.filter((r) => r.refuses(inspect(token), { world, now })).map((r) => r.id)).toEqual([rule]);
    };
    await refusedByUsOnly({ ...baseCase(), payloadText: { kind: 'lone-surrogate' } }, 'invalid_json', 'no-lone-surrogate');
    await refusedByUsOnly({ ...baseCase(), headerText: { kind: 'lone-surrogate' } }, 'invalid_json', 'no-lone-surrogate');
    await refusedByUsOnly({ ...baseCase(), claims: [['exp', { rel: 10 * 365 * DAY }]] }, 'lifetime_too_long', 'max-lifetime-24h');
    await refusedByUsOnly({ ...baseCase(), claims: [['exp', { rel: DAY + 1 }]] }, 'lifetime_too_long', 'max-lifetime-24h');
    // Exactly 24 h from iat: both accept.
    expect(await verdicts({ ...baseCase(), claims: [['exp', { rel: DAY }]] })).toEqual([true, null]);
  });

  it('documented agreements (both accept, kept on purpose; see AGREEMENTS): a numeric kid beside a valid x5t', async () => {
    expect(AGREEMENTS.map((agreement) => agreement.id)).toEqual(['numeric-kid-beside-valid-x5t']);
    // The key ring reads kid only when it is a string; the key is found by x5t. Kept (see AGREEMENTS).
    expect(await verdicts({ ...baseCase(), header: [['kid', set(123)]] })).toEqual([true, null]);
    expect(await verdicts({ ...baseCase(), header: [['kid', set(123)], ['x5t', set('$STRANGER_X5T')]] })).toEqual([false, null]);
  });

  it(
    `agrees with jose plus the documented rules on ${RUNS} generated cases (seed ${SEED})`,
    async () => {
      const started = Date.now();
      const { self, actor } = arbitraries(world.skew, Number(world.issued.app.claims.exp) - Number(world.issued.app.claims.iat));
      const tally: Tally = { cases: 0, self: 0, actor: 0, bothAccepted: 0, bothRefusedByJose: 0, stricterByRule: new Map(), examples: new Map(), ourReasons: new Map(), joseCodes: new Map() };
      const property = fc.asyncProperty(fc.oneof({ arbitrary: self, weight: 3 }, { arbitrary: actor, weight: 1 }), async (testCase) => {
        const { token, now } = buildToken(world, testCase);
        world.clock.set(now);
        const ours = await world.validator.validate(token, testCase.kind === 'self' ? { audience: RESOURCE } : undefined);
        const jose = await joseVerdict(world, testCase, token, now);
        const inspected = inspect(token);
        const violated = (testCase.kind === 'self' ? SELF_RULES : ACTOR_RULES).filter((rule) => rule.refuses(inspected, { world, now }));
        const expected = jose === null && violated.length === 0;
        if (ours.valid !== expected) {
          const why = jose !== null ? `jose refused (${jose})` : violated.length ? `rules ${violated.map((rule) => rule.id).join(', ')}` : 'jose accepted, no rule refuses';
          throw new Error(`disagreement on a ${testCase.kind} token at ${now.toISOString()}: ours ${ours.valid ? 'accepted' : `refused (${ours.reason})`}, oracle ${expected ? 'accepts' : 'refuses'}: ${why}\n${token}`);
        }
        tally.cases += 1;
        tally[testCase.kind] += 1;
        if (!ours.valid) bump(tally.ourReasons, `${testCase.kind}:${ours.reason}`);
        if (jose !== null) bump(tally.joseCodes, `${testCase.kind}:${jose}`);
        if (expected) tally.bothAccepted += 1;
        else if (jose !== null) tally.bothRefusedByJose += 1;
        else {
          for (const rule of violated) {
            bump(tally.stricterByRule, `${testCase.kind}:${rule.id}`);
            if (!tally.examples.has(`${testCase.kind}:${rule.id}`)) tally.examples.set(`${testCase.kind}:${rule.id}`, token.length > 400 ? `${token.slice(0, 400)}…` : token);
          }
        }
      });
      console.log(`differential: seed ${SEED}, ${RUNS} runs${REPLAY_PATH ? `, replaying path ${REPLAY_PATH}` : ''} (replay: DIFFERENTIAL_SEED=${SEED} DIFFERENTIAL_RUNS=${RUNS})`);
      await fc.assert(property, { seed: SEED, numRuns: RUNS, path: REPLAY_PATH, endOnFailure: false });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const sorted = (map: Map<string, number>): string =>
        [...map]
          .sort((a, b) => b[1] - a[1])
          .map(([key, count]) => `    ${String(count).padStart(6)}  ${key}`)
          .join('\n');
      const rules = [...SELF_RULES.map((rule) => ['self', rule] as const), ...ACTOR_RULES.filter((rule) => !FORMAT_RULES.includes(rule)).map((rule) => ['actor', rule] as const)];
      console.log(
        [
          `differential: ${tally.cases} cases in ${seconds} s (seed ${SEED}): ${tally.self} own RFC 9068 tokens, ${tally.actor} partner actor tokens`,
          `  both accepted: ${tally.bothAccepted}; both refused (jose refused): ${tally.bothRefusedByJose}; refused by us only, under a documented rule: ${tally.cases - tally.bothAccepted - tally.bothRefusedByJose}`,
          `  jose accepted and we refused, per rule (a case can break several):`,
          sorted(tally.stricterByRule),
          `  the rules:`,
          ...rules.map(([kind, rule]) => `    ${kind}:${rule.id}${rule.pending ? ' [PENDING]' : ''}: ${rule.cites}`),
          `  documented agreements (both accept, kept on purpose):`,
          ...AGREEMENTS.map((agreement) => `    ${agreement.id}: ${agreement.cites}`),
          `  our refusal reasons:`,
          sorted(tally.ourReasons),
          `  jose's refusal codes:`,
          sorted(tally.joseCodes),
          `  one example per rule:`,
          ...[...tally.examples].map(([rule, token]) => `    ${rule}: ${token}`),
        ].join('\n'),
      );
      expect(tally.cases).toBe(RUNS);
      // No pending rule: every stricter rule is a decided policy with its catalogue row or RFC.
      expect(rules.filter(([, rule]) => rule.pending).map(([kind, rule]) => `${kind}:${rule.id}`)).toEqual([]);
      // Every documented rule must be exercised, or it is not tested.
      // (only on a full run: a short replay need not meet every rule)
      if (RUNS >= 5_000) for (const [kind, rule] of rules) expect([`${kind}:${rule.id}`, tally.stricterByRule.has(`${kind}:${rule.id}`)]).toEqual([`${kind}:${rule.id}`, true]);
      expect(tally.bothAccepted).toBeGreaterThan(RUNS / 10);
    },
    TIMEOUT_MS,
  );
});
