import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuditLogService, AuditModule } from '@s2s/audit';
import { CertificateRequestService, CertificateStoreService, CertificatesModule, TokenIssuerAssignmentService } from '@s2s/certificates';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, CoreModule, FrozenClock } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { MetricsRegistry, OperationsModule } from '@s2s/operations';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, OpenSslToolkit, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { randomBytes } from 'node:crypto';
import { RolloverModule } from './rollover.module.js';
import { RolloverScheduler } from './rollover.scheduler.js';
import { TokenIssuerRenewalService } from './token-issuer-renewal.service.js';

const DAY = 86_400_000;

/**
 * Automatic renewal in `csr` mode (issue 16): at `renewBefore` the service creates one certificate
 * request and raises the alert; once an operator completes it with the CA's certificate, the
 * successor is staged as a gated roll with the minimum lead. Driven through the scheduler with a
 * frozen clock, on both databases.
 */
describe.each(testDatabaseKinds())('automatic renewal with a CA (csr) on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  const operator: AdminActor = { keyId: null, name: 'operator', requestId: 'req-1' };
  let database: TestDatabase;
  let module: TestingModule;
  // Near the machine's time: the CA below issues certificates valid from now.
  const clock = new FrozenClock(new Date());

  const audit = async (action: string) => (await module.get(AuditLogService).list({ action })).items;
  const metric = async (name: string): Promise<number> => {
    const text = await module.get(MetricsRegistry).registry.metrics();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)![1]);
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const config = Object.assign(new AppConfig(), { publicUrl: 'https://s2s.contoso.com' });
    module = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot(clock),
        AppConfigModule.forRoot(config, new MasterKey(randomBytes(32))),
        PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
        OperationsModule,
        AuditModule,
        OAuthConfigurationModule,
        CertificatesModule,
        RolloverModule,
      ],
    }).compile();
    module.useLogger(false);
    await module.get(OAuthConfigurationService).ensureInitialized();
    await module.init();
    await module.get(OAuthConfigurationService).update({ realm: 'contoso.com', autoRenew: 'csr' }, { force: false }, operator);
    const current = await module.get(CertificateStoreService).createSelfSigned({ realms: ['contoso.com'], dnsNames: ['s2s.contoso.com'], days: 40, keySize: 3072 }, operator);
    await module.get(TokenIssuerAssignmentService).assign({ thumbprint: current.certificate.thumbprint }, operator);
  }, 60_000);

  afterAll(async () => {
    await module?.close();
    await database?.drop();
    openssl.dispose();
  });

  it('creates one request at renewBefore, alerts while it waits, and stages the completed certificate as a gated roll', async () => {
    const scheduler = module.get(RolloverScheduler);
    const requests = module.get(CertificateRequestService);
    await scheduler.check();
    expect(await requests.list()).toEqual([]);

    // 30 days before expiry: several instances' checks at once still make one request.
    clock.advance(11 * DAY);
    await Promise.all([scheduler.check(), module.get(TokenIssuerRenewalService).renewIfDue(), module.get(TokenIssuerRenewalService).renewIfDue()]);
    const [request, ...others] = await requests.list();
    expect(others).toEqual([]);
    expect(request).toMatchObject({ status: 'pending', dnsNames: ['contoso.com', 's2s.contoso.com'], keySizeBits: 3072 });
    expect(await audit('certificate-renewal.request-created')).toEqual([
      expect.objectContaining({ actorName: 'system', actorKeyId: null, after: expect.objectContaining({ mode: 'csr', requestId: request!.id }) }),
    ]);
    await scheduler.check();
    expect(await metric('s2s_token_issuer_renewal_waiting_for_certificate')).toBe(1);
    expect((await module.get(TokenIssuerRenewalService).current())).toMatchObject({ mode: 'csr', requestId: request!.id, stagedAt: null });
    expect((await module.get(TokenIssuerAssignmentService).view()).next).toBeNull();

    // The operator completes it with the CA's certificate: the next check stages it.
    const issued = openssl.signCsr(openssl.certificateAuthority(), request!.csrPem, 60);
    const completed = await requests.complete(request!.id, { certificate: issued.certificatePem }, operator);
    await scheduler.check();
    const view = await module.get(TokenIssuerAssignmentService).view();
    expect(view.next?.thumbprint).toBe(completed.thumbprint);
    expect(view.roll).toMatchObject({ activateWhenFetched: true, publishedAt: clock.now() });
    expect(view.nextEffectiveAt!.getTime() - clock.now().getTime()).toBe(DAY + 60_000);
    expect(await audit('certificate-renewal.staged')).toEqual([
      expect.objectContaining({ actorName: 'system', after: expect.objectContaining({ mode: 'csr', successor: completed.thumbprint, requestId: request!.id }) }),
    ]);
    expect((await audit('certificate-assignment.roll'))[0]).toMatchObject({ actorName: 'system', after: { next: completed.thumbprint, activateWhenFetched: true } });
    await scheduler.check();
    expect(await metric('s2s_token_issuer_renewal_waiting_for_certificate')).toBe(0);
    expect(await audit('certificate-renewal.staged')).toHaveLength(1);

    // No partner to wait for: at the effective date the gate is open and it becomes current.
    clock.advance(DAY + 61_000);
    await scheduler.check();
    expect((await module.get(TokenIssuerAssignmentService).view()).current?.thumbprint).toBe(completed.thumbprint);
  });
});
