import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from './configuration.error.js';
import { loadMasterKey } from './master-key.loader.js';

describe('loadMasterKey', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 's2s-mk-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates a 0600 key file on first start and reuses it afterwards', async () => {
    const path = join(dir, 'data', 'master.key');
    const first = await loadMasterKey({ kind: 'file', path, explicit: false });
    expect(first.generatedFile).toBe(path);
    expect(first.key).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readFile(path, 'utf8')).trim()).toBe(first.key.toString('hex'));
    const second = await loadMasterKey({ kind: 'file', path, explicit: false });
    expect(second.generatedFile).toBeNull();
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('refuses a missing explicitly configured file instead of creating a new key', async () => {
    await expect(loadMasterKey({ kind: 'file', path: join(dir, 'typo.key'), explicit: true })).rejects.toThrow(ConfigurationError);
  });

  it('refuses a file that does not hold a 32-byte key', async () => {
    const path = join(dir, 'bad.key');
    await writeFile(path, 'not a key\n', { mode: 0o600 });
    await expect(loadMasterKey({ kind: 'file', path, explicit: true })).rejects.toThrow(/MASTER_KEY_FILE must hold a 32-byte key/);
  });

  it('tightens a readable-by-others key file to 0600', async () => {
    const path = join(dir, 'loose.key');
    await writeFile(path, `${'cd'.repeat(32)}\n`, { mode: 0o644 });
    const loaded = await loadMasterKey({ kind: 'file', path, explicit: true });
    expect(loaded.key.toString('hex')).toBe('cd'.repeat(32));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
