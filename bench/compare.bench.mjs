#!/usr/bin/env node
// s2s-trust against oidc-provider (npm) in one run, alternating, on the same load generator:
// token issuance (JWT access tokens on both), introspection (fresh tokens and one repeated token),
// at 50 and 200 connections, with p50/p99 and RSS; with a PostgreSQL URL also WORKERS=1 against
// WORKERS=2. Prints the ratios. See bench/README.md ("Side by side: npm run bench:compare").
//
// Run: npm run bench:compare   (builds, then runs this file)

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { commonSettings, intFromEnv, rerunWithServerThreadPool, UsageError } from './lib/env.mjs';
import { children, runMain, sleep, state, stopChild } from './lib/lifecycle.mjs';
import { runCannon, summarizeCannon } from './lib/load.mjs';
import { fmt, machineInfo, table } from './lib/report.mjs';
import { admin, basicCredentials, call, formHeaders, freePort, REPO_ROOT, serverMemory, serverTreeMemory, startServer } from './lib/server.mjs';
import { findWrk, runWrk } from './lib/wrk.mjs';

const REALM = 'contoso.com';
const RESOURCE = 'api://bench';
const ROLE = 'Bench.Read';
const OP_CLIENT = { id: 'bench', secret: 'bench-secret-0123456789' };
/** oidc-provider's memory adapter keeps 1,000 entries (an LRU): its pool of opaque tokens stays below. */
const OP_POOL = 900;

function readSettings() {
  const common = commonSettings();
  const connections = (process.env.BENCH_COMPARE_CONNECTIONS ?? '50,200').split(',').map((value) => {
    const n = Number(value.trim());
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`BENCH_COMPARE_CONNECTIONS: "${value}" is not a connection count`);
    return n;
  });
  return {
    ...common,
    sliceSeconds: intFromEnv('BENCH_SLICE_SECONDS', 5, 1, 600),
    rounds: intFromEnv('BENCH_ROUNDS', 3, 1, 100),
    connectionCounts: connections,
    // s2s-trust's cache holds TOKEN_CACHE_MAX_ENTRIES verdicts, each from its token's second
    // validation on, and remembers first sightings in a table of 2,048 slots (for 1,000 entries): a
    // pool ten times larger, taken in turn, has its sightings overwritten before it comes round
    // again (≈ 1 % admitted) and never hits, which is what "fresh tokens" measures.
    cacheEntries: intFromEnv('BENCH_CACHE_ENTRIES', 1000, 1, 1_000_000),
    freshPool: intFromEnv('BENCH_FRESH_POOL', 10_000, 10, 100_000),
    databaseUrl: process.env.BENCH_DATABASE_URL?.trim() || null,
    generator: (process.env.BENCH_LOAD_GENERATOR ?? (findWrk() ? 'wrk' : 'autocannon')).trim(),
  };
}

// ---------------------------------------------------------------------------------------------
// The two servers
// ---------------------------------------------------------------------------------------------

async function startS2s(settings, serverEnv, label) {
  const server = await startServer('http', { ...settings, serverEnv: { TOKEN_CACHE_MAX_ENTRIES: String(settings.cacheEntries), ...serverEnv } });
  await admin(server, 'PUT', '/oauth-configuration', { realm: REALM });
  const certificate = await admin(server, 'POST', '/certificates/self-signed', { realms: [REALM] });
  await admin(server, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
  await admin(server, 'POST', '/resources', { appIdUri: RESOURCE, roles: [{ value: ROLE }] });
  const client = await admin(server, 'POST', '/clients', { displayName: 'bench' });
  await admin(server, 'POST', `/clients/${encodeURIComponent(client.clientId)}/role-grants`, { resource: RESOURCE, role: ROLE });
  return {
    name: label,
    server,
    pid: server.pid,
    url: server.url,
    authorization: basicCredentials(client.clientId, client.clientSecret),
    tokenPath: '/oauth2/token',
    tokenBody: `grant_type=client_credentials&resource=${encodeURIComponent(RESOURCE)}`,
    introspectionPath: '/oauth2/introspect',
    opaqueBody: null,
    memory: () => serverTreeMemory(server),
    stop: () => server.stop(),
  };
}

async function startOidcProvider() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bench/lib/oidc-provider.server.mjs')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), OP_CLIENT_ID: OP_CLIENT.id, OP_CLIENT_SECRET: OP_CLIENT.secret, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve(JSON.parse(line).url);
    });
    child.once('exit', (code) => reject(new Error(`oidc-provider exited with ${code}:\n${output}`)));
  });
  return {
    name: 'oidc-provider',
    pid: child.pid,
    url,
    authorization: basicCredentials(OP_CLIENT.id, OP_CLIENT.secret),
    tokenPath: '/token',
    tokenBody: 'grant_type=client_credentials&resource=urn%3Abench%3Ajwt&scope=api.read',
    introspectionPath: '/token/introspection',
    opaqueBody: 'grant_type=client_credentials&resource=urn%3Abench%3Aopaque&scope=api.read',
    memory: () => serverMemory({ pid: child.pid }),
    stop: async () => {
      await stopChild(child);
      children.delete(child);
    },
  };
}

