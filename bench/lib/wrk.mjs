// wrk (C, epoll; Debian package `wrk`) as the load generator: keep-alive connections, one request
// in flight on each, every response checked by a Lua `response()` hook. It takes about half the
// CPU per request that autocannon (JavaScript) takes, which matters when the load generator shares
// the machine's few cores with the server. See bench/README.md.

import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { children, makeTempDir, removeTempDir, state } from './lifecycle.mjs';

/** The wrk binary on PATH, or null. */
export function findWrk() {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) return null;
  const version = `${probe.stdout}${probe.stderr}`.match(/^wrk\s+(\S+)/m)?.[1] ?? 'unknown';
  return { command: 'wrk', version };
}

const luaString = (value) => `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;

/**
 * The Lua script: the request, a per-thread count of good responses (2xx whose body contains
 * `expect`) and of status codes, and one `WRK_RESULT {json}` line at the end with the totals and
 * latency percentiles (µs).
 */
function script({ method, headers, body, bodies, expect }) {
  // `bodies`: one per request in turn (e.g. a pool of tokens to introspect), each connection's
  // requests taking the next one of the shared sequence.
  const rotation = bodies?.length
    ? `local bodies = {${bodies.map(luaString).join(',')}}
local next_body = 0
function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end`
    : '';
  return `
wrk.method = ${luaString(method)}
wrk.body = ${luaString(body)}
${Object.entries(headers)
  .map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
  .join('\n')}
${rotation}

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) good = 0; statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status < 300 and string.find(body, ${luaString(expect)}, 1, true) then good = good + 1 end
end
function done(summary, latency, requests)
  local good_total, counts = 0, {}
  for _, thread in ipairs(threads) do
    good_total = good_total + thread:get("good")
    for status, count in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(counts) do table.insert(parts, string.format('"%d":%d', status, count)) end
  io.write(string.format('WRK_RESULT {"requests":%d,"durationMicros":%d,"good":%d,"statusCodes":{%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyMicros":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%f}}\\n',
    summary.requests, summary.duration, good_total, table.concat(parts, ","),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
`;
}

/**
 * Runs `wrk -t1 -c<connections> -d<seconds>s` against `url` with the given request; resolves to the
 * same figures as `summarizeCannon` (bench/lib/load.mjs). wrk does not verify TLS certificates:
 * the benchmarks verify the server's certificate on the same address before the load.
 */
export async function runWrk({ url, method = 'POST', headers = {}, body = '', bodies, expect, connections, durationSeconds }) {
  const dir = await makeTempDir('s2s-bench-wrk-');
  try {
    const file = join(dir, 'request.lua');
    await writeFile(file, script({ method, headers, body, bodies, expect }));
    const args = ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--timeout', '10s', '-s', file, url];
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal));
    });
    children.delete(child);
    if (state.interrupted) throw new Error('interrupted');
    const line = output.split('\n').find((l) => l.startsWith('WRK_RESULT '));
    if (code !== 0 || !line) throw new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${output}`);
    const result = JSON.parse(line.slice('WRK_RESULT '.length));
    const seconds = result.durationMicros / 1e6;
    const statusCodes = Object.fromEntries(Object.entries(result.statusCodes).sort());
    const non2xx = Object.entries(statusCodes).reduce((sum, [status, count]) => sum + (status.startsWith('2') ? 0 : count), 0);
    const ok = result.requests - non2xx;
    const errors = result.errors.connect + result.errors.read + result.errors.write + result.errors.timeout;
    return {
      durationSeconds: seconds,
      requestsPerSecond: result.good / seconds,
      totalResponses: result.requests,
      good: result.good,
      latencyMs: Object.fromEntries(Object.entries(result.latencyMicros).map(([name, micros]) => [name, micros / 1000])),
      statusCodes,
      non2xx,
      errors,
      timeouts: result.errors.timeout,
      mismatches: ok - result.good,
    };
  } finally {
    await removeTempDir(dir);
  }
}
