import 'reflect-metadata';
import { randomBytes, X509Certificate } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuditLogService, AuditModule } from '@s2s/audit';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, ConflictError, CoreModule, FrozenClock, NotFoundError } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OperationsModule } from '@s2s/operations';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, OpenSslToolkit, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { DataSource } from 'typeorm';
import { CertificateRejectedError } from './certificate-rejected.error.js';
import { CertificateRequestService } from './certificate-request.service.js';
import { CertificateStoreService } from './certificate-store.service.js';
import { CertificatesModule } from './certificates.module.js';
import { TokenIssuerAssignmentService } from './token-issuer-assignment.service.js';
import { TokenIssuerCertificateMonitor } from './token-issuer-certificate.monitor.js';
import { TokenIssuerKeyRing } from './token-issuer.key-ring.js';

const DAY = 86_400_000;
const REALM = 'contoso.com';
const PRIVATE_KEY_MARKER = ['PRIVATE', 'KEY'].join(' ');

interface Harness {
  module: TestingModule;
  store: CertificateStoreService;
  requests: CertificateRequestService;
  assignments: TokenIssuerAssignmentService;
  keyRing: TokenIssuerKeyRing;
  dataSource: DataSource;
}

async function openHarness(database: TestDatabase, clock: FrozenClock, masterKey: MasterKey): Promise<Harness> {
  const config = Object.assign(new AppConfig(), { publicUrl: 'https://s2s.contoso.com' });
  const module = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot(clock),
      AppConfigModule.forRoot(config, masterKey),
      PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
      OperationsModule,
      AuditModule,
      OAuthConfigurationModule,
      CertificatesModule,
    ],
  }).compile();
  module.useLogger(false);
  await module.get(OAuthConfigurationService).ensureInitialized();
  await module.init();
  return {
    module,
    store: module.get(CertificateStoreService),
    requests: module.get(CertificateRequestService),
    assignments: module.get(TokenIssuerAssignmentService),
    keyRing: module.get(TokenIssuerKeyRing),
    dataSource: module.get(DataSource),
  };
}

/** Runs `fn`, expecting a CertificateRejectedError with this reason. */
async function expectRejected(fn: () => Promise<unknown>, reason: string, message?: RegExp): Promise<void> {
  const error = await fn().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CertificateRejectedError);
  expect((error as CertificateRejectedError).code).toBe(reason);
  if (message) expect((error as Error).message).toMatch(message);
}