/** One access token from `target`'s token endpoint (`body`: its JWT or its opaque form). */
async function issue(target, body = target.tokenBody) {
  const response = await call(target.url, target.tokenPath, { method: 'POST', headers: formHeaders(target.authorization), body });
  const json = response.status === 200 ? JSON.parse(response.text) : null;
  if (typeof json?.access_token !== 'string') throw new Error(`${target.name}: token request answered ${response.status}: ${response.text}`);
  return json.access_token;
}

async function tokenPool(target, count, body) {
  const tokens = [];
  while (tokens.length < count) tokens.push(...(await Promise.all(Array.from({ length: Math.min(32, count - tokens.length) }, () => issue(target, body)))));
  return tokens;
}

/** Checks a token is introspected active on `target` before it is measured. */
async function expectActive(target, token) {
  const response = await call(target.url, target.introspectionPath, { method: 'POST', headers: formHeaders(target.authorization), body: `token=${encodeURIComponent(token)}` });
  if (response.status !== 200 || !response.text.includes('"active":true')) throw new Error(`${target.name}: introspection answered ${response.status}: ${response.text}`);
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

async function load(settings, target, { path, body, bodies, expect }, connections, seconds) {
  const url = `${target.url}${path}`;
  const headers = { ...formHeaders(target.authorization), connection: 'keep-alive' };
  if (settings.generator === 'wrk') return runWrk({ url, method: 'POST', headers, body: body ?? '', bodies, expect, connections, durationSeconds: seconds });
  let next = 0;
  const requests = bodies?.length ? [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }] : undefined;
  const result = await runCannon({ url, method: 'POST', headers, body, requests, connections, duration: seconds, expectBody: undefined, verifyBody: (text) => text.includes(expect) });
  return summarizeCannon(result);
}

/** The scenarios of one target: issuance, fresh introspection, a repeated token. */
async function scenariosOf(target) {
  const repeated = await issue(target, target.opaqueBody ?? target.tokenBody);
  await expectActive(target, repeated);
  const fresh = target.opaqueBody ? await tokenPool(target, OP_POOL, target.opaqueBody) : await tokenPool(target, target.freshPool, target.tokenBody);
  await expectActive(target, fresh[0]);
  return {
    issue: { path: target.tokenPath, body: target.tokenBody, expect: '"access_token"' },
    'introspect-fresh': { path: target.introspectionPath, bodies: fresh.map((token) => `token=${encodeURIComponent(token)}`), expect: '"active":true' },
    'introspect-repeated': { path: target.introspectionPath, body: `token=${encodeURIComponent(repeated)}`, expect: '"active":true' },
  };
}

