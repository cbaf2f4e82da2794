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
import { busyOthers, startCpuWatch, stopCpuWatch } from './lib/cpu.mjs';
import { commonSettings, intFromEnv, listFromEnv, rerunWithServerThreadPool, UsageError } from './lib/env.mjs';
import { runMain, state } from './lib/lifecycle.mjs';
import { runCannon, summarizeCannon } from './lib/load.mjs';
import { findWrk, runWrk } from './lib/wrk.mjs';
import { fmt, machineInfo, table } from './lib/report.mjs';
import { admin, basicCredentials, call, formHeaders, REPO_ROOT, SERVER_ENTRY, startServer } from './lib/server.mjs';
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

async function measureServer(mode, settings, afterPreflight = async () => {}) {
  process.stderr.write(`[${mode}] starting the server...\n`);
  const server = await startServer(mode, settings);
  try {
    const { authorization } = await setUp(server);
    const token = await preflight(server, authorization);
    process.stderr.write(`[${mode}] ${server.url}: pre-flight token OK (${token.alg}, signing input ${token.signingInputBytes} bytes)\n`);
    await afterPreflight(token);
    const verifiedBefore = tlsStats.verified;
    if (settings.warmupSeconds > 0) {
      process.stderr.write(`[${mode}] warm-up ${settings.warmupSeconds} s...\n`);
      await tokenLoad(server, authorization, settings, settings.warmupSeconds);
    }
    process.stderr.write(`[${mode}] measuring ${settings.durationSeconds} s with ${settings.connections} keep-alive connections (${settings.loadGenerator.name})...\n`);
    const watch = startCpuWatch(server.pid);
    const result = await tokenLoad(server, authorization, settings, settings.durationSeconds);
    const cpu = stopCpuWatch(watch, result.requestsPerSecond * result.durationSeconds);
    return {
      mode,
      url: server.url,
      token,
      // wrk does not verify certificates; the pre-flight request (node:https with the server CA) did.
      tlsConnectionsVerified: mode === 'https' ? tlsStats.verified - verifiedBefore : null,
      ...result,
      cpu,
    };
  } finally {
    await server.stop();
  }
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

async function measureRawAsync(settings, signer, when) {
  process.stderr.write(`[raw] async crypto.sign, ${settings.signInFlight} in flight, ${signer.signingInputBytes}-byte input, ${settings.durationSeconds} s (${when})...\n`);
  if (settings.warmupSeconds > 0) await asyncSignRate(signer.key, signer.data, Math.min(settings.warmupSeconds, 2), settings.signInFlight);
  const watch = startCpuWatch(null);
  const rate = await asyncSignRate(signer.key, signer.data, settings.durationSeconds, settings.signInFlight);
  return { when, ...rate, cpu: stopCpuWatch(watch, rate.signatures) };
}

function measureRawSync(settings, signer) {
  const seconds = Math.min(settings.durationSeconds, 5);
  process.stderr.write(`[raw] sync crypto.sign on one thread, ${seconds} s...\n`);
  return syncSignRate(signer.key, signer.data, seconds);
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------


/** Mean CPU time per raw async signature (all threads of this process), or null. */
function rawSignCpuMicros(raw) {
  const values = raw.async.runs.map((r) => r.cpu.benchProcessCpuMicrosPerUnit).filter((v) => Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

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
    const ratio = (run.requestsPerSecond / raw.async.perSecond) * 100;
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
  rows.push([`raw async sign (${raw.inFlight} in flight)`, fmt(raw.async.perSecond), '', '', '', '', '100.0 %', '']);
  rows.push(['raw sync sign (1 thread, reference)', fmt(raw.sync.perSecond), '', '', '', '', `${fmt((raw.sync.perSecond / raw.async.perSecond) * 100, 1)} %`, '']);
  out.push(table(rows));
  out.push('');
  out.push(`raw: RSA-2048 PKCS#1 v1.5 SHA-256 over ${raw.signingInputBytes} bytes (= a real token's signing input), node:crypto crypto.sign(…, cb) on the libuv pool;`);
  out.push(`     mean of ${raw.async.runs.map((r) => `${fmt(r.perSecond)}/s ${r.when}`).join(' and ')} (spread ${fmt(raw.async.spreadPercent, 1)} %).`);
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
  if (raw.async.runs.length > 1 && raw.async.spreadPercent > 15) {
    warnings.push(`the raw async rate moved by ${fmt(raw.async.spreadPercent, 0)} % between its two measurements: the machine's load changed during the run`);
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
    if (others !== null && others > 10) warnings.push(`other processes used about ${fmt(others)} % of the machine's CPU during the ${run.mode} run`);
    // Ceilings for the ratio from CPU costs alone (independent of how much CPU other processes
    // left): raw async rate = min(pool, cores) / sign CPU; the server is bounded by its one event
    // loop (1 / event-loop CPU), its pool (pool / pool CPU) and the cores (cores / all CPU per token).
    const signCpu = rawSignCpuMicros(raw);
    if (signCpu && s.eventLoopCpuMicrosPerToken && s.otherThreadsCpuMicrosPerToken) {
      const pool = machine.uvThreadpoolSize;
      const ceiling = (cores) => {
        const rawRate = Math.min(pool, cores) / signCpu;
        const limits = {
          'event loop': 1 / s.eventLoopCpuMicrosPerToken,
          'signing pool': pool / s.otherThreadsCpuMicrosPerToken,
          'total CPU': cores / (s.eventLoopCpuMicrosPerToken + s.otherThreadsCpuMicrosPerToken + (cpu.benchProcessCpuMicrosPerUnit ?? 0)),
        };
        const [by, rate] = Object.entries(limits).sort((x, y) => x[1] - y[1])[0];
        return { percent: Math.min(100, (rate / rawRate) * 100), limitedBy: by };
      };
      const here = ceiling(cpu.cores);
      const big = ceiling(pool + 2);
      run.cpuCeilings = { rawSignCpuMicros: signCpu, thisMachine: here, withPoolPlus2Cores: big };
      cpuLines.push(
        `       ratio ceiling from these CPU costs: ≈ ${fmt(here.percent)} % on these ${cpu.cores} cores (limited by ${here.limitedBy}); ` +
          `≈ ${fmt(big.percent)} % with ≥ ${pool + 2} cores (limited by ${big.limitedBy})`,
      );
    }
  }
  for (const r of raw.async.runs) {
    const others = busyOthers(r.cpu, r.cpu.benchProcessCpuPercent);
    cpuLines.push(`raw  : ${fmt(r.cpu.benchProcessCpuMicrosPerUnit)} µs CPU/signature (${r.when}); machine ${r.cpu.machineBusyPercent === undefined ? '?' : fmt(r.cpu.machineBusyPercent)} % busy`);
    if (others !== null && others > 10) warnings.push(`other processes used about ${fmt(others)} % of the machine's CPU during the raw measurement ${r.when}`);
  }
  if (cpuLines.length) {
    out.push('');
    out.push('where the CPU went (Linux /proc):');
    for (const line of cpuLines) out.push(`  ${line}`);
  }
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

  // The raw async rate is measured twice, right before the first load run (its server is up but
  // idle) and after the last one (no server), so a change in the machine's load during the run
  // shows up as a spread between the two; the ratio uses their mean.
  let signer = null;
  const rawAsync = [];
  const runs = [];
  for (const mode of settings.modes) {
    if (state.interrupted) return 130;
    runs.push(
      await measureServer(mode, settings, async (token) => {
        if (signer) return;
        signer = rawSigner(token.signingInputBytes);
        rawAsync.push(await measureRawAsync(settings, signer, 'before the load runs'));
      }),
    );
  }
  if (state.interrupted) return 130;
  rawAsync.push(await measureRawAsync(settings, signer, 'after the load runs'));
  const perSecond = rawAsync.reduce((sum, r) => sum + r.perSecond, 0) / rawAsync.length;
  const rates = rawAsync.map((r) => r.perSecond);
  const raw = {
    keyBits: 2048,
    algorithm: 'RS256 (RSASSA-PKCS1-v1_5, SHA-256)',
    signingInputBytes: signer.signingInputBytes,
    inFlight: settings.signInFlight,
    async: { perSecond, spreadPercent: ((Math.max(...rates) - Math.min(...rates)) / perSecond) * 100, runs: rawAsync },
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