describe.each(testDatabaseKinds())('OAuth token-issuer certificates on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  const actor: AdminActor = { keyId: null, name: 'tester', requestId: 'req-1' };
  let database: TestDatabase;
  let clock: FrozenClock;
  let masterKey: MasterKey;
  let h: Harness;

  const certificateCount = async (): Promise<number> => Number((await h.dataSource.query('SELECT count(*)::int AS n FROM certificate'))[0].n);

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // openssl stamps certificates with the real time; the frozen clock starts there.
    clock = new FrozenClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    masterKey = new MasterKey(randomBytes(32));
    h = await openHarness(database, clock, masterKey);
  });

  afterAll(async () => {
    await h?.module.close();
    await database?.drop();
    openssl.dispose();
  });

  it('refuses to assign before a realm is configured', async () => {
    const lab = await h.store.createSelfSigned({ realms: [REALM], days: 90 }, actor);
    await expectRejected(() => h.assignments.assign({ thumbprint: lab.certificate.thumbprint }, actor), 'realm_not_configured', /set the realm first/);
    await h.module.get(OAuthConfigurationService).update({ realm: REALM }, { force: false }, actor);
    await h.store.remove(lab.certificate.thumbprint, actor);
  });

  it('creates a self-signed certificate with the realms as SANs and seals its key under the master key', async () => {
    const { certificate } = await h.store.createSelfSigned({ realms: [REALM], dnsNames: ['s2s.contoso.com'], days: 90, keySize: 2048 }, actor);
    const x509 = new X509Certificate(certificate.certificatePem);
    expect(x509.subjectAltName).toBe('DNS:contoso.com, DNS:s2s.contoso.com');
    expect(certificate.thumbprint).toBe(x509.fingerprint.replace(/:/g, ''));
    const rows: { sealed_private_key: string }[] = await h.dataSource.query('SELECT sealed_private_key FROM certificate WHERE thumbprint_sha1 = $1', [certificate.thumbprint]);
    expect(rows[0]!.sealed_private_key).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(rows[0]!.sealed_private_key).not.toContain(PRIVATE_KEY_MARKER);
    const [event] = (await h.module.get(AuditLogService).list({ action: 'certificate.create-self-signed', targetId: certificate.thumbprint })).items;
    expect(event!.after).toMatchObject({ thumbprint: certificate.thumbprint, dnsNames: ['contoso.com', 's2s.contoso.com'], source: 'self-signed' });
    expect(JSON.stringify(event)).not.toMatch(/PRIVATE|v1\./);
    await h.store.remove(certificate.thumbprint, actor);
  });

  it('imports a PFX made by openssl, and stores nothing for a wrong password or a duplicate', async () => {
    const made = openssl.selfSigned({ cn: 'pfx.contoso.com', dnsNames: [REALM] });
    const pfx = openssl.pfx({ certFile: made.certFile, keyFile: made.keyFile, password: 'Pa55-word' });
    const before = await certificateCount();
    await expectRejected(() => h.store.import({ kind: 'pfx', pfxBase64: pfx.toString('base64'), password: 'wrong' }, actor), 'wrong_pfx_password');
    expect(await certificateCount()).toBe(before);
    const { certificate } = await h.store.import({ kind: 'pfx', pfxBase64: pfx.toString('base64'), password: 'Pa55-word' }, actor);
    expect(certificate.thumbprint).toBe(openssl.sha1Thumbprint(made.certFile));
    expect(certificate.source).toBe('pfx');
    const duplicate = await h.store.import({ kind: 'pfx', pfxBase64: pfx.toString('base64'), password: 'Pa55-word' }, actor).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(ConflictError);
    expect((duplicate as ConflictError).code).toBe('certificate_exists');
    expect(await certificateCount()).toBe(before + 1);
    await h.store.remove(certificate.thumbprint, actor);
  });

  it.each([
    ['a certificate for another realm', () => openssl.selfSigned({ cn: 'x', dnsNames: ['fabrikam.com'] }), 'realm_not_covered', /do not include the configured realm contoso\.com/],
    ['a 1024-bit RSA key', () => openssl.selfSigned({ cn: 'x', dnsNames: [REALM], keyAlgorithm: 'rsa:1024' }), 'weak_key', /1024 bits; at least 2048/],
    ['an EC key', () => openssl.selfSigned({ cn: 'x', dnsNames: [REALM], keyAlgorithm: 'ec' }), 'unsupported_key_type', /EC key/],
  ])('refuses %s and stores nothing', async (_name, make, reason, message) => {
    const made = make();
    const before = await certificateCount();
    await expectRejected(() => h.store.import({ kind: 'pem', certificate: made.certificatePem, privateKey: made.privateKeyPem }, actor), reason, message);
    expect(await certificateCount()).toBe(before);
  });

  it('refuses a key that belongs to another certificate, a missing key, an expired and a not yet valid certificate', async () => {
    const one = openssl.selfSigned({ cn: 'one', dnsNames: [REALM], days: 2 });
    const other = openssl.selfSigned({ cn: 'other', dnsNames: [REALM] });
    const before = await certificateCount();
    await expectRejected(() => h.store.import({ kind: 'pem', certificate: one.certificatePem, privateKey: other.privateKeyPem }, actor), 'private_key_mismatch');
    await expectRejected(() => h.store.import({ kind: 'pem', certificate: one.certificatePem }, actor), 'private_key_missing');
    const now = clock.now();
    try {
      clock.set(new Date(now.getTime() + 3 * DAY));
      await expectRejected(() => h.store.import({ kind: 'pem', certificate: one.certificatePem, privateKey: one.privateKeyPem }, actor), 'certificate_expired');
      clock.set(new Date(now.getTime() - DAY));
      await expectRejected(() => h.store.import({ kind: 'pem', certificate: one.certificatePem, privateKey: one.privateKeyPem }, actor), 'certificate_not_yet_valid');
    } finally {
      clock.set(now);
    }
    expect(await certificateCount()).toBe(before);
  });

  it('completes a request with the certificate a CA issued for its CSR, and refuses a foreign one', async () => {
    const request = await h.requests.create({ realms: [REALM], dnsNames: ['s2s.contoso.com'], subject: 'CN=s2s.contoso.com, O=Contoso' }, actor);
    const csrFile = openssl.write('request.csr', request.csrPem);
    expect(openssl.run(['req', '-in', csrFile, '-noout', '-verify'], undefined)).toBe('');
    expect(openssl.run(['req', '-in', csrFile, '-noout', '-text'])).toMatch(/DNS:contoso\.com, DNS:s2s\.contoso\.com/);
    const ca = openssl.certificateAuthority();
    const foreign = openssl.selfSigned({ cn: 'foreign', dnsNames: [REALM] });
    await expectRejected(() => h.requests.complete(request.id, { certificate: foreign.certificatePem }, actor), 'private_key_mismatch', /issued for another key/);
    expect((await h.requests.get(request.id)).status).toBe('pending');

    const issued = openssl.signCsr(ca, request.csrPem);
    const certificate = await h.requests.complete(request.id, { certificate: issued.certificatePem, chain: ca.certificatePem }, actor);
    expect(certificate.thumbprint).toBe(openssl.sha1Thumbprint(issued.certFile));
    expect(certificate.source).toBe('request');
    expect(certificate.chainPems).toHaveLength(1);
    const completed = await h.requests.get(request.id);
    expect(completed).toMatchObject({ status: 'completed', sealedPrivateKey: null, certificateThumbprint: certificate.thumbprint });
    const again = await h.requests.complete(request.id, { certificate: issued.certificatePem }, actor).catch((e: unknown) => e);
    expect((again as ConflictError).code).toBe('request_completed');
    await h.store.remove(certificate.thumbprint, actor);
  });

  it('assigns, rolls at the effective date, keeps previous, and guards removal and identity changes', async () => {
    const first = (await h.store.createSelfSigned({ realms: [REALM], days: 30 }, actor)).certificate;
    const second = (await h.store.createSelfSigned({ realms: [REALM], days: 400 }, actor)).certificate;
    const start = clock.now();

    const assigned = await h.assignments.assign({ thumbprint: first.thumbprint.toLowerCase().match(/.{2}/g)!.join(':') }, actor);
    expect(assigned.current?.thumbprint).toBe(first.thumbprint);
    expect(h.keyRing.signingKey(clock.now())?.thumbprint).toBe(first.thumbprint);
    expect(h.module.get(TokenIssuerCertificateMonitor).readiness()).toMatchObject({ ready: true, current: { thumbprint: first.thumbprint } });

    await expectRejected(
      () => h.assignments.assign({ thumbprint: second.thumbprint, roll: true, effectiveDate: new Date(start.getTime() - 1000) }, actor),
      'invalid_effective_date',
      /not in the future/,
    );
    await expectRejected(
      () => h.assignments.assign({ thumbprint: second.thumbprint, roll: true, effectiveDate: new Date(start.getTime() + 31 * DAY) }, actor),
      'invalid_effective_date',
      /before the current certificate expires/,
    );
    const effective = new Date(start.getTime() + 2 * DAY);
    const staged = await h.assignments.assign({ thumbprint: second.thumbprint, roll: true, effectiveDate: effective }, actor);
    expect(staged.next?.thumbprint).toBe(second.thumbprint);
    expect(staged.nextEffectiveAt?.toISOString()).toBe(effective.toISOString());
    expect(h.keyRing.published(clock.now()).map((key) => key.thumbprint)).toEqual([first.thumbprint, second.thumbprint]);

    const removal = await h.store.remove(second.thumbprint, actor).catch((e: unknown) => e);
    expect((removal as ConflictError).code).toBe('certificate_assigned');
    const realmChange = await h.module.get(OAuthConfigurationService).update({ realm: 'fabrikam.com' }, { force: false }, actor).catch((e: unknown) => e);
    expect((realmChange as ConflictError).code).toBe('force_required');
    expect((realmChange as Error).message).toContain(`OAuth token-issuer certificate ${first.thumbprint} is assigned`);

    // At the effective date the key ring signs with the new certificate before anything is written.
    clock.set(effective);
    expect(h.keyRing.signingKey(clock.now())?.thumbprint).toBe(second.thumbprint);
    expect(h.keyRing.published(clock.now()).map((key) => key.thumbprint)).toEqual([second.thumbprint, first.thumbprint]);
    expect(await h.assignments.activateDueRoll()).toBe(true);
    expect(await h.assignments.activateDueRoll()).toBe(false);
    const rows: { current_thumbprint: string; previous_thumbprint: string; next_thumbprint: string | null }[] = await h.dataSource.query(
      'SELECT current_thumbprint, previous_thumbprint, next_thumbprint FROM certificate_assignment',
    );
    expect(rows[0]).toEqual({ current_thumbprint: second.thumbprint, previous_thumbprint: first.thumbprint, next_thumbprint: null });
    const activations = (await h.module.get(AuditLogService).list({ action: 'certificate-assignment.roll-activated' })).items;
    expect(activations).toHaveLength(1);
    expect(activations[0]).toMatchObject({ actorName: 'system', after: { current: second.thumbprint, previous: first.thumbprint, next: null } });

    const cleared = await h.assignments.removePrevious(actor);
    expect(cleared.previous).toBeNull();
    await expect(h.assignments.removePrevious(actor)).rejects.toBeInstanceOf(NotFoundError);
    await h.store.remove(first.thumbprint, actor);
    clock.set(start);
  });

  it('answers not ready with the reason when no certificate signs', async () => {
    const fresh = await createTestDatabase(kind);
    const other = await openHarness(fresh, clock, masterKey);
    try {
      expect(other.module.get(TokenIssuerCertificateMonitor).readiness()).toMatchObject({ ready: false, reason: expect.stringContaining('no OAuth token-issuer certificate is assigned') });
      expect(other.keyRing.published(clock.now())).toEqual([]);
    } finally {
      await other.module.close();
      await fresh.drop();
    }
  });

  if (kind === 'postgres') {
    it('a second instance on the same database picks up an assignment within 2 s, and cannot sign without the master key', async () => {
      const second = await openHarness(database, clock, masterKey);
      const wrongKey = await openHarness(database, clock, new MasterKey(randomBytes(32)));
      try {
        const certificate = (await h.store.createSelfSigned({ realms: [REALM], days: 30 }, actor)).certificate;
        await h.assignments.assign({ thumbprint: certificate.thumbprint }, actor);
        const deadline = Date.now() + 2_000;
        while (second.keyRing.signingKey(clock.now())?.thumbprint !== certificate.thumbprint && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(second.keyRing.signingKey(clock.now())?.thumbprint).toBe(certificate.thumbprint);
        await wrongKey.keyRing.reload();
        expect(wrongKey.keyRing.signingKey(clock.now())).toBeNull();
        expect(wrongKey.keyRing.problems().join()).toContain(`the private key of certificate ${certificate.thumbprint} cannot be decrypted`);
        const other = (await h.store.createSelfSigned({ realms: [REALM], days: 30 }, actor)).certificate;
        await expectRejected(
          () => wrongKey.assignments.assign({ thumbprint: other.thumbprint }, actor),
          'invalid_private_key',
          /cannot be decrypted with this master key/,
        );
      } finally {
        await second.module.close();
        await wrongKey.module.close();
      }
    });
  }
});
