import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
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
    compileWebAssemblyWithBaselineOnly();
    const db = target.directory ? await openEmbeddedDirectory(target.directory) : new PGlite({ postgresqlconf: EMBEDDED_SETTINGS });
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

/**
 * PostgreSQL settings of the embedded database. PGlite's default `shared_buffers` (128 MB) is
 * WebAssembly memory the process holds for as long as it runs; this service's tables are a few
 * thousand rows read once at start and then followed through the change feed, so 16 MB holds all
 * of them many times over (README, "Memory").
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=16MB'];

/**
 * Has V8 compile WebAssembly with its baseline compiler only (Liftoff, `--liftoff-only`), before
 * PGlite compiles PostgreSQL (9 MB of WebAssembly). By default V8 also recompiles the functions
 * that run often with its optimizing compiler and keeps both: ≈ 45 MB more resident memory for
 * the life of the process, for queries that here run at start and on admin writes only (none on the
 * hot paths). Measured with this service's queries: opening and inserts faster, point selects
 * equal, aggregates ≈ 10 % slower (README, "Memory"). It changes how WebAssembly is compiled, not
 * JavaScript; PostgreSQL through `DATABASE_URL` does not use it.
 */
function compileWebAssemblyWithBaselineOnly(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * Opens the embedded database in `directory` (its `pgdata` folder), creating it first when it does
 * not exist yet. The creation (PostgreSQL's initdb, ≈ 600 MB of WebAssembly memory that a process
 * never gives back) runs in a short-lived child process, so that the server itself only ever holds
 * what an open database needs.
 */
async function openEmbeddedDirectory(directory: string): Promise<PGlite> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const dataDir = join(directory, 'pgdata');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await createEmbeddedDatabase(dataDir);
  return new PGlite(dataDir, { postgresqlconf: EMBEDDED_SETTINGS });
}

/** Runs PGlite's initdb for `dataDir` in a child Node.js process; rejects with its error output. */
async function createEmbeddedDatabase(dataDir: string): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = [
    `const { PGlite } = require(${JSON.stringify(pglite)});`,
    `const db = new PGlite(process.argv[1], { postgresqlconf: ${JSON.stringify(EMBEDDED_SETTINGS)} });`,
    'db.waitReady.then(() => db.close()).catch((error) => { console.error(error); process.exitCode = 1; });',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script, dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errorOutput = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (errorOutput.length < 4096) errorOutput += text;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`creating the embedded database in ${dataDir} failed (exit code ${code}): ${errorOutput.trim()}`);
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
