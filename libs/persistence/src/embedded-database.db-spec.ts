import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_TABLE, openDataSource } from './data-source.factory.js';
import { MIGRATIONS } from './migrations/index.js';

describe('the embedded database in a directory', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 's2s-embedded-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('is created on first open (initdb in a child process), migrated, kept, and opened again with the same data', async () => {
    const first = await openDataSource({ kind: 'pglite', directory });
    try {
      const applied: { name: string }[] = await first.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      await first.query('CREATE TABLE kept (value text)');
      await first.query(`INSERT INTO kept VALUES ('written by the first process')`);
    } finally {
      await first.destroy();
    }

    const second = await openDataSource({ kind: 'pglite', directory });
    try {
      expect(await second.query('SELECT value FROM kept')).toEqual([{ value: 'written by the first process' }]);
      // The settings apply to every open, not only to the creation.
      expect(await second.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await second.destroy();
    }
  });

  it('reports why the creation failed', async () => {
    // `pgdata` is a file: initdb cannot make its directory there.
    await writeFile(join(directory, 'pgdata'), 'not a directory');
    await expect(openDataSource({ kind: 'pglite', directory })).rejects.toThrow(/^creating the embedded database in .*pgdata failed \(exit code 1\): /);
  });
});
