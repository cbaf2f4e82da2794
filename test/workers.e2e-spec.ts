import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createTestDatabase, removeDir, startServerProcess, testDatabaseServerUrl, type ServerProcess, type TestDatabase } from '@s2s/testing';

/**
 * `WORKERS=2` (Node's cluster module) on PostgreSQL: both workers serve; one killed with SIGKILL is
 * replaced by the primary after its back-off (logged); requests sent all along are answered, none
 * lost beyond those in flight on the killed worker; SIGTERM stops the primary and its workers with
 * exit code 0. Needs TEST_DATABASE_URL (PGlite is one process: WORKERS>1 is refused there, also tested).
 */

const CONCURRENCY = 4;

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/** One GET on a new connection (so the primary hands each to a worker in turn). */
function get(url: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

interface Listening {
  pid: number;
  worker: number;
}

const listeningLines = (output: string): Listening[] =>
  output
    .split('\n')
    .filter((line) => line.includes('"s2s-trust listening"'))
    .map((line) => JSON.parse(line) as Listening);
/** Process ids that logged "request completed" (LOG_LEVEL=info logs every request). */
const servingPids = (output: string): Set<number> =>
  new Set(
    output
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .map((line) => (JSON.parse(line) as { pid: number }).pid),
  );

async function eventually(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('WORKERS=N', () => {
  it('refuses more than one worker on the embedded database, naming WORKERS and DATABASE_URL', async () => {
    await expect(startServerProcess({ env: { WORKERS: '2', TLS_MODE: 'off' }, timeoutMs: 30_000 })).rejects.toThrow(
      /invalid configuration: WORKERS 2 workers need a shared PostgreSQL database: set DATABASE_URL, or WORKERS=1 for the embedded PGlite database/,
    );
  });

  const onPostgres = testDatabaseServerUrl() ? describe : describe.skip;
  onPostgres('on PostgreSQL', () => {
    let database: TestDatabase;
    let server: ServerProcess;

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      const port = await freePort();
      server = await startServerProcess({
        env: { WORKERS: '2', PORT: String(port), TLS_MODE: 'off', DATABASE_URL: database.url!, MASTER_KEY: randomBytes(32).toString('hex') },
        timeoutMs: 120_000,
      });
      await eventually('both workers to listen', () => listeningLines(server.output()).length >= 2);
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
      if (server) await removeDir(server.dataDir);
      await database?.drop();
    });

    it('two workers serve; one killed with SIGKILL is replaced, and no request is lost beyond those in flight on it', async () => {
      const url = `${server.url}/health/live`;
      const workers = listeningLines(server.output());
      expect(workers.map((line) => line.worker).sort()).toEqual([1, 2]);
      expect(new Set(workers.map((line) => line.pid)).size).toBe(2);
      const victim = workers.find((line) => line.worker === 1)!;

      let running = true;
      let ok = 0;
      const failures: string[] = [];
      const loop = async (): Promise<void> => {
        while (running) {
          try {
            const status = await get(url);
            if (status === 200) ok++;
            else failures.push(`status ${status}`);
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      };
      const loops = Array.from({ length: CONCURRENCY }, loop);
      await eventually('both workers to answer requests', () => workers.every((line) => servingPids(server.output()).has(line.pid)));

      process.kill(victim.pid, 'SIGKILL');
      await eventually('the primary to log the crash', () => server.output().includes('"worker exited unexpectedly; restarting it after a back-off"'));
      await eventually('a replacement worker 1 to listen', () => listeningLines(server.output()).some((line) => line.worker === 1 && line.pid !== victim.pid));
      const replacement = listeningLines(server.output()).find((line) => line.worker === 1 && line.pid !== victim.pid)!;
      await eventually('the replacement to answer requests', () => servingPids(server.output()).has(replacement.pid));
      running = false;
      await Promise.all(loops);

      const crash = server.output().split('\n').find((line) => line.includes('"worker exited unexpectedly'))!;
      expect(JSON.parse(crash)).toMatchObject({ worker: 1, workerPid: victim.pid, signal: 'SIGKILL', restartInMs: 1000 });
      expect(ok).toBeGreaterThan(0);
      // At most the requests in flight on the killed worker when it died (one per loop).
      expect(failures.length).toBeLessThanOrEqual(CONCURRENCY);
    }, 180_000);

    it('SIGTERM stops the primary and every worker gracefully (exit code 0)', async () => {
      const pids = listeningLines(server.output()).map((line) => line.pid);
      expect(await server.stop()).toBe(0);
      expect(server.output()).toContain('"all workers stopped"');
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    }, 60_000);
  });
});
