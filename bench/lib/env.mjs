// Knob parsing shared by the benchmarks (environment variables). See bench/README.md.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';

const { threadPoolSize } = createRequire(import.meta.url)('../../apps/trust-server/bin/thread-pool.cjs');

/** A bad knob: reported without a stack trace, exit code 2. */
export class UsageError extends Error {}

export function intFromEnv(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

/** A comma-separated list of names from `allowed` (order kept, duplicates dropped). */
export function listFromEnv(name, fallback, allowed) {
  const values = (process.env[name] ?? fallback)
    .split(',')
    .map((m) => m.trim().toLowerCase())
    .filter(Boolean);
  for (const value of values) if (!allowed.includes(value)) throw new UsageError(`${name}: unknown value "${value}" (use ${allowed.join(', ')})`);
  if (values.length === 0) throw new UsageError(`${name} is empty`);
  return [...new Set(values)];
}

/** The knobs every server benchmark has: durations, connections, server log level and flags, results, pool size. */
export function commonSettings() {
  const logLevel = (process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn').trim().toLowerCase();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new UsageError(`BENCH_SERVER_LOG_LEVEL: unknown level "${logLevel}"`);
  const uvRaw = process.env.UV_THREADPOOL_SIZE;
  return {
    durationSeconds: intFromEnv('BENCH_DURATION_SECONDS', 10, 1, 3600),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 2, 0, 600),
    connections: intFromEnv('BENCH_CONNECTIONS', 32, 1, 10_000),
    serverLogLevel: logLevel,
    serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    resultsDir: process.env.BENCH_RESULTS_DIR?.trim() || os.tmpdir(),
    // libuv reads UV_THREADPOOL_SIZE when the pool is first used; this process and the servers get
    // the same value. Unset = libuv's default of 4.
    uvThreadpoolSizeEnv: uvRaw === undefined || uvRaw.trim() === '' ? undefined : uvRaw.trim(),
    uvThreadpoolSizeSource: process.env[POOL_DEFAULTED] === '1' ? "the server's default: one thread per core, at least 2" : 'UV_THREADPOOL_SIZE',
    uvThreadpoolSize: uvRaw === undefined || uvRaw.trim() === '' ? 4 : Math.max(1, Math.min(1024, Number.parseInt(uvRaw, 10) || 4)),
  };
}

/** Set in the environment of the rerun: UV_THREADPOOL_SIZE is the server's default, not the caller's. */
const POOL_DEFAULTED = 'S2S_BENCH_THREAD_POOL_DEFAULTED';

/**
 * The servers size libuv's thread pool as `npm start` does (apps/trust-server/bin/thread-pool.cjs:
 * UV_THREADPOOL_SIZE, else one thread per core, at least 2), and the raw measurements must sign
 * with the same pool. libuv reads the variable once, before this code runs (the ES module loader
 * uses the pool): so when it is not set, the benchmark runs itself again with it set, and this
 * returns that run's exit code; null when it is set and the benchmark should go on.
 */
export function rerunWithServerThreadPool() {
  if ((process.env.UV_THREADPOOL_SIZE ?? '').trim() !== '') return null;
  const env = { ...process.env, UV_THREADPOOL_SIZE: threadPoolSize(process.env), [POOL_DEFAULTED]: '1' };
  const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  return run.status ?? 1;
}
