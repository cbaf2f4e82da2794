#!/usr/bin/env node
// Token issuance benchmark (SPEC 7): HTTP throughput of POST /oauth2/token against the raw
// node:crypto RSA-2048 sign rate, on the same machine, in the same run. See bench/README.md.
//
// Run: npm run bench:token   (builds, then runs this file; the server must be built into dist/)

import './lib/verified-tls.mjs';
import { constants as cryptoConstants, createPrivateKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { busyOthers, mergeCpuWindows, startCpuWatch, stopCpuWatch } from './lib/cpu.mjs';
import { commonSettings, intFromEnv, listFromEnv, rerunWithServerThreadPool, UsageError } from './lib/env.mjs';
import { runMain, state } from './lib/lifecycle.mjs';
import { runCannon, summarizeCannon } from './lib/load.mjs';
import { findWrk, runWrk } from './lib/wrk.mjs';
import { fmt, machineInfo, table } from './lib/report.mjs';
import { admin, basicCredentials, call, formHeaders, gcDelta, REPO_ROOT, SERVER_ENTRY, memoryLine, serverGcTotals, serverMemory, startServer } from './lib/server.mjs';
import { tlsStats } from './lib/verified-tls.mjs';

const TARGET_PERCENT = 70;
const REALM = 'contoso.com';
const RESOURCE = 'api://bench';
const ROLE = 'Bench.Read';
const TOKEN_BODY = `grant_type=client_credentials&resource=${encodeURIComponent(RESOURCE)}`;

// ---------------------------------------------------------------------------------------------
// Knobs (environment variables; the common ones in lib/env.mjs)
// ---------------------------------------------------------------------------------------------

function readSettings() {
  return {
    ...commonSettings(),
    signInFlight: intFromEnv('BENCH_SIGN_IN_FLIGHT', 64, 1, 100_000),
    sliceSeconds: intFromEnv('BENCH_SLICE_SECONDS', 2, 1, 600),
    modes: listFromEnv('BENCH_MODES', 'https,http', ['https', 'http']),
    loadGenerator: loadGeneratorFromEnv(),
  };
}

/** BENCH_LOAD_GENERATOR: wrk when it is installed (the default), else autocannon. */
function loadGeneratorFromEnv() {
  const [wanted] = listFromEnv('BENCH_LOAD_GENERATOR', 'auto', ['auto', 'wrk', 'autocannon']);
  if (wanted === 'autocannon') return { name: 'autocannon', version: autocannonVersion() };
  const wrk = findWrk();
  if (wrk) return { name: 'wrk', version: wrk.version };
  if (wanted === 'wrk') throw new UsageError('BENCH_LOAD_GENERATOR=wrk, but wrk is not installed (apt-get install wrk)');
  return { name: 'autocannon', version: autocannonVersion(), note: 'wrk is not installed (apt-get install wrk): using autocannon, which takes about twice the CPU per request' };
}

function autocannonVersion() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version;
}

// ---------------------------------------------------------------------------------------------
// Server set-up
// ---------------------------------------------------------------------------------------------

