// Knob parsing shared by the benchmarks (environment variables). See bench/README.md.

import os from 'node:os';

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
    uvThreadpoolSize: uvRaw === undefined || uvRaw.trim() === '' ? 4 : Math.max(1, Math.min(1024, Number.parseInt(uvRaw, 10) || 4)),
  };
}
