import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MasterKeySource } from './app-config.js';
import { decodeMasterKey } from './app-config.loader.js';
import { ConfigurationError } from './configuration.error.js';

/** Result of resolving the master key: the key, and whether a new file was written. */
export interface LoadedMasterKey {
  key: Buffer;
  generatedFile: string | null;
}

/**
 * Resolves the 32-byte master key. With neither MASTER_KEY nor MASTER_KEY_FILE set, a key is
 * generated into `DATA_DIR/master.key` with mode 0600 on first start and reused after that. An
 * explicitly configured file must exist (a typo must not silently create a second key, which would
 * make the stored private keys unreadable).
 */
export async function loadMasterKey(source: MasterKeySource): Promise<LoadedMasterKey> {
  if (source.kind === 'env') return { key: source.key, generatedFile: null };
  const variable = source.explicit ? 'MASTER_KEY_FILE' : 'MASTER_KEY_FILE (default DATA_DIR/master.key)';
  try {
    const text = await readFile(source.path, 'utf8');
    const info = await stat(source.path);
    if ((info.mode & 0o077) !== 0) await chmod(source.path, 0o600);
    return { key: decodeMasterKey(text, variable), generatedFile: null };
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || source.explicit) {
      throw new ConfigurationError('MASTER_KEY_FILE', `cannot be read at ${source.path} (${code ?? String(error)})`);
    }
  }
  const key = randomBytes(32);
  await mkdir(dirname(source.path), { recursive: true, mode: 0o700 });
  // `wx`: never overwrite a key another process has just written.
  await writeFile(source.path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(source.path, 0o600);
  return { key, generatedFile: source.path };
}