/** Realm, token-issuer certificate, resource with a role, a client with a secret and the role granted. */
async function setUp(server) {
  await admin(server, 'PUT', '/oauth-configuration', { realm: REALM });
  const certificate = await admin(server, 'POST', '/certificates/self-signed', { realms: [REALM] });
  if (!certificate?.thumbprint) throw new Error(`POST /certificates/self-signed returned no thumbprint: ${JSON.stringify(certificate)}`);
  await admin(server, 'PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
  await admin(server, 'POST', '/resources', { appIdUri: RESOURCE, roles: [{ value: ROLE }] });
  const client = await admin(server, 'POST', '/clients', { displayName: 'bench' });
  if (!client?.clientId || !client?.clientSecret) throw new Error(`POST /clients returned no clientId/clientSecret: ${JSON.stringify(client)}`);
  await admin(server, 'POST', `/clients/${encodeURIComponent(client.clientId)}/role-grants`, { resource: RESOURCE, role: ROLE });
  return { clientId: client.clientId, authorization: basicCredentials(client.clientId, client.clientSecret) };
}


/** One token request must work before anything is measured; returns facts about the token. */
async function preflight(server, authorization) {
  const response = await call(server.url, '/oauth2/token', { method: 'POST', headers: formHeaders(authorization), body: TOKEN_BODY, ca: server.ca });
  let json = null;
  try {
    json = JSON.parse(response.text);
  } catch {
    /* reported below */
  }
  if (response.status !== 200 || typeof json?.access_token !== 'string') {
    throw new Error(`${server.mode} server: the pre-flight token request answered ${response.status}, expected 200 with an access_token: ${response.text}`);
  }
  const token = json.access_token;
  const [headerPart, payloadPart] = token.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
  const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  if (header.alg !== 'RS256') throw new Error(`${server.mode} server: expected an RS256 token, got alg ${header.alg}`);
  return {
    status: response.status,
    alg: header.alg,
    signingInputBytes: token.lastIndexOf('.'),
    tokenBytes: token.length,
    roles: payload.roles ?? null,
    aud: payload.aud ?? null,
  };
}


// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

/** Token requests for `duration` seconds with the chosen load generator; summarised like `summarizeCannon`. */
async function tokenLoad(server, authorization, settings, duration) {
  if (settings.loadGenerator.name === 'wrk') {
    return runWrk({
      url: `${server.url}/oauth2/token`,
      headers: formHeaders(authorization),
      body: TOKEN_BODY,
      // Every 2xx must actually carry a token (counted in `mismatches` otherwise).
      expect: '"access_token"',
      connections: settings.connections,
      durationSeconds: duration,
    });
  }
  return summarizeCannon(await tokenCannon(server, authorization, settings, duration));
}

function tokenCannon(server, authorization, settings, duration) {
  return runCannon({
    url: `${server.url}/oauth2/token`,
    method: 'POST',
    headers: formHeaders(authorization),
    body: TOKEN_BODY,
    connections: settings.connections,
    duration,
    ca: server.ca,
    // Every 2xx must actually carry a token (counted in `mismatches` otherwise).
    verifyBody: (body) => typeof body === 'string' && body.includes('"access_token"'),
  });
}

/**
 * One server (HTTPS or HTTP): set up, pre-flight, warm-up, then `rounds` rounds of
 * `BENCH_SLICE_SECONDS` of raw async signing (the server idle) followed by the same time of token
 * load, so that the raw limit and the server see the same machine even when other processes come
 * and go; the ratio is (tokens ÷ load time) ÷ (signatures ÷ raw time) over all rounds.
 */
async function measureServer(mode, settings, signerFor) {
  process.stderr.write(`[${mode}] starting the server...\n`);
  const server = await startServer(mode, settings);
  const memoryAtStart = serverMemory(server);
  try {
    const { authorization } = await setUp(server);
    const token = await preflight(server, authorization);
    process.stderr.write(`[${mode}] ${server.url}: pre-flight token OK (${token.alg}, signing input ${token.signingInputBytes} bytes)\n`);
    const signer = signerFor(token);
    const verifiedBefore = tlsStats.verified;
    if (settings.warmupSeconds > 0) {
      process.stderr.write(`[${mode}] warm-up ${settings.warmupSeconds} s (load), ${Math.min(settings.warmupSeconds, 2)} s (raw signing)...\n`);
      await tokenLoad(server, authorization, settings, settings.warmupSeconds);
      await asyncSignRate(signer.key, signer.data, Math.min(settings.warmupSeconds, 2), settings.signInFlight);
    }
    const slice = settings.sliceSeconds;
    const rounds = Math.max(1, Math.ceil(settings.durationSeconds / slice));
    process.stderr.write(
      `[${mode}] measuring ${rounds} rounds of ${slice} s raw async signing (${settings.signInFlight} in flight) then ${slice} s of load with ${settings.connections} keep-alive connections (${settings.loadGenerator.name})...\n`,
    );
    const raws = [];
    const rawCpu = [];
    const loads = [];
    const loadCpu = [];
    const gcWindows = [];
    for (let round = 0; round < rounds; round++) {
      if (state.interrupted) throw new Error('interrupted');
      const rawWatch = startCpuWatch(null);
      const raw = await asyncSignRate(signer.key, signer.data, slice, settings.signInFlight);
      rawCpu.push({ cpu: stopCpuWatch(rawWatch, raw.signatures), units: raw.signatures });
      raws.push(raw);
      const gcBefore = await serverGcTotals(server);
      const watch = startCpuWatch(server.pid);
      const load = await tokenLoad(server, authorization, settings, slice);
      const tokens = load.requestsPerSecond * load.durationSeconds;
      loadCpu.push({ cpu: stopCpuWatch(watch, tokens), units: tokens });
      gcWindows.push({ gc: gcDelta(gcBefore, await serverGcTotals(server)), tokens: load.totalResponses });
      loads.push(load);
    }
    const rawSeconds = raws.reduce((sum, r) => sum + r.seconds, 0);
    const rawRate = raws.reduce((sum, r) => sum + r.signatures, 0) / rawSeconds;
    const sliceRates = raws.map((r) => r.perSecond);
    return {
      mode,
      url: server.url,
      token,
      rounds,
      // wrk does not verify certificates; the pre-flight request (node:https with the server CA) did.
      tlsConnectionsVerified: mode === 'https' ? tlsStats.verified - verifiedBefore : null,
      ...mergeLoads(loads),
      cpu: mergeCpuWindows(loadCpu),
      gc: mergeGcWindows(gcWindows),
      memory: { atStart: memoryAtStart, afterLoad: serverMemory(server) },
      raw: {
        perSecond: rawRate,
        seconds: rawSeconds,
        signatures: raws.reduce((sum, r) => sum + r.signatures, 0),
        sliceRates,
        spreadPercent: ((Math.max(...sliceRates) - Math.min(...sliceRates)) / rawRate) * 100,
        roundRatiosPercent: loads.map((load, i) => (load.requestsPerSecond / sliceRates[i]) * 100),
        cpu: mergeCpuWindows(rawCpu),
      },
    };
  } finally {
    await server.stop();
  }
}

/**
 * The server's GC pauses over the load windows, per token: `{ kind: { perThousandTokens,
 * microsPerToken } }` (from its own /metrics, read before and after each window), or null.
 */
function mergeGcWindows(windows) {
  if (windows.some((w) => w.gc === null)) return null;
  const tokens = windows.reduce((sum, w) => sum + w.tokens, 0);
  if (!tokens) return null;
  const byKind = {};
  for (const { gc } of windows) {
    for (const [kind, { count, seconds }] of Object.entries(gc)) {
      byKind[kind] ??= { count: 0, seconds: 0 };
      byKind[kind].count += count;
      byKind[kind].seconds += seconds;
    }
  }
  return Object.fromEntries(Object.entries(byKind).map(([kind, { count, seconds }]) => [kind, { perThousandTokens: (count / tokens) * 1000, microsPerToken: (seconds * 1e6) / tokens }]));
}

/** The load slices of one server as one run: counts added, rates over the total time, latency percentiles weighted by responses. */
function mergeLoads(loads) {
  const seconds = loads.reduce((sum, l) => sum + l.durationSeconds, 0);
  const good = loads.reduce((sum, l) => sum + l.requestsPerSecond * l.durationSeconds, 0);
  const weight = (l) => l.totalResponses || 1;
  const weights = loads.reduce((sum, l) => sum + weight(l), 0);
  const weighted = (name) => loads.reduce((sum, l) => sum + l.latencyMs[name] * weight(l), 0) / weights;
  const statusCodes = {};
  for (const load of loads) for (const [status, count] of Object.entries(load.statusCodes)) statusCodes[status] = (statusCodes[status] ?? 0) + count;
  const total = (name) => loads.reduce((sum, l) => sum + (l[name] ?? 0), 0);
  return {
    durationSeconds: seconds,
    requestsPerSecond: good / seconds,
    totalResponses: total('totalResponses'),
    // Per-slice percentiles averaged by responses: an approximation of the whole run's percentiles.
    latencyMs: { p50: weighted('p50'), p90: weighted('p90'), p99: weighted('p99'), max: Math.max(...loads.map((l) => l.latencyMs.max)), mean: weighted('mean') },
    statusCodes,
    non2xx: total('non2xx'),
    errors: total('errors'),
    timeouts: total('timeouts'),
    mismatches: total('mismatches'),
  };
}

// ---------------------------------------------------------------------------------------------
// Raw node:crypto limit
// ---------------------------------------------------------------------------------------------

/**
 * RS256 as the server signs: RSA-2048, PKCS#1 v1.5, SHA-256, with the async callback form of
 * crypto.sign (libuv thread pool), `inFlight` signatures outstanding at all times.
 */
function asyncSignRate(key, data, seconds, inFlight) {
  return new Promise((resolveRate, reject) => {
    const started = performance.now();
    const end = started + seconds * 1000;
    let completed = 0;
    let outstanding = 0;
    let failed = false;
    const launch = () => {
      outstanding++;
      cryptoSign('sha256', data, key, (error) => {
        outstanding--;
        if (failed) return;
        if (error) {
          failed = true;
          reject(error);
          return;
        }
        completed++;
        if (performance.now() < end) launch();
        else if (outstanding === 0) {
          const elapsed = (performance.now() - started) / 1000;
          resolveRate({ signatures: completed, seconds: elapsed, perSecond: completed / elapsed });
        }
      });
    };
    for (let i = 0; i < inFlight; i++) launch();
  });
}

function syncSignRate(key, data, seconds) {
  const started = performance.now();
  const end = started + seconds * 1000;
  let completed = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 10; i++) cryptoSign('sha256', data, key);
    completed += 10;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { signatures: completed, seconds: elapsed, perSecond: completed / elapsed };
}

