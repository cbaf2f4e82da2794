import 'reflect-metadata';
import { randomBytes, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuditModule } from '@s2s/audit';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, CoreModule, FrozenClock } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { MetricsRegistry, OperationsModule } from '@s2s/operations';
import { PartnerApplicationService, PartnerDirectory } from '@s2s/partners';
import { PersistenceModule } from '@s2s/persistence';
import { RevocationState, TokenRevocationService } from '@s2s/revocation';
import { createTestDatabase, OpenSslToolkit, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { TokenValidator } from './token.validator.js';
import { ValidationModule } from './validation.module.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

/**
 * The verified-token cache never serves a verdict after the change it depended on: a disabled
 * partner, a removed key, a configuration change, on one instance and (PostgreSQL) on a second
 * instance sharing the database, which learns of the change through the change feed's poll. Each
 * test first proves the verdict IS served from the cache (a hit), so it cannot pass by the cache
 * being bypassed. No timing assertion: the second instance is polled with a deadline.
 */

const REALM = 'contoso.com';
const PUBLIC_HOST = 'mail.contoso.com';
const HOUR = 3600;

interface Instance {
  module: TestingModule;
  validator: TokenValidator;
  cache: VerifiedTokenCache;
  directory: PartnerDirectory;
  configuration: OAuthConfigurationService;
  partners: PartnerApplicationService;
  revocations: TokenRevocationService;
  revocationState: RevocationState;
}

async function openInstance(database: TestDatabase, clock: FrozenClock, masterKey: Buffer): Promise<Instance> {
  const config = Object.assign(new AppConfig(), {
    publicUrl: 'https://s2s.contoso.com',
    authBackoff: { clientFailures: 5, addressFailures: 20 },
    databaseOutageToleranceSeconds: 3600,
    tokenCache: { maxEntries: 1000, maxBytes: 1024 * 1024 },
  });
  const module = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot(clock),
      AppConfigModule.forRoot(config, new MasterKey(masterKey)),
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
  return {
    module,
    validator: module.get(TokenValidator),
    cache: module.get(VerifiedTokenCache),
    directory: module.get(PartnerDirectory),
    configuration,
    partners: module.get(PartnerApplicationService),
    revocations: module.get(TokenRevocationService),
    revocationState: module.get(RevocationState),
  };
}

/** Polls `condition` every 50 ms until it holds, failing after `timeoutMs`. */
async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testDatabaseKinds())('verified-token cache on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  const admin: AdminActor = { keyId: null, name: 'tester', requestId: 'req-cache' };
  const masterKey = randomBytes(32);
  let database: TestDatabase;
  let clock: FrozenClock;
  let a: Instance;
  /** A second instance on the same PostgreSQL database (null on PGlite: one process only). */
  let b: Instance | null = null;
  let serviceName: string;
  let signer: { keyPem: string; certPem: string; x5t: string };
  let spare: { keyPem: string; certPem: string; x5t: string };
  let partnerGuid: string;
  let identity: string;

  const now = (): number => Math.floor(clock.now().getTime() / 1000);
  const makeSigner = (made: { certFile: string; keyFile: string; certificatePem: string }): { keyPem: string; certPem: string; x5t: string } => ({
    keyPem: readFileSync(made.keyFile, 'utf8'),
    certPem: made.certificatePem,
    x5t: openssl.x5t(made.certFile),
  });
  const seg = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  /** A fresh app-only actor token of the current partner (unique by its jti-like nonce). */
  const actorToken = (audienceHost = PUBLIC_HOST): string => {
    const input = `${seg({ typ: 'JWT', alg: 'RS256', x5t: signer.x5t })}.${seg({
      aud: `${serviceName}/${audienceHost}@${REALM}`,
      iss: `${partnerGuid}@${REALM}`,
      nameid: `${randomUUID()}@${REALM}`,
      nbf: now(),
      exp: now() + HOUR,
    })}`;
    return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), signer.keyPem).toString('base64url')}`;
  };
  const verdict = async (instance: Instance, token: string): Promise<string> => {
    const outcome = await instance.validator.validate(token);
    return outcome.valid ? 'valid' : outcome.reason;
  };
  /** Validates three times: the second admits the verdict (seen before), the third must come from the cache. */
  const expectCachedValid = async (instance: Instance, token: string): Promise<void> => {
    const sightings = instance.cache.stats.firstSightings;
    expect(await verdict(instance, token)).toBe('valid');
    expect(instance.cache.stats.firstSightings).toBe(sightings + 1);
    expect(await verdict(instance, token)).toBe('valid');
    const hits = instance.cache.stats.hits;
    expect(await verdict(instance, token)).toBe('valid');
    expect(instance.cache.stats.hits).toBe(hits + 1);
  };
  const instances = (): Instance[] => (b ? [a, b] : [a]);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    signer = makeSigner(openssl.selfSigned({ cn: 'conf.contoso.com', dnsNames: [REALM] }));
    spare = makeSigner(openssl.selfSigned({ cn: 'conf2.contoso.com', dnsNames: [REALM] }));
    clock = new FrozenClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    a = await openInstance(database, clock, masterKey);
    serviceName = (await a.configuration.update({ realm: REALM, publicHost: PUBLIC_HOST }, { force: false }, admin)).serviceName;
    if (database.url) {
      b = await openInstance(database, clock, masterKey);
      await eventually('the second instance to see the configuration', () => b!.configuration.cached().realm === REALM);
    }
  });

  afterAll(async () => {
    await b?.module.close();
    await a?.module.close();
    await database?.drop();
    openssl.dispose();
  });

  beforeEach(async () => {
    partnerGuid = randomUUID();
    identity = `conf-${partnerGuid.slice(0, 8)}`;
    await a.partners.create({ identity, applicationIdentifier: partnerGuid, realm: REALM, certificates: [signer.certPem], trustLevel: 'Full', hostAuthority: 'conf.contoso.com' }, admin);
    for (const instance of instances()) await eventually('every instance to know the partner', () => instance.directory.byIssuer(`${partnerGuid}@${REALM}`) !== undefined);
  });

  /**
   * Caches a verdict on every instance, makes `change` through instance `a`, then on each instance:
   * once its in-memory state shows the change (`applied`), the very next validation is refused with
   * `reason` (no verdict older than the change is served).
   */
  const expectChangeInvalidates = async (change: () => Promise<unknown>, applied: (instance: Instance) => boolean, reason: string): Promise<void> => {
    const token = actorToken();
    for (const instance of instances()) await expectCachedValid(instance, token);
    await change();
    // On the instance that made the change it is applied when the change returns.
    expect(applied(a)).toBe(true);
    expect(await verdict(a, token)).toBe(reason);
    if (b) {
      const second = b;
      await eventually('the second instance to apply the change', () => applied(second));
      expect(await verdict(second, token)).toBe(reason);
      expect(second.cache.stats.invalidations).toBeGreaterThan(0);
    }
  };

  it('serves a repeated valid token from the cache; a refused one is never held', async () => {
    const token = actorToken();
    const misses = a.cache.stats.misses;
    await expectCachedValid(a, token);
    expect(a.cache.stats.misses).toBe(misses + 2);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${Buffer.alloc(256, 1).toString('base64url')}`;
    const size = a.cache.size;
    expect(await verdict(a, forged)).toBe('signature_invalid');
    expect(await verdict(a, forged)).toBe('signature_invalid');
    expect(a.cache.size).toBe(size);
  });

  it('explain always validates afresh: it neither reads nor fills the cache', async () => {
    const token = actorToken();
    await expectCachedValid(a, token);
    const before = { ...a.cache.stats };
    const explained = await a.validator.validate(token, { explain: true });
    expect(explained.valid).toBe(true);
    expect(explained.trace.checks.length).toBeGreaterThan(3);
    expect(a.cache.stats).toEqual(before);
  });

  it('the verdict lasts no longer than the token: at exp it is validated again (and refused)', async () => {
    const token = actorToken();
    await expectCachedValid(a, token);
    const start = clock.now();
    try {
      clock.set(new Date(start.getTime() + HOUR * 1000 + 301_000));
      expect(await verdict(a, token)).toBe('token_expired');
    } finally {
      clock.set(start);
    }
  });

  it('a disabled partner: no cached verdict survives', async () => {
    await expectChangeInvalidates(
      () => a.partners.update(identity, { enabled: false }, admin),
      (instance) => instance.directory.byIssuer(`${partnerGuid}@${REALM}`)?.partner.enabled === false,
      'partner_disabled',
    );
  });

  it('a removed key: no cached verdict survives', async () => {
    await expectChangeInvalidates(
      () => a.partners.update(identity, { certificates: [spare.certPem] }, admin),
      (instance) => instance.directory.byIssuer(`${partnerGuid}@${REALM}`)?.keys.has(signer.x5t) === false,
      'key_unknown',
    );
  });

  it('a configuration change (our public host, hence the audience): no cached verdict survives', async () => {
    try {
      await expectChangeInvalidates(
        () => a.configuration.update({ publicHost: 'other.contoso.com' }, { force: false }, admin),
        (instance) => instance.configuration.cached().publicHost === 'other.contoso.com',
        'audience_invalid',
      );
    } finally {
      await a.configuration.update({ publicHost: PUBLIC_HOST }, { force: false }, admin);
      for (const instance of instances()) await eventually('the host to be restored', () => instance.configuration.cached().publicHost === PUBLIC_HOST);
    }
  });

  it('a revocation (the partner\'s not-before mark, issue 17): no cached verdict survives', async () => {
    await expectChangeInvalidates(
      () => {
        // The mark is "now": move the clock on so that the cached token was issued before it.
        clock.set(new Date(clock.now().getTime() + 2000));
        return a.revocations.revokeTokensBefore('partner', identity, admin);
      },
      (instance) => instance.revocationState.notBefore('partner', identity) !== undefined,
      'revoked_by_not_before',
    );
  });

  it('reports hits and misses as metrics', async () => {
    await expectCachedValid(a, actorToken());
    const text = await a.module.get(MetricsRegistry).registry.metrics();
    expect(text).toMatch(new RegExp(`s2s_token_cache_lookups_total\\{result="hit"\\} ${a.cache.stats.hits}\\b`));
    expect(text).toMatch(new RegExp(`s2s_token_cache_lookups_total\\{result="miss"\\} ${a.cache.stats.misses}\\b`));
    expect(text).toMatch(/s2s_token_cache_entries [1-9]/);
  });
});
