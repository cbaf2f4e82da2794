// autocannon runs (keep-alive, no pipelining), stoppable with Ctrl-C, and their summary.

import autocannon from 'autocannon';
import { state } from './lifecycle.mjs';

/** Runs autocannon with `options` (see its README); `ca` = the server's CA for HTTPS (verification is forced on by verified-tls.mjs). */
export function runCannon({ ca = null, ...options }) {
  const instance = autocannon({ pipelining: 1, ...options, ...(ca ? { tlsOptions: { ca } } : {}) });
  state.currentCannon = instance;
  return Promise.resolve(instance).finally(() => {
    state.currentCannon = null;
  });
}

/** The figures the reports use: 2xx/s over the measured window, latency percentiles (ms), failures. */
export function summarizeCannon(result) {
  const ok = result['2xx'];
  return {
    durationSeconds: result.duration,
    requestsPerSecond: ok / result.duration,
    requestsPerSecondAutocannonMean: result.requests.average,
    totalResponses: ok + result.non2xx,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
    non2xx: result.non2xx,
    errors: result.errors, // connection errors, includes timeouts
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
}