/** The key as the server holds it: a KeyObject imported from PKCS#8 PEM (the server unseals PEM). */
function rawSigner(signingInputBytes) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const imported = createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
  // A JWS signing input is base64url ASCII; the content does not matter for RSA, its length barely.
  return { signingInputBytes, data: Buffer.alloc(signingInputBytes, 'eyJhbGciOiJSUzI1NiJ9.'), key: { key: imported, padding: cryptoConstants.RSA_PKCS1_PADDING } };
}

function measureRawSync(settings, signer) {
  const seconds = Math.min(settings.durationSeconds, 5);
  process.stderr.write(`[raw] sync crypto.sign on one thread, ${seconds} s...\n`);
  return syncSignRate(signer.key, signer.data, seconds);
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------


function report(machine, settings, runs, raw) {
  const out = [];
  out.push('');
  out.push('Token issuance benchmark (SPEC 7): POST /oauth2/token, client_credentials, client_secret_basic, RS256');
  out.push(`machine: ${machine.cpuModel}, ${machine.cores} cores (os.cpus()), ${machine.totalMemoryGiB} GiB, ${machine.platform}`);
  out.push(`node ${machine.node}, OpenSSL ${machine.openssl}, UV_THREADPOOL_SIZE ${machine.uvThreadpoolSize} (${machine.uvThreadpoolSizeSource}), load average at start ${machine.loadAverageAtStart.join(' ')}`);
  const generator = settings.loadGenerator;
  out.push(`load: ${generator.name} ${generator.version}, ${settings.connections} keep-alive connections, pipelining 1, ${settings.durationSeconds} s after ${settings.warmupSeconds} s warm-up, loopback 127.0.0.1; server LOG_LEVEL=${settings.serverLogLevel}`);
  if (generator.note) out.push(`!! ${generator.note}`);
  out.push('');
  const header = ['', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'vs raw async sign', `target ≥ ${TARGET_PERCENT} %`];
  const rows = [header];
  for (const run of runs) {
    const ratio = (run.requestsPerSecond / run.raw.perSecond) * 100;
    run.ratioPercent = ratio;
    run.verdict = run.non2xx > 0 || run.errors > 0 || run.mismatches > 0 ? 'INVALID' : ratio >= TARGET_PERCENT ? 'PASS' : 'BELOW';
    rows.push([
      run.mode === 'https' ? 'HTTPS keep-alive' : 'plain HTTP keep-alive',
      fmt(run.requestsPerSecond),
      fmt(run.latencyMs.p50, 1),
      fmt(run.latencyMs.p99, 1),
      fmt(run.non2xx),
      fmt(run.errors + run.mismatches),
      `${fmt(ratio, 1)} %`,
      run.verdict,
    ]);
  }
  for (const run of runs) rows.push([`raw async sign, with ${run.mode === 'https' ? 'HTTPS' : 'HTTP'} (${raw.inFlight} in flight)`, fmt(run.raw.perSecond), '', '', '', '', '100.0 %', '']);
  const meanRaw = runs.reduce((sum, run) => sum + run.raw.perSecond, 0) / runs.length;
  rows.push(['raw sync sign (1 thread, reference)', fmt(raw.sync.perSecond), '', '', '', '', `${fmt((raw.sync.perSecond / meanRaw) * 100, 1)} %`, '']);
  out.push(table(rows));
  out.push('');
  out.push(`raw: RSA-2048 PKCS#1 v1.5 SHA-256 over ${raw.signingInputBytes} bytes (= a real token's signing input), node:crypto crypto.sign(…, cb) on the libuv pool;`);
  out.push(`     measured in ${settings.sliceSeconds} s slices alternating with the load (the server idle meanwhile); per server:`);
  for (const run of runs) {
    const ratios = [...run.raw.roundRatiosPercent].sort((x, y) => x - y);
    out.push(
      `     ${run.mode.padEnd(5)}: ${run.rounds} rounds, raw ${fmt(Math.min(...run.raw.sliceRates))}–${fmt(Math.max(...run.raw.sliceRates))}/s (spread ${fmt(run.raw.spreadPercent, 1)} %), ` +
        `per-round ratio ${fmt(ratios[0], 1)}–${fmt(ratios.at(-1), 1)} % (median ${fmt(ratios[Math.floor(ratios.length / 2)], 1)} %)`,
    );
  }
  for (const run of runs) {
    const parts = [`${run.mode}: ${fmt(run.totalResponses)} responses in ${fmt(run.durationSeconds, 1)} s, status ${JSON.stringify(run.statusCodes)}`];
    if (run.tlsConnectionsVerified !== null) {
      parts.push(
        generator.name === 'wrk'
          ? 'server certificate verified against the server CA by the pre-flight request (wrk itself does not verify)'
          : `${run.tlsConnectionsVerified} TLS connections verified against the server CA`,
      );
    }
    if (run.timeouts) parts.push(`${run.timeouts} timeouts`);
    if (run.mismatches) parts.push(`${run.mismatches} 2xx responses without an access_token`);
    out.push(parts.join('; '));
    if (run.verdict === 'INVALID') out.push(`  !! ${run.mode}: ${run.non2xx} non-2xx responses, ${run.errors} errors, ${run.mismatches} bad bodies: the throughput figure is not a clean token-issuance rate`);
  }

  // Where the CPU went, and whether something else on the machine took part of it.
  const warnings = [];
  for (const run of runs) {
    if (run.raw.sliceRates.length > 1 && run.raw.spreadPercent > 15) {
      warnings.push(`the raw async rate moved by ${fmt(run.raw.spreadPercent, 0)} % between its slices during the ${run.mode} run: the machine's load changed (the alternation keeps the ratio fair; absolute rates are unreliable)`);
    }
  }
  const cpuLines = [];
  for (const run of runs) {
    const { cpu } = run;
    if (!cpu.server) continue;
    const s = cpu.server;
    const others = busyOthers(cpu, s.eventLoopThreadOnCpuPercent + s.otherThreadsOnCpuPercent + cpu.benchProcessCpuPercent);
    cpuLines.push(
      `${run.mode.padEnd(5)}: server event loop ${fmt(s.eventLoopCpuMicrosPerToken)} µs CPU/token (on a CPU ${fmt(s.eventLoopThreadOnCpuPercent)} % of the time, runnable but waiting for one ${fmt(s.eventLoopThreadWaitingForCpuPercent)} %); ` +
        `other server threads (libuv pool: signing; V8) ${fmt(s.otherThreadsCpuMicrosPerToken)} µs/token; load generator ${fmt(cpu.benchProcessCpuMicrosPerUnit)} µs/request; ` +
        (cpu.machineBusyPercent === undefined ? '' : `machine ${fmt(cpu.machineBusyPercent)} % busy`),
    );
    if (run.gc) {
      const kinds = Object.keys(run.gc).filter((kind) => kind === 'minor' || run.gc[kind].perThousandTokens > 0);
      const total = Object.values(run.gc).reduce((sum, { microsPerToken }) => sum + microsPerToken, 0);
      cpuLines.push(
        `       GC pauses of the event loop ${fmt(total, 1)} µs/token (` +
          kinds.map((kind) => `${kind} ${fmt(run.gc[kind].microsPerToken, 1)} µs, ${fmt(run.gc[kind].perThousandTokens, 2)} per 1,000 tokens`).join('; ') +
          '; the server\'s own s2s_nodejs_gc_duration_seconds)',
      );
    }
    if (others !== null && others > 10) warnings.push(`other processes used about ${fmt(others)} % of the machine's CPU during the ${run.mode} run`);
    // Ceilings for the ratio from CPU costs alone (independent of how much CPU other processes
    // left): raw async rate = min(pool, cores) / sign CPU; the server is bounded by its one event
    // loop (1 / event-loop CPU), its pool (pool / pool CPU) and the cores (cores / all CPU per token).
    const signCpu = run.raw.cpu.benchProcessCpuMicrosPerUnit;
    if (signCpu && s.eventLoopCpuMicrosPerToken && s.otherThreadsCpuMicrosPerToken) {
      const pool = machine.uvThreadpoolSize;
      const allCpuPerToken = s.eventLoopCpuMicrosPerToken + s.otherThreadsCpuMicrosPerToken + (cpu.benchProcessCpuMicrosPerUnit ?? 0);
      const ceiling = (cores) => {
        const rawRate = Math.min(pool, cores) / signCpu;
        const limits = {
          'event loop': 1 / s.eventLoopCpuMicrosPerToken,
          'signing pool': pool / s.otherThreadsCpuMicrosPerToken,
          'total CPU': cores / allCpuPerToken,
        };
        const [by, rate] = Object.entries(limits).sort((x, y) => x[1] - y[1])[0];
        return { percent: Math.min(100, (rate / rawRate) * 100), limitedBy: by };
      };
      const here = ceiling(cpu.cores);
      const big = ceiling(pool + 2);
      // When the cores are the limit (signing threads ≥ cores, load generator on the same cores),
      // the ratio is about signCpu ÷ (all CPU per token): everything a token costs beyond its one
      // signature must fit in signCpu × (100 ÷ target − 1) for the target to be reachable.
      const beyondSignature = allCpuPerToken - signCpu;
      const budget = signCpu * (100 / TARGET_PERCENT - 1);
      run.cpuCeilings = { rawSignCpuMicros: signCpu, thisMachine: here, withPoolPlus2Cores: big, beyondSignatureMicros: beyondSignature, budgetMicros: budget };
      cpuLines.push(
        `       ratio ceiling from these CPU costs: ≈ ${fmt(here.percent)} % on these ${cpu.cores} cores (limited by ${here.limitedBy}); ` +
          `≈ ${fmt(big.percent)} % with this pool of ${pool} threads on ≥ ${pool + 2} cores (limited by ${big.limitedBy})`,
      );
      if (here.limitedBy === 'total CPU') {
        cpuLines.push(
          `       CPU per token beyond one raw signature (event loop + other server threads + load generator − raw CPU per signature): ≈ ${fmt(beyondSignature)} µs; ` +
            `${TARGET_PERCENT} % on shared cores allows ≈ ${fmt(budget)} µs (raw signature ${fmt(signCpu)} µs × ${fmt(100 / TARGET_PERCENT - 1, 2)})`,
        );
      }
    }
  }
  for (const run of runs) {
    const r = run.raw;
    const others = busyOthers(r.cpu, r.cpu.benchProcessCpuPercent);
    cpuLines.push(`raw  : ${fmt(r.cpu.benchProcessCpuMicrosPerUnit)} µs CPU/signature (slices of the ${run.mode} run); machine ${r.cpu.machineBusyPercent === undefined ? '?' : fmt(r.cpu.machineBusyPercent)} % busy`);
    if (others !== null && others > 10) warnings.push(`other processes used about ${fmt(others)} % of the machine's CPU during the raw slices of the ${run.mode} run`);
  }
  if (cpuLines.length) {
    out.push('');
    out.push('where the CPU went (Linux /proc):');
    for (const line of cpuLines) out.push(`  ${line}`);
  }
  out.push('');
  out.push('memory (Linux /proc):');
  for (const run of runs) out.push(`  ${memoryLine(run.mode, run.memory.atStart, run.memory.afterLoad)}`);
  if (warnings.length) {
    out.push('');
    for (const warning of warnings) out.push(`!! ${warning}`);
    out.push('!! the machine was not quiet: absolute rates are unreliable and the ratio is pessimistic or noisy; rerun on an otherwise idle machine');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const rerun = rerunWithServerThreadPool();
  if (rerun !== null) return rerun;
  const settings = readSettings();
  if (!existsSync(SERVER_ENTRY)) throw new UsageError(`${SERVER_ENTRY} does not exist: build first (npm run build), or use npm run bench:token`);
  const machine = machineInfo(settings);
  const started = new Date();

  // The raw async rate is measured in slices alternating with each server's load (measureServer),
  // with a signing input of a real token's length (known after the first pre-flight).
  let signer = null;
  const runs = [];
  for (const mode of settings.modes) {
    if (state.interrupted) return 130;
    runs.push(await measureServer(mode, settings, (token) => (signer ??= rawSigner(token.signingInputBytes))));
  }
  if (state.interrupted) return 130;
  const raw = {
    keyBits: 2048,
    algorithm: 'RS256 (RSASSA-PKCS1-v1_5, SHA-256)',
    signingInputBytes: signer.signingInputBytes,
    inFlight: settings.signInFlight,
    sync: measureRawSync(settings, signer),
  };

  const text = report(machine, settings, runs, raw);
  process.stdout.write(`${text}\n`);

  await mkdir(settings.resultsDir, { recursive: true });
  const file = join(settings.resultsDir, `token-issuance-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const results = {
    benchmark: 'token-issuance',
    spec: 'SPEC 7: HTTP token issuance ≥ 70 % of the raw RSA-2048 sign rate',
    startedAt: started.toISOString(),
    targetPercent: TARGET_PERCENT,
    machine,
    settings: { ...settings, serverNodeArgs: settings.serverNodeArgs },
    runs,
    raw,
  };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nresults: ${file}\n`);
  return runs.some((run) => run.verdict === 'INVALID') ? 1 : 0;
}

await runMain(main);
