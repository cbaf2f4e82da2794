#!/usr/bin/env node
// Bounded soak (not in CI): the real server under steady load for BENCH_SOAK_MINUTES (default 10),
// each minute half token issuance, half introspection of fresh tokens; after every minute its RSS
// and event-loop delay (mean, p99, max over that minute). Fails (exit 1) when RSS keeps growing.
// See bench/README.md ("Soak: npm run bench:soak").
//
// Run: npm run bench:soak   (builds, then runs this file)

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commonSettings, intFromEnv, rerunWithServerThreadPool } from './lib/env.mjs';
import { runMain, state } from './lib/lifecycle.mjs';
import { runCannon, summarizeCannon } from './lib/load.mjs';
import { fmt, machineInfo, table } from './lib/report.mjs';
import { admin, basicCredentials, call, formHeaders, serverTreeMemory, startServer } from './lib/server.mjs';
import { findWrk, runWrk } from './lib/wrk.mjs';

const REALM = 'contoso.com';
const RESOURCE = 'api://bench';
const ROLE = 'Bench.Read';
/** RSS "keeps growing": the last GROWTH_STREAK minutes each above the one before, and the end above minute 2 by more than this. */
const GROWTH_STREAK = 3;
const GROWTH_MIB = 16;
const GROWTH_PERCENT = 10;

/** The event-loop delay of the last minute from prom-client's default metrics (reset at every scrape). */
async function eventLoopDelay(server) {
  const text = (await call(server.url, '/metrics')).text;
  const seconds = (name) => Number(text.match(new RegExp(`^s2s_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? ([0-9.e+-]+)`, 'm'))?.[1] ?? NaN);
  return { meanMs: seconds('mean') * 1000, p99Ms: seconds('p99') * 1000, maxMs: seconds('max') * 1000 };
}

/** RSS "keeps growing" (see the constants above); `samples` = RSS per minute, MiB. */
export function keepsGrowing(samples) {
  if (samples.length < GROWTH_STREAK + 2) return false;
  const last = samples.slice(-GROWTH_STREAK - 1);
  const rising = last.every((value, i) => i === 0 || value > last[i - 1]);
  const base = samples[1];
  const growth = samples.at(-1) - base;
  return rising && growth > Math.max(GROWTH_MIB, (base * GROWTH_PERCENT) / 100);
}

async function main() {
  const rerun = rerunWithServerThreadPool();
  if (rerun !== null) return rerun;
  const settings = { ...commonSettings(), minutes: intFromEnv('BENCH_SOAK_MINUTES', 10, 1, 24 * 60), connections: intFromEnv('BENCH_CONNECTIONS', 50, 1, 10_000) };
  const databaseUrl = process.env.BENCH_DATABASE_URL?.trim() || null;
  const generator = findWrk() ? 'wrk' : 'autocannon';
  const machine = machineInfo(settings);
  process.stdout.write(`bench:soak — ${settings.minutes} min, ${settings.connections} connections, ${generator}, ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}; ${machine.cores} cores, load average ${machine.loadAverageAtStart.join(' ')}\n`);
  const server = await startServer('http', { ...settings, serverEnv: databaseUrl ? { DATABASE_URL: databaseUrl } : {} });
  try {
    await admin(server, 'PUT', '/oauth-configuration', { realm: REALM });
    const certificate = await admin(server, 'POST', '/certificates/self-signed', { realms: [REALM] });
    await admin(server, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
    // On a reused PostgreSQL database the resource may exist from an earlier soak.
    await admin(server, 'POST', '/resources', { appIdUri: RESOURCE, roles: [{ value: ROLE }] }).catch(() => undefined);
    const client = await admin(server, 'POST', '/clients', { displayName: 'soak' });
    await admin(server, 'POST', `/clients/${encodeURIComponent(client.clientId)}/role-grants`, { resource: RESOURCE, role: ROLE });
    const authorization = basicCredentials(client.clientId, client.clientSecret);
    const tokenBody = `grant_type=client_credentials&resource=${encodeURIComponent(RESOURCE)}`;
    const headers = { ...formHeaders(authorization), connection: 'keep-alive' };
    const fresh = [];
    while (fresh.length < 2000) {
      const response = await call(server.url, '/oauth2/token', { method: 'POST', headers: formHeaders(authorization), body: tokenBody });
      fresh.push(`token=${encodeURIComponent(JSON.parse(response.text).access_token)}`);
    }
    const run = async (path, options, seconds) => {
      const url = `${server.url}${path}`;
      if (generator === 'wrk') return runWrk({ url, headers, connections: settings.connections, durationSeconds: seconds, ...options });
      let next = 0;
      const requests = options.bodies ? [{ setupRequest: (request) => ({ ...request, body: options.bodies[next++ % options.bodies.length] }) }] : undefined;
      return summarizeCannon(await runCannon({ url, method: 'POST', headers, body: options.body, requests, connections: settings.connections, duration: seconds }));
    };
    await eventLoopDelay(server); // resets the minute's histogram
    const minutes = [];
    for (let minute = 1; minute <= settings.minutes; minute++) {
      if (state.interrupted) throw new Error('interrupted');
      const issue = await run('/oauth2/token', { body: tokenBody, expect: '"access_token"' }, 30);
      const introspect = await run('/oauth2/introspect', { bodies: fresh, expect: '"active":true' }, 30);
      const memory = serverTreeMemory(server);
      const delay = await eventLoopDelay(server);
      const row = { minute, issuePerSecond: issue.requestsPerSecond, introspectPerSecond: introspect.requestsPerSecond, failures: issue.non2xx + issue.errors + introspect.non2xx + introspect.errors, rssMiB: memory?.rssMiB ?? NaN, ...delay };
      minutes.push(row);
      process.stdout.write(
        `minute ${minute}: RSS ${fmt(row.rssMiB)} MiB, event-loop delay mean ${fmt(row.meanMs, 1)} ms p99 ${fmt(row.p99Ms, 1)} ms max ${fmt(row.maxMs, 1)} ms; ${fmt(row.issuePerSecond)} tokens/s, ${fmt(row.introspectPerSecond)} introspections/s, ${row.failures} failed\n`,
      );
    }
    process.stdout.write(`\n${table([['minute', 'RSS MiB', 'delay mean ms', 'p99 ms', 'max ms', 'tokens/s', 'introspect/s', 'failed'], ...minutes.map((m) => [m.minute, fmt(m.rssMiB), fmt(m.meanMs, 1), fmt(m.p99Ms, 1), fmt(m.maxMs, 1), fmt(m.issuePerSecond), fmt(m.introspectPerSecond), m.failures])])}\n`);
    const growing = keepsGrowing(minutes.map((m) => m.rssMiB));
    const file = join(settings.resultsDir, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify({ machine, settings, minutes, growing }, null, 2));
    process.stdout.write(`results: ${file}\n`);
    if (growing) {
      process.stdout.write(`FAIL: RSS kept growing (the last ${GROWTH_STREAK} minutes each higher, ${fmt(minutes.at(-1).rssMiB - minutes[1].rssMiB)} MiB above minute 2)\n`);
      return 1;
    }
    process.stdout.write('OK: RSS did not keep growing\n');
    return 0;
  } finally {
    await server.stop();
  }
}

await runMain(main, 'bench:soak');
