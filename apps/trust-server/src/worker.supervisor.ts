import cluster, { type Worker } from 'node:cluster';
import { createPinoLogger } from '@s2s/operations';

/** Crash back-off: 1 s after a crash, doubling for each further crash in a row, at most 30 s. */
export const RESTART_BACKOFF = Object.freeze({ firstMs: 1000, maxMs: 30_000, stableAfterMs: 60_000 });

/** The delay before restarting a worker after `crashesInARow` crashes (1 = the first). */
export function restartDelayMs(crashesInARow: number): number {
  return Math.min(RESTART_BACKOFF.maxMs, RESTART_BACKOFF.firstMs * 2 ** Math.max(0, crashesInARow - 1));
}


interface Slot {
  worker: Worker;
  startedAt: number;
  crashesInARow: number;
}

/**
 * The primary process of `WORKERS=N` (N > 1): forks N server processes with Node's cluster module
 * (they share the listening port; the primary hands out connections round-robin), restarts a
 * worker that dies unexpectedly after a back-off ({@link restartDelayMs}, reset once a worker has
 * run for a minute), and on SIGTERM/SIGINT stops every worker gracefully (each finishes its
 * in-flight requests, as a single server does) and exits 0 when all have, 1 otherwise. The primary
 * serves nothing itself and opens no database.
 */
export function superviseWorkers(count: number, shutdownTimeoutMs: number, logLevel: string): void {
  const logger = createPinoLogger(logLevel, { pid: process.pid, context: 'WorkerSupervisor' });
  const log = (level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void => logger[level](fields, msg);
  const slots = new Map<number, Slot>();
  let stopping = false;
  let failedExits = 0;

  const fork = (slot: number, crashesInARow: number): void => {
    const worker = cluster.fork({ S2S_WORKER_SLOT: String(slot) });
    slots.set(slot, { worker, startedAt: Date.now(), crashesInARow });
    worker.once('exit', (code, signal) => onExit(slot, worker, code, signal));
  };

  const onExit = (slot: number, worker: Worker, code: number | null, signal: string | null): void => {
    const current = slots.get(slot);
    if (current === undefined || current.worker !== worker) return;
    if (stopping) {
      slots.delete(slot);
      if (code !== 0) failedExits++;
      log('info', 'worker stopped', { worker: slot, workerPid: worker.process.pid, code, signal });
      if (slots.size === 0) {
        log('info', 'all workers stopped');
        process.exit(failedExits === 0 ? 0 : 1);
      }
      return;
    }
    // Out of the map until it is forked again: a shutdown meanwhile does not wait for it.
    slots.delete(slot);
    const ranMs = Date.now() - current.startedAt;
    const crashesInARow = ranMs >= RESTART_BACKOFF.stableAfterMs ? 1 : current.crashesInARow + 1;
    const delayMs = restartDelayMs(crashesInARow);
    log('error', 'worker exited unexpectedly; restarting it after a back-off', { worker: slot, workerPid: worker.process.pid, code, signal, ranMs, crashesInARow, restartInMs: delayMs });
    setTimeout(() => {
      if (!stopping) fork(slot, crashesInARow);
    }, delayMs);
  };

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log('info', 's2s-trust shutting down its workers', { signal, workers: slots.size });
    if (slots.size === 0) process.exit(0);
    for (const { worker } of slots.values()) worker.process.kill('SIGTERM');
    // Each worker has SHUTDOWN_TIMEOUT_MS of its own; one that hangs beyond it is killed.
    const deadline = setTimeout(() => {
      for (const { worker } of slots.values()) worker.process.kill('SIGKILL');
      log('error', 'workers did not stop in time; killed', { timeoutMs: shutdownTimeoutMs });
      process.exit(1);
    }, shutdownTimeoutMs + 5000);
    deadline.unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  log('info', 's2s-trust starting workers', { workers: count, signingThreadsPerWorker: process.env.UV_THREADPOOL_SIZE ?? null });
  for (let slot = 1; slot <= count; slot++) fork(slot, 0);
}
