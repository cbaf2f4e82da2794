import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { CoreModule, FrozenClock, UnitOfWork } from '@s2s/core';
import { MetadataDownloadRepository, OTHER_SOURCES, SchedulerLease, TokenIssuerRenewalRepository } from '@s2s/rollover';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { DataSource } from 'typeorm';
import { PersistenceModule } from './persistence.module.js';

const HOUR = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number): Date => new Date(HOUR.getTime() + minutes * 60_000);

/** The storage of issue 16's rollover work: download evidence, the scheduler lease, automatic renewals. */
describe.each(testDatabaseKinds())('rollover storage on %s', (kind) => {
  let database: TestDatabase;
  let module: TestingModule;
  let downloads: MetadataDownloadRepository;
  let lease: SchedulerLease;
  let renewals: TokenIssuerRenewalRepository;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    module = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot(new FrozenClock(HOUR)),
        PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
      ],
    }).compile();
    await module.init();
    downloads = module.get(MetadataDownloadRepository);
    lease = module.get(SchedulerLease);
    renewals = module.get(TokenIssuerRenewalRepository);
    dataSource = module.get(DataSource);
  });

  afterAll(async () => {
    await module?.close();
    await database?.drop();
  });

  it('adds hourly counts (summed, first/last widened) and answers who downloaded since an instant', async () => {
    await downloads.add([{ hour: HOUR, sourceAddress: '10.0.0.5', userAgent: 'Exchange', document: 'metadata', count: 2, firstAt: at(5), lastAt: at(10) }], 100);
    await downloads.add(
      [
        { hour: HOUR, sourceAddress: '10.0.0.5', userAgent: 'Exchange', document: 'metadata', count: 3, firstAt: at(2), lastAt: at(40) },
        { hour: HOUR, sourceAddress: '10.0.0.5', userAgent: 'Exchange', document: 'jwks', count: 1, firstAt: at(41), lastAt: at(41) },
        { hour: HOUR, sourceAddress: '10.0.0.9', userAgent: 'curl', document: 'discovery', count: 1, firstAt: at(1), lastAt: at(1) },
      ],
      100,
    );
    const rows = await dataSource.query(`SELECT count, first_at FROM metadata_download WHERE source_address = '10.0.0.5' AND document = 'metadata'`);
    expect(rows).toEqual([{ count: 5, first_at: at(2) }]);
    expect(await downloads.since(at(30))).toEqual([
      { sourceAddress: '10.0.0.5', userAgent: 'Exchange', count: 6, firstAt: at(30), lastAt: at(41), documents: ['jwks', 'metadata'] },
    ]);
    expect((await downloads.since(at(0))).map((summary) => summary.sourceAddress)).toEqual(['10.0.0.5', '10.0.0.9']);
    expect(await downloads.since(at(42))).toEqual([]);
  });

  it('keeps an hour bounded: sources beyond the cap are counted in its (other) row', async () => {
    const next = new Date(HOUR.getTime() + 3_600_000);
    const bucket = (address: string) => ({ hour: next, sourceAddress: address, userAgent: 'x', document: 'jwks' as const, count: 1, firstAt: next, lastAt: next });
    await downloads.add([bucket('10.1.0.1'), bucket('10.1.0.2'), bucket('10.1.0.3'), bucket('10.1.0.4')], 2);
    await downloads.add([bucket('10.1.0.1'), bucket('10.1.0.5')], 2);
    const rows: { source_address: string; count: number }[] = await dataSource.query('SELECT source_address, count FROM metadata_download WHERE hour = $1 ORDER BY source_address', [next]);
    expect(rows).toEqual([
      { source_address: OTHER_SOURCES, count: 3 },
      { source_address: '10.1.0.1', count: 2 },
      { source_address: '10.1.0.2', count: 1 },
    ]);
  });

  it('deletes whole hours before the retention limit', async () => {
    expect(await downloads.deleteBefore(new Date(HOUR.getTime() + 3_600_000))).toBe(3);
    expect((await dataSource.query('SELECT DISTINCT hour FROM metadata_download')).length).toBe(1);
  });

  it('gives the lease to one holder until it expires, and lets the holder renew it', async () => {
    const until = (minutes: number) => at(minutes);
    expect(await lease.tryAcquire('rollover', 'a', at(0), until(2))).toBe(true);
    expect(await lease.tryAcquire('rollover', 'b', at(1), until(3))).toBe(false);
    expect(await lease.tryAcquire('rollover', 'a', at(1), until(3))).toBe(true);
    expect(await lease.tryAcquire('rollover', 'b', at(2), until(4))).toBe(false);
    expect(await lease.tryAcquire('rollover', 'b', at(4), until(6))).toBe(true);
    expect(await lease.tryAcquire('rollover', 'a', at(5), until(7))).toBe(false);
    // Concurrent attempts: exactly one wins.
    const results = await Promise.all(['c', 'd', 'e'].map((holder) => module.get(UnitOfWork).run(() => lease.tryAcquire('other', holder, at(0), until(2)))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('stores a renewal and its progress', async () => {
    const renewal = { renewsThumbprint: 'A'.repeat(40), mode: 'csr' as const, requestId: '6f1c2b8e-1d2a-4c3b-9e4f-5a6b7c8d9e0f', successorThumbprint: null, startedAt: at(0), stagedAt: null };
    await renewals.save(renewal);
    expect(await renewals.find('A'.repeat(40))).toEqual(renewal);
    await renewals.save({ ...renewal, successorThumbprint: 'B'.repeat(40), stagedAt: at(5) });
    expect(await renewals.find('A'.repeat(40))).toEqual({ ...renewal, successorThumbprint: 'B'.repeat(40), stagedAt: at(5) });
    expect(await renewals.find('C'.repeat(40))).toBeNull();
  });
});
