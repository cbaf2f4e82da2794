import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { AdminAccessModule, AdminApiKeyService } from '@s2s/admin-access';
import { AuditLogService, AuditModule } from '@s2s/audit';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, ConflictError, CoreModule, FrozenClock, InvalidInputError, UnitOfWork } from '@s2s/core';
import { IdentityChangeGuard, OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { InstanceHeartbeatRepository } from '@s2s/lifecycle';
import { OAuthWireModule } from '@s2s/oauth-wire';
import { OperationsModule } from '@s2s/operations';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';
import { PersistenceModule } from './persistence.module.js';

const T0 = new Date('2026-11-21T10:00:00.000Z');

describe.each(testDatabaseKinds())('persistence on %s', (kind) => {
  let database: TestDatabase;
  let module: TestingModule;
  let clock: FrozenClock;
  let dataSource: DataSource;
  let actor: AdminActor;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    clock = new FrozenClock(T0);
    module = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot(clock),
        AppConfigModule.forRoot(Object.assign(new AppConfig(), { authBackoff: { clientFailures: 5, addressFailures: 20 } }), new MasterKey(randomBytes(32))),
        PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
        OperationsModule,
        AuditModule,
        // The admin guard's back-off (per key id and address) is the one of the OAuth wire layer.
        OAuthWireModule,
        AdminAccessModule,
        OAuthConfigurationModule,
      ],
    }).compile();
    await module.init();
    dataSource = module.get(DataSource);
    const created = await module.get(AdminApiKeyService).create({ name: 'tester', role: 'admin' }, { keyId: null, name: 'system', requestId: null });
    actor = { keyId: created.key.id, name: 'tester', requestId: 'req-1' };
  });

  afterAll(async () => {
    await module?.close();
    await database?.drop();
  });

  it('applies every migration and records it', async () => {
    const rows: { name: string }[] = await dataSource.query('SELECT name FROM typeorm_migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    const tables: { table_name: string }[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['admin_api_key', 'audit_event', 'oauth_configuration']));
  });

  it('migrates down and up again without leftovers', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      for (const migration of [...MIGRATIONS].reverse()) await new migration().down(runner);
      const after: { n: string }[] = await runner.query(
        `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('admin_api_key','audit_event','oauth_configuration')`,
      );
      expect(after[0].n).toBe('0');
      for (const migration of MIGRATIONS) await new migration().up(runner);
    } finally {
      await runner.release();
    }
    // The schema is usable again.
    const created = await module.get(AdminApiKeyService).create({ name: 'after-remigration', role: 'reader' }, actor);
    expect(created.key.role).toBe('reader');
  });

  it('initializes the OAuth configuration once, with a lowercase GUID service name', async () => {
    const service = module.get(OAuthConfigurationService);
    const first = await service.ensureInitialized();
    const second = await service.ensureInitialized();
    expect(first.serviceName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(second.serviceName).toBe(first.serviceName);
    const events = await module.get(AuditLogService).list({ action: 'oauth-configuration.initialize' });
    expect(events.items).toHaveLength(1);
  });

  it('stores a change and its audit event together, with before and after', async () => {
    const service = module.get(OAuthConfigurationService);
    clock.set(new Date('2026-11-21T10:05:00.000Z'));
    const updated = await service.update({ realm: 'contoso.com', clockSkewSeconds: 120 }, { force: false }, actor);
    expect(updated).toMatchObject({ realm: 'contoso.com', clockSkewSeconds: 120, actorTokenLifetimeSeconds: 43_200 });
    expect((await service.get()).realm).toBe('contoso.com');
    const { items } = await module.get(AuditLogService).list({ action: 'oauth-configuration.update' });
    expect(items[0]).toMatchObject({
      actorKeyId: actor.keyId,
      requestId: 'req-1',
      before: expect.objectContaining({ realm: null, clockSkewSeconds: 300 }),
      after: expect.objectContaining({ realm: 'contoso.com', clockSkewSeconds: 120 }),
    });
  });

  it('rejects an invalid change naming the field and stores nothing', async () => {
    const service = module.get(OAuthConfigurationService);
    const before = await service.get();
    const eventsBefore = (await module.get(AuditLogService).list({ limit: 500 })).items.length;
    await expect(service.update({ realm: 'Contoso.COM', actorTokenLifetimeSeconds: 200_000 }, { force: false }, actor)).rejects.toMatchObject({
      constructor: InvalidInputError,
      details: [
        { field: 'realm', message: 'must be lowercase' },
        { field: 'actorTokenLifetimeSeconds', message: 'must be a whole number of seconds between 60 and 86400' },
      ],
    });
    expect(await service.get()).toEqual(before);
    expect((await module.get(AuditLogService).list({ limit: 500 })).items).toHaveLength(eventsBefore);
  });

  it('needs force to change the realm while something depends on it', async () => {
    const service = module.get(OAuthConfigurationService);
    module.get(IdentityChangeGuard).register(async () => 'an OAuth token-issuer certificate is assigned');
    await expect(service.update({ realm: 'fabrikam.com' }, { force: false }, actor)).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'force_required',
    });
    expect((await service.get()).realm).toBe('contoso.com');
    // Unrelated settings still change without force.
    await expect(service.update({ clockSkewSeconds: 60 }, { force: false }, actor)).resolves.toMatchObject({ clockSkewSeconds: 60 });
    await expect(service.update({ realm: 'fabrikam.com' }, { force: true }, actor)).resolves.toMatchObject({ realm: 'fabrikam.com' });
  });

  it('rolls back every write of a failed unit of work', async () => {
    const unitOfWork = module.get(UnitOfWork);
    const keys = module.get(AdminApiKeyService);
    const countBefore = (await keys.list()).length;
    await expect(
      unitOfWork.run(async () => {
        await keys.create({ name: 'doomed', role: 'admin' }, actor);
        throw new Error('boom after the insert');
      }),
    ).rejects.toThrow('boom after the insert');
    expect((await keys.list()).map((k) => k.name)).not.toContain('doomed');
    expect((await keys.list()).length).toBe(countBefore);
    expect((await module.get(AuditLogService).list({ limit: 500 })).items.some((e) => (e.after as { name?: string })?.name === 'doomed')).toBe(false);
  });

  it('keeps concurrent units of work isolated: a failing one does not take the other with it', async () => {
    const unitOfWork = module.get(UnitOfWork);
    const keys = module.get(AdminApiKeyService);
    let releaseFailing!: () => void;
    const gate = new Promise<void>((resolve) => (releaseFailing = resolve));
    const failing = unitOfWork.run(async () => {
      await keys.create({ name: 'concurrent-doomed', role: 'reader' }, actor);
      await gate;
      throw new Error('fail late');
    });
    const succeeding = keys.create({ name: 'concurrent-kept', role: 'reader' }, actor).finally(() => releaseFailing());
    // On PGlite the second waits for the first (one session); release it after a moment either way.
    setTimeout(() => releaseFailing(), 200);
    await expect(failing).rejects.toThrow('fail late');
    await succeeding;
    const names = (await keys.list()).map((k) => k.name);
    expect(names).toContain('concurrent-kept');
    expect(names).not.toContain('concurrent-doomed');
  });

  it('keeps a unit of work in its transaction after a shorter one that overlapped it has ended', async () => {
    // The transaction store is switched off when the last open unit of work ends, not the first.
    const unitOfWork = module.get(UnitOfWork);
    const keys = module.get(AdminApiKeyService);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const long = unitOfWork.run(async () => {
      await keys.create({ name: 'outliving-before', role: 'reader' }, actor);
      await gate;
      await keys.create({ name: 'outliving-after', role: 'reader' }, actor);
      throw new Error('roll back both');
    });
    const short = keys.create({ name: 'overlapping-short', role: 'reader' }, actor).finally(() => release());
    setTimeout(() => release(), 200); // PGlite has one session: the short one waits for the long one
    await expect(long).rejects.toThrow('roll back both');
    await short;
    const names = (await keys.list()).map((k) => k.name);
    expect(names).toContain('overlapping-short');
    expect(names).not.toContain('outliving-before');
    expect(names).not.toContain('outliving-after');
  });

  it('authenticates a key by its secret, and not after revocation', async () => {
    const keys = module.get(AdminApiKeyService);
    const created = await keys.create({ name: 'to-revoke', role: 'reader' }, actor);
    expect((await keys.authenticate(created.token))?.id).toBe(created.key.id);
    const tampered = created.token.slice(0, -2) + (created.token.endsWith('AA') ? 'BB' : 'AA');
    expect(await keys.authenticate(tampered)).toBeNull();
    expect(await keys.authenticate('s2sk.not-a-key')).toBeNull();
    await keys.revoke(created.key.id, actor);
    expect(await keys.authenticate(created.token)).toBeNull();
    await expect(keys.revoke(created.key.id, actor)).rejects.toBeInstanceOf(ConflictError);
    const stored: { secret_hash: string }[] = await dataSource.query('SELECT secret_hash FROM admin_api_key WHERE id = $1', [created.key.id]);
    expect(created.token).not.toContain(stored[0].secret_hash);
  });

  it('authenticates a key with an expiry until that instant and not after it; refuses an expiry in the past', async () => {
    const keys = module.get(AdminApiKeyService);
    const expiresAt = new Date(clock.now().getTime() + 3_600_000);
    const created = await keys.create({ name: 'expiring', role: 'reader', expiresAt }, actor);
    expect(created.key.expiresAt).toEqual(expiresAt);
    expect((await keys.list()).find((key) => key.id === created.key.id)?.expiresAt).toEqual(expiresAt);
    expect((await keys.authenticate(created.token))?.id).toBe(created.key.id);
    clock.set(new Date(expiresAt.getTime() - 1));
    expect((await keys.authenticate(created.token))?.id).toBe(created.key.id);
    clock.set(expiresAt);
    expect(await keys.authenticate(created.token)).toBeNull();
    const past = await keys.create({ name: 'past', role: 'reader', expiresAt: new Date(clock.now().getTime() - 1) }, actor).catch((error: unknown) => error);
    expect(past).toBeInstanceOf(InvalidInputError);
    expect((past as InvalidInputError).details).toEqual([{ field: 'expiresAt', message: 'must be in the future' }]);
    clock.set(T0);
  });

  it('records instance heartbeats: one row per instance, updated in place, forgotten after a day', async () => {
    const heartbeats = module.get(InstanceHeartbeatRepository);
    const record = { instanceId: '3f1c7a52-9b0e-4d6a-8c21-5e7d9f0a1b2c', hostName: 'node-a', processId: 4242, startedAt: T0, lastSeenAt: T0 };
    await heartbeats.beat(record);
    const later = new Date(T0.getTime() + 10_000);
    await heartbeats.beat({ ...record, lastSeenAt: later });
    await heartbeats.beat({ ...record, instanceId: '7d2e8b41-0c3f-4a59-b6e7-1f8a2c9d3e40', hostName: 'node-b', lastSeenAt: new Date(T0.getTime() - 2 * 86_400_000) });
    expect((await heartbeats.list()).map((row) => `${row.hostName}@${row.lastSeenAt.toISOString()}`).sort()).toEqual([`node-a@${later.toISOString()}`, `node-b@${new Date(T0.getTime() - 2 * 86_400_000).toISOString()}`]);
    await heartbeats.removeSeenBefore(new Date(T0.getTime() - 86_400_000));
    expect((await heartbeats.list()).map((row) => row.hostName)).toEqual(['node-a']);
    await heartbeats.remove(record.instanceId);
    expect(await heartbeats.list()).toEqual([]);
  });

  it('pages the audit log newest first with filters and a cursor', async () => {
    const audit = module.get(AuditLogService);
    for (let i = 0; i < 5; i++) {
      clock.set(new Date(Date.UTC(2026, 10, 22, 0, 0, i)));
      await audit.record({ actor, action: 'test.page', targetType: 'thing', targetId: `t${i}`, after: { i, clientSecret: 'never-stored' } });
    }
    const first = await audit.list({ action: 'test.page', limit: 2 });
    expect(first.items.map((e) => e.targetId)).toEqual(['t4', 't3']);
    const second = await audit.list({ action: 'test.page', limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.targetId)).toEqual(['t2', 't1']);
    const third = await audit.list({ action: 'test.page', limit: 2, cursor: second.nextCursor! });
    expect(third.items.map((e) => e.targetId)).toEqual(['t0']);
    expect(third.nextCursor).toBeNull();
    expect(first.items[0].after).toEqual({ i: 4, clientSecret: '[redacted]' });
    const windowed = await audit.list({ action: 'test.page', since: new Date(Date.UTC(2026, 10, 22, 0, 0, 1)), until: new Date(Date.UTC(2026, 10, 22, 0, 0, 2)) });
    expect(windowed.items.map((e) => e.targetId)).toEqual(['t2', 't1']);
    expect((await audit.list({ targetType: 'thing', targetId: 't3' })).items).toHaveLength(1);
    await expect(audit.list({ cursor: 'garbage' })).rejects.toMatchObject({ details: [{ field: 'cursor', message: 'is not a cursor returned by this API' }] });
  });
});
