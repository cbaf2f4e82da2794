import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { removeDir, startServerProcess, type ServerProcess } from '@s2s/testing';

/** The "s2s-trust listening" line's fields. */
function listening(server: ServerProcess): { signingThreads: number } {
  const line = server.output().split('\n').find((l) => l.includes('"s2s-trust listening"'));
  return JSON.parse(line!) as { signingThreads: number };
}

const threads = (server: ServerProcess): number => readdirSync(`/proc/${server.pid}/task`).length;

/**
 * `npm start`'s launcher (apps/trust-server/bin/trust-server.cjs) sizes libuv's thread pool, which
 * signs tokens, before Node's module loader first uses it: one thread per core (at least 2) unless
 * UV_THREADPOOL_SIZE says otherwise. Checked on the running processes: the pool's threads are there.
 */
describe('the server launcher', () => {
  const servers: ServerProcess[] = [];
  const start = async (env: Record<string, string>): Promise<ServerProcess> => {
    const server = await startServerProcess({ env: { TLS_MODE: 'off', ...env } });
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    for (const server of servers) {
      await server.stop();
      await removeDir(server.dataDir);
    }
  });

  it('gives the signing pool one thread per core by default, and exactly UV_THREADPOOL_SIZE threads when set', async () => {
    const defaultSize = Math.max(2, availableParallelism());
    const byDefault = await start({});
    const explicit = await start({ UV_THREADPOOL_SIZE: String(defaultSize + 3) });
    expect(listening(byDefault).signingThreads).toBe(defaultSize);
    expect(listening(explicit).signingThreads).toBe(defaultSize + 3);
    // Same binary, same code, same machine: the processes differ only by the pool's threads.
    if (process.platform === 'linux') expect(threads(explicit) - threads(byDefault)).toBe(3);
  });

  it('refuses a UV_THREADPOOL_SIZE that is not a thread count, naming the variable', async () => {
    await expect(start({ UV_THREADPOOL_SIZE: 'many' })).rejects.toThrow(/UV_THREADPOOL_SIZE must be an integer between 1 and 1024 \(got "many"\)/);
  });
});
