import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuditLogService, AuditModule } from '@s2s/audit';
import { CertificateRequestService, CertificateStoreService, CertificatesModule, TokenIssuerAssignmentService, TokenIssuerKeyRing } from '@s2s/certificates';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, CoreModule, FrozenClock } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { MetricsRegistry, OperationsModule } from '@s2s/operations';
import { PartnerApplicationService } from '@s2s/partners';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, OpenSslToolkit, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { randomBytes } from 'node:crypto';
import { RolloverModule } from './rollover.module.js';
import { RolloverEvidenceService } from './rollover-evidence.service.js';
import { RolloverScheduler } from './rollover.scheduler.js';
import { TokenIssuerRenewalService } from './token-issuer-renewal.service.js';

const DAY = 86_400_000;

/**
 * Automatic renewal in `csr` mode (issue 16): at `renewBefore` the service creates one certificate
 * request and raises the alert; once an operator completes it with the CA's certificate, the
 * successor is staged as a gated roll with the minimum lead. Driven through the scheduler with a
 * frozen clock, on both databases.
 */
describe.each(testDatabaseKinds())('rollover work of the scheduler (csr renewal, gate deadline) on %s', (kind) => {
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

  it('a gated roll waits for a partner that never fetched (alert once), and activates at its deadline by the clock', async () => {
    const partnerCertificate = openssl.selfSigned({ cn: 'pinned.fabrikam.com', days: 90 });
    await module.get(PartnerApplicationService).create(
      { identity: 'pinned.app', applicationIdentifier: '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f', realm: 'fabrikam.com', certificates: [partnerCertificate.certificatePem] },
      operator,
    );
    const assignments = module.get(TokenIssuerAssignmentService);
    const scheduler = module.get(RolloverScheduler);
    const before = (await assignments.view()).current!.thumbprint;
    const successor = (await module.get(CertificateStoreService).createSelfSigned({ realms: ['contoso.com'], days: 30 }, operator)).certificate;
    const effective = new Date(clock.now().getTime() + DAY + 120_000);
    const deadline = new Date(effective.getTime() + 2 * 3_600_000);
    await assignments.assign({ thumbprint: successor.thumbprint, roll: true, effectiveDate: effective, activateWhenFetched: true, deadline }, operator);

    const evidence = await module.get(RolloverEvidenceService).since(clock.now());
    expect(evidence.partners).toEqual([
      expect.objectContaining({ identity: 'pinned.app', fetched: false, addresses: [], addressProblem: expect.stringMatching(/no metadata URL and no source address/) }),
    ]);

    clock.set(new Date(effective.getTime() + 60_000));
    await scheduler.check();
    await scheduler.check();
    expect((await assignments.view()).current?.thumbprint).toBe(before);
    expect(await metric('s2s_token_issuer_activation_waiting')).toBe(1);
    expect(await audit('certificate-assignment.activation-waiting')).toEqual([
      expect.objectContaining({ actorName: 'system', after: expect.objectContaining({ next: successor.thumbprint, waitingFor: ['pinned.app'], deadline: deadline.toISOString() }) }),
    ]);

    // At the deadline every instance signs with the successor by its clock; the row follows.
    clock.set(deadline);
    expect(module.get(TokenIssuerKeyRing).signingKey(clock.now())?.thumbprint).toBe(successor.thumbprint);
    expect(await assignments.activateDueRoll()).toBe(true);
    expect((await audit('certificate-assignment.roll-activated'))[0]).toMatchObject({
      actorName: 'system',
      after: { current: successor.thumbprint, previous: before, activation: 'deadline reached (not every enabled partner had fetched the metadata)' },
    });
    await scheduler.check();
    expect(await metric('s2s_token_issuer_activation_waiting')).toBe(0);
  });
});