/** s2s-trust's cache lookups so far (hits, misses) from /metrics. */
async function cacheLookups(target) {
  const response = await call(target.url, '/metrics');
  const value = (result) => Number(response.text.match(new RegExp(`^s2s_token_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm'))?.[1] ?? NaN);
  return { hits: value('hit'), misses: value('miss') };
}

/**
 * Every scenario at every connection count: `rounds` rounds in which each target gets one slice in
 * turn (alternating, so both see the same machine); per target: requests/s over all its slices,
 * the median p50 and the worst p99 of its slices, failures, and s2s-trust's cache hit share.
 */
async function compare(settings, targets, scenarioNames) {
  const scenarios = new Map();
  for (const target of targets) scenarios.set(target, await scenariosOf(target));
  const results = [];
  for (const scenario of scenarioNames) {
    for (const connections of settings.connectionCounts) {
      const per = new Map(targets.map((target) => [target, { good: 0, seconds: 0, p50: [], p99: [], failures: 0, lookups: [] }]));
      // Warm-up (discarded) of each target.
      for (const target of targets) if (settings.warmupSeconds > 0) await load(settings, target, scenarios.get(target)[scenario], connections, settings.warmupSeconds);
      for (let round = 0; round < settings.rounds; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          if (state.interrupted) throw new Error('interrupted');
          const before = target.opaqueBody ? null : await cacheLookups(target);
          const run = await load(settings, target, scenarios.get(target)[scenario], connections, settings.sliceSeconds);
          const after = target.opaqueBody ? null : await cacheLookups(target);
          const entry = per.get(target);
          entry.good += run.good ?? run.requestsPerSecond * run.durationSeconds;
          entry.seconds += run.durationSeconds;
          entry.p50.push(run.latencyMs.p50);
          entry.p99.push(run.latencyMs.p99);
          entry.failures += run.non2xx + run.errors + (run.mismatches ?? 0);
          if (before && after) entry.lookups.push({ hits: after.hits - before.hits, misses: after.misses - before.misses });
        }
      }
      for (const target of targets) {
        const entry = per.get(target);
        const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
        const hits = entry.lookups.reduce((sum, l) => sum + l.hits, 0);
        const lookups = entry.lookups.reduce((sum, l) => sum + l.hits + l.misses, 0);
        results.push({
          scenario,
          connections,
          target: target.name,
          requestsPerSecond: entry.good / entry.seconds,
          p50Ms: median(entry.p50),
          p99Ms: Math.max(...entry.p99),
          failures: entry.failures,
          cacheHitPercent: lookups > 0 ? (100 * hits) / lookups : null,
          rssMiB: target.memory()?.rssMiB ?? null,
        });
      }
    }
  }
  return results;
}

function ratioRows(results, numerator, denominator) {
  const rows = [];
  for (const row of results.filter((r) => r.target === numerator)) {
    const peer = results.find((r) => r.target === denominator && r.scenario === row.scenario && r.connections === row.connections);
    if (peer) rows.push({ scenario: row.scenario, connections: row.connections, ratio: row.requestsPerSecond / peer.requestsPerSecond });
  }
  return rows;
}

function printResults(title, results) {
  process.stdout.write(`\n${title}\n`);
  const rows = [['scenario', 'conns', 'server', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'cache hits', 'RSS MiB']];
  for (const r of results) {
    rows.push([r.scenario, r.connections, r.target, fmt(r.requestsPerSecond), fmt(r.p50Ms, 1), fmt(r.p99Ms, 1), r.failures, r.cacheHitPercent === null ? '-' : `${fmt(r.cacheHitPercent)} %`, r.rssMiB === null ? 'n/a' : fmt(r.rssMiB)]);
  }
  process.stdout.write(`${table(rows)}\n`);
}

function printRatios(title, ratios) {
  process.stdout.write(`\n${title}\n${table([['scenario', 'conns', 'ratio'], ...ratios.map((r) => [r.scenario, r.connections, `${fmt(r.ratio, 2)}x`])])}\n`);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL for WORKERS (a database of its own, dropped afterwards)
// ---------------------------------------------------------------------------------------------

async function withDatabase(serverUrl, use) {
  const name = `s2s_bench_${process.pid}_${Date.now()}`;
  const adminClient = new pg.Client({ connectionString: serverUrl });
  await adminClient.connect();
  try {
    await adminClient.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await use(url.toString());
  } finally {
    await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await adminClient.end();
  }
}

async function main() {
  const rerun = rerunWithServerThreadPool();
  if (rerun !== null) return rerun;
  const settings = readSettings();
  const machine = machineInfo(settings);
  process.stdout.write(
    `bench:compare — s2s-trust against oidc-provider, plain HTTP, ${settings.generator} (one thread), ${settings.rounds} rounds of ${settings.sliceSeconds} s per server and scenario, alternating; ` +
      `${machine.cores} cores, load average ${machine.loadAverageAtStart.join(' ')} at start\n`,
  );
  const report = { machine, settings: { ...settings, databaseUrl: settings.databaseUrl ? '(set)' : null }, runs: {} };

  // 1. One process each: s2s-trust on its default embedded database, oidc-provider in memory.
  const s2s = await startS2s(settings, {}, 's2s-trust');
  s2s.freshPool = settings.freshPool;
  const op = await startOidcProvider();
  let single;
  try {
    single = await compare(settings, [s2s, op], ['issue', 'introspect-fresh', 'introspect-repeated']);
  } finally {
    await s2s.stop();
    await op.stop();
  }
  report.runs.single = single;
  printResults('One process each (s2s-trust on PGlite, the default):', single);
  const ratios = ratioRows(single, 's2s-trust', 'oidc-provider');
  report.runs.ratios = ratios;
  printRatios('s2s-trust ÷ oidc-provider (requests/s):', ratios);

  // 2. WORKERS=1 against WORKERS=2 on PostgreSQL, issuance and fresh introspection, alternating.
  if (settings.databaseUrl) {
    const workers = await withDatabase(settings.databaseUrl, (one) =>
      withDatabase(settings.databaseUrl, async (two) => {
        const w1 = await startS2s(settings, { DATABASE_URL: one }, 'WORKERS=1');
        const w2 = await startS2s(settings, { DATABASE_URL: two, WORKERS: '2' }, 'WORKERS=2');
        w1.freshPool = settings.freshPool;
        w2.freshPool = settings.freshPool;
        try {
          return await compare({ ...settings, connectionCounts: [settings.connectionCounts[0]] }, [w1, w2], ['issue', 'introspect-fresh']);
        } finally {
          await w1.stop();
          await w2.stop();
        }
      }),
    );
    report.runs.workers = workers;
    printResults('s2s-trust on PostgreSQL, WORKERS=1 and WORKERS=2 (RSS: all processes):', workers);
    printRatios('WORKERS=2 ÷ WORKERS=1:', ratioRows(workers, 'WORKERS=2', 'WORKERS=1'));
  } else {
    process.stdout.write('\nWORKERS=2: skipped (set BENCH_DATABASE_URL to a PostgreSQL server URL; a database is created and dropped)\n');
  }
  const file = join(settings.resultsDir, `compare-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(report, null, 2));
  process.stdout.write(`\nresults: ${file}\n`);
  await sleep(0);
  return 0;
}

await runMain(main, 'bench:compare');
