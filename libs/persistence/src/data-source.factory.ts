import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { pgliteDriver } from './pglite-serial.pool.js';

/** Where the data lives: a PostgreSQL server, or an embedded PGlite database. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  /** `directory` null keeps the embedded database in memory (tests). */
  | { kind: 'pglite'; directory: string | null };

export const MIGRATIONS_TABLE = 'typeorm_migrations';
const MIGRATION_LOCK = 's2s-trust.migrations';

/**
 * Opens the database and applies pending migrations (never `synchronize`). The same migrations run
 * on PostgreSQL and PGlite. On PostgreSQL a session advisory lock makes instances that start
 * together migrate one after the other.
 */
export async function openDataSource(target: DatabaseTarget): Promise<DataSource> {
  const common = {
    type: 'postgres',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    installExtensions: false,
    logging: false,
  } as const;

  let options: DataSourceOptions;
  if (target.kind === 'postgres') {
    options = { ...common, url: target.url, poolSize: 10, connectTimeoutMS: 5_000, applicationName: 's2s-trust' };
  } else {
    if (target.directory) await mkdir(target.directory, { recursive: true, mode: 0o700 });
    const db = target.directory ? new PGlite(join(target.directory, 'pgdata')) : new PGlite();
    await db.waitReady;
    options = { ...common, driver: pgliteDriver(db) } as DataSourceOptions;
  }

  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    await migrate(dataSource, target.kind === 'postgres');
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

async function migrate(dataSource: DataSource, lock: boolean): Promise<void> {
  if (!lock) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Names of the migrations this build knows that the database has not applied. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE}`);
  const applied = new Set(rows.map((row) => row.name));
  return MIGRATIONS.map((migration) => migration.name).filter((name) => !applied.has(name));
}
