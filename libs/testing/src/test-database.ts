import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database a test may use and must drop afterwards. */
export interface TestDatabase {
  /** `pglite` or `postgres`, for test names. */
  name: 'pglite' | 'postgres';
  /** PostgreSQL URL of a database created for this test; null for embedded PGlite. */
  url: string | null;
  drop(): Promise<void>;
}

/** PostgreSQL server for database tests, from TEST_DATABASE_URL; null when unset (PGlite only). */
export function testDatabaseServerUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL;
  return url && url.trim() !== '' ? url.trim() : null;
}

/** The database kinds to run database-backed tests on: always PGlite, PostgreSQL when configured. */
export function testDatabaseKinds(): ('pglite' | 'postgres')[] {
  return testDatabaseServerUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A fresh, empty database for one test: on PostgreSQL a new database named `s2s_test_<random>`
 * (so parallel runs never collide), dropped by `drop()`; on PGlite nothing to create.
 */
export async function createTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') return { name: 'pglite', url: null, drop: async () => undefined };
  const serverUrl = testDatabaseServerUrl();
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const database = `s2s_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    name: 'postgres',
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
