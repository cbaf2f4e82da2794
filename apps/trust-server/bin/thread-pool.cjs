// libuv's thread pool size for the trust server, used by its launcher (trust-server.cjs) and by the
// benchmarks, which measure the raw signing rate with the same pool as the server's.
//
// RS256 signing runs on libuv's pool (crypto.sign with a callback). libuv's default is 4 threads
// whatever the machine: on 2 cores that is twice as many signing threads as cores, and they
// preempt the event loop that feeds them (measured with `npm run bench:token`: about a tenth of the
// token endpoint's throughput); on 16 cores it leaves 12 of them idle. One thread per core, at
// least 2, fits both. An operator's UV_THREADPOOL_SIZE always wins.
'use strict';
const { availableParallelism } = require('node:os');

/**
 * UV_THREADPOOL_SIZE when set (non-empty), else one thread per core, at least 2; with WORKERS=N
 * (N > 1, or `auto` = one per core) each worker gets cores / N threads, at least 1, so that N x pool
 * is about the number of cores. A WORKERS value that is not valid leaves the single-process size
 * (the server then refuses it with a message naming the variable).
 */
function threadPoolSize(env) {
  const configured = (env.UV_THREADPOOL_SIZE ?? '').trim();
  if (configured !== '') return configured;
  const cores = availableParallelism();
  const raw = (env.WORKERS ?? '').trim().toLowerCase();
  const workers = raw === 'auto' ? cores : /^[0-9]+$/.test(raw) ? Number(raw) : 1;
  if (workers > 1) return String(Math.max(1, Math.round(cores / workers)));
  return String(Math.max(2, cores));
}

module.exports = { threadPoolSize };
