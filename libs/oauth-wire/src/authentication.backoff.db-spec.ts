import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { ChangeFeed, CoreModule, FrozenClock } from '@s2s/core';
import { OperationsModule } from '@s2s/operations';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { DataSource } from 'typeorm';
import { AuthenticationFailureStore } from './authentication-failure.store.js';
import { AuthenticationBackoff, FAILURE_WINDOW_MS } from './authentication.backoff.js';

/**
 * The back-off shared through the database (issue 17): two back-offs over one table stand for two
 * instances; the second learns of the first's waits through the change feed.
 */
describe.each(testDatabaseKinds())('authentication back-off shared through %s', (kind) => {
  let database: TestDatabase;
  let module: TestingModule;
  let clock: FrozenClock;
  let one: AuthenticationBackoff;
  let other: AuthenticationBackoff;
  let dataSource: DataSource;
  const config = Object.assign(new AppConfig(), { publicUrl: 'https://s2s.contoso.com', authBackoff: { clientFailures: 5, addressFailures: 20 } });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    clock = new FrozenClock(new Date('2026-12-06T10:00:00Z'));
    module = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot(clock),
        AppConfigModule.forRoot(config, new MasterKey(randomBytes(32))),
        PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
        OperationsModule,
      ],
    }).compile();
    module.useLogger(false);
    await module.init();
    const store = module.get(AuthenticationFailureStore);
    const feed = module.get(ChangeFeed);
    one = new AuthenticationBackoff(clock, config, store, feed);
    other = new AuthenticationBackoff(clock, config, store, feed);
    await one.onApplicationBootstrap();
    await other.onApplicationBootstrap();
    dataSource = module.get(DataSource);
  });

  afterAll(async () => {
    one?.onApplicationShutdown();
    other?.onApplicationShutdown();
    await module?.close();
    await database?.drop();
  });

  it('counts failures made through either in one budget; the wait is known to both at once', async () => {
    const subject = { kind: 'client', clientId: 'a7d0c4a6-0f5e-4d3b-9b1a-3c2d1e0f9a8b' } as const;
    for (let i = 0; i < 3; i++) await one.recordFailure(subject, 'token');
    for (let i = 0; i < 2; i++) await other.recordFailure(subject, 'introspect');
    expect([one.retryAfterSeconds(subject), other.retryAfterSeconds(subject)]).toEqual([0, 0]);
    // The 6th failure anywhere starts the wait (1 s), and the 7th doubles it.
    await other.recordFailure(subject, 'token');
    // At once where it happened; on the other after the change feed's announcement (asynchronous, as between instances).
    expect(other.retryAfterSeconds(subject)).toBe(1);
    expect(await waitUntil(() => one.retryAfterSeconds(subject) === 1)).toBe(true);
    clock.advance(1000);
    await one.recordFailure(subject, 'token');
    expect(one.retryAfterSeconds(subject)).toBe(2);
    expect(await waitUntil(() => other.retryAfterSeconds(subject) === 2)).toBe(true);
  });

  it('a success clears the shared record; stale records are purged after their window', async () => {
    const subject = { kind: 'admin-key', keyId: 'k1' } as const;
    await one.recordFailure(subject, 'admin');
    const count = async (): Promise<number> =>
      Number(((await dataSource.query('SELECT count(*)::int AS n FROM authentication_failure WHERE subject = $1', ['admin-key:k1'])) as { n: number }[])[0]!.n);
    expect(await count()).toBe(1);
    one.recordSuccess(subject);
    expect(await waitUntil(async () => (await count()) === 0)).toBe(true);

    await one.recordFailure({ kind: 'address', address: '192.0.2.7' }, 'admin');
    expect(await one.purgeStale()).toBe(0);
    clock.advance(FAILURE_WINDOW_MS + 1000);
    expect(await one.purgeStale()).toBeGreaterThanOrEqual(1);
    expect(Number(((await dataSource.query('SELECT count(*)::int AS n FROM authentication_failure')) as { n: number }[])[0]!.n)).toBe(0);
  });
});

/** Polls `condition` until it holds or 5 s pass (what happens after a change-feed announcement or an unawaited clear). */
async function waitUntil(condition: () => boolean | Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}
