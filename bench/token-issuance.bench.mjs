#!/usr/bin/env node
// Token issuance benchmark (SPEC 7): HTTP throughput of POST /oauth2/token against the raw
// node:crypto RSA-2048 sign rate, on the same machine, in the same run. See bench/README.md.
//
// Run: npm run bench:token   (builds, then runs this file; the server must be built into dist/)

import { spawn } from 'node:child_process';
import { constants as cryptoConstants, createPrivateKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_ENTRY = join(REPO_ROOT, 'dist/apps/trust-server/src/main.js');
const TARGET_PERCENT = 70;
const REALM = 'contoso.com';
const RESOURCE = 'api://bench';
const ROLE = 'Bench.Read';
const TOKEN_BODY = `grant_type=client_credentials&resource=${encodeURIComponent(RESOURCE)}`;

// ---------------------------------------------------------------------------------------------
// Knobs (environment variables)
// ---------------------------------------------------------------------------------------------

function intFromEnv(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

class UsageError extends Error {}

function readSettings() {
  const modes = (process.env.BENCH_MODES ?? 'https,http')
    .split(',')
    .map((m) => m.trim().toLowerCase())
    .filter(Boolean);
  for (const mode of modes) if (mode !== 'https' && mode !== 'http') throw new UsageError(`BENCH_MODES: unknown mode "${mode}" (use https, http or both)`);
  if (modes.length === 0) throw new UsageError('BENCH_MODES is empty');
  const logLevel = (process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn').trim().toLowerCase();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new UsageError(`BENCH_SERVER_LOG_LEVEL: unknown level "${logLevel}"`);
  const uvRaw = process.env.UV_THREADPOOL_SIZE;
  return {
    durationSeconds: intFromEnv('BENCH_DURATION_SECONDS', 10, 1, 3600),
    warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 2, 0, 600),
    connections: intFromEnv('BENCH_CONNECTIONS', 32, 1, 10_000),
    signInFlight: intFromEnv('BENCH_SIGN_IN_FLIGHT', 64, 1, 100_000),
    modes: [...new Set(modes)],
    serverLogLevel: logLevel,
    serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    resultsDir: process.env.BENCH_RESULTS_DIR?.trim() || os.tmpdir(),
    // libuv reads UV_THREADPOOL_SIZE when the pool is first used; both this process (raw sign) and
    // the servers get the same value. Unset = libuv's default of 4.
    uvThreadpoolSizeEnv: uvRaw === undefined || uvRaw.trim() === '' ? undefined : uvRaw.trim(),
    uvThreadpoolSize: uvRaw === undefined || uvRaw.trim() === '' ? 4 : Math.max(1, Math.min(1024, Number.parseInt(uvRaw, 10) || 4)),
  };
}

// ---------------------------------------------------------------------------------------------
// Certificate verification stays on
// ---------------------------------------------------------------------------------------------

// autocannon 9 connects with `tls.connect(port, host, { ...tlsOptions, rejectUnauthorized: false })`
// (node_modules/autocannon/lib/httpClient.js), so passing `tlsOptions.ca` alone would still accept
// any certificate. This process never disables verification: every tls.connect made in it (by
// autocannon or anyone else) is forced back to rejectUnauthorized: true, and the verified
// handshakes are counted so the report shows that the benchmark connections were checked against
// the server's CA (CERTS_DIR/localhost-tls.crt) and its IP SAN 127.0.0.1.
const tlsStats = { verified: 0, refused: 0, lastError: null };
{
  const originalConnect = tls.connect;
  tls.connect = function connectWithVerification(...args) {
    const index = args.findIndex((arg) => arg !== null && typeof arg === 'object');
    if (index >= 0) args[index] = { ...args[index], rejectUnauthorized: true };
    else args.splice(typeof args.at(-1) === 'function' ? args.length - 1 : args.length, 0, { rejectUnauthorized: true });
    const socket = originalConnect.apply(this, args);
    socket.once('secureConnect', () => {
      if (socket.authorized) tlsStats.verified++;
      else socket.destroy(new Error(`certificate not verified: ${socket.authorizationError}`));
    });
    socket.once('error', (error) => {
      if (!socket.authorized) {
        tlsStats.refused++;
        tlsStats.lastError = error.code ?? error.message;
      }
    });
    return socket;
  };
}

// ---------------------------------------------------------------------------------------------
// Cleanup: servers and temporary directories go away on success, error and Ctrl-C
// ---------------------------------------------------------------------------------------------

const children = new Set();
const tempDirs = new Set();
let currentCannon = null;
let interrupted = false;

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((done) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function cleanUp() {
  await Promise.all([...children].map((child) => stopChild(child)));
  children.clear();
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  tempDirs.clear();
}

// Last resort (e.g. process.exit elsewhere): synchronous kill and removal.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the benchmark, the servers and removing the temporary directories...\n`);
    currentCannon?.stop?.();
    cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

// ---------------------------------------------------------------------------------------------
// Server processes
// ---------------------------------------------------------------------------------------------

/** A free loopback port (for log levels above info, where the "listening" line with the URL is not printed). */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

const VERBOSE_LEVELS = new Set(['info', 'debug', 'trace']);

/**
 * Starts `node dist/apps/trust-server/src/main.js` with a fresh DATA_DIR / CERTS_DIR. At LOG_LEVEL
 * info or more verbose it listens on PORT=0 and the URL comes from the "s2s-trust listening" line;
 * at quieter levels (the default, warn: Fastify logs two lines per request at info) a free port is
 * chosen up front and the server is polled until /health/live answers. The server output is kept
 * (last 64 KiB) for error messages, never printed.
 */
async function startServer(mode, settings) {
  const dataDir = await mkdtemp(join(os.tmpdir(), 's2s-bench-'));
  tempDirs.add(dataDir);
  const certsDir = join(dataDir, 'certs');
  const announcesUrl = VERBOSE_LEVELS.has(settings.serverLogLevel);
  const port = announcesUrl ? 0 : await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CERTS_DIR: certsDir,
    LOG_LEVEL: settings.serverLogLevel,
    TLS_MODE: mode === 'https' ? 'on' : 'off',
    AUTH_BACKOFF_ADDRESS_FAILURES: '1000000',
    ...(settings.uvThreadpoolSizeEnv !== undefined ? { UV_THREADPOOL_SIZE: settings.uvThreadpoolSizeEnv } : {}),
  };
  const child = spawn(process.execPath, [...settings.serverNodeArgs, SERVER_ENTRY], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));

  let output = '';
  let pending = ''; // the unterminated last stdout line, while looking for the URL
  let announcedUrl = null;
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 65_536) output = output.slice(-65_536);
  };
  child.stderr.on('data', keep);
  child.stdout.on('data', (chunk) => {
    keep(chunk);
    if (!announcesUrl || announcedUrl) return;
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      if (!line.includes('"s2s-trust listening"')) continue;
      try {
        announcedUrl = JSON.parse(line).url;
      } catch {
        /* not JSON: keep looking */
      }
    }
  });

  const fail = (why) => new Error(`${mode} server: ${why}\n--- server output (tail) ---\n${output}`);
  const deadline = Date.now() + 60_000;
  let url = announcesUrl ? null : `${mode}://127.0.0.1:${port}`;
  let ca = null;
  for (;;) {
    if (interrupted) throw new Error('interrupted');
    if (child.exitCode !== null || child.signalCode !== null) throw fail(`exited with ${child.exitCode ?? child.signalCode} before it was ready`);
    if (Date.now() > deadline) throw fail('not ready within 60 s');
    if (announcesUrl) url = announcedUrl;
    if (url) {
      try {
        if (mode === 'https') ca ??= await readFile(join(certsDir, 'localhost-tls.crt'));
        const live = await call(url, '/health/live', { ca });
        if (live.status === 200) break;
      } catch {
        /* not up yet */
      }
    }
    await sleep(100);
  }
  const adminKey = (await readFile(join(dataDir, 'bootstrap-admin.key'), 'utf8')).trim();
  return {
    mode,
    url,
    ca,
    pid: child.pid,
    adminKey,
    output: () => output,
    async stop() {
      await stopChild(child);
      children.delete(child);
      await rm(dataDir, { recursive: true, force: true });
      tempDirs.delete(dataDir);
    },
  };
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

/** One request on a fresh connection; TLS verified against `ca` (never disabled). */
function call(baseUrl, path, { method = 'GET', headers = {}, body, ca = null } = {}) {
  const target = new URL(path, baseUrl);
  const secure = target.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolveResponse, reject) => {
    const req = send(
      target,
      {
        method,
        headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
        ...(secure ? { agent: new Agent({ ca: ca ?? undefined, keepAlive: false }) } : { agent: false }),
        timeout: 30_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function admin(server, method, path, body) {
  const response = await call(server.url, `/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    ca: server.ca,
  });
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${server.mode} server: ${method} /admin/v1${path} answered ${response.status}: ${response.text}`);
  }
  return response.text ? JSON.parse(response.text) : null;
}

/** RFC 6749 2.3.1: Basic base64(form-urlencode(client_id) ":" form-urlencode(secret)). */
function basicCredentials(clientId, secret) {
  const formEncode = (value) => new URLSearchParams([['v', value]]).toString().slice(2);
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`, 'utf8').toString('base64')}`;
}

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

const tokenHeaders = (authorization) => ({ 'content-type': 'application/x-www-form-urlencoded', authorization });

/** One token request must work before anything is measured; returns facts about the token. */
async function preflight(server, authorization) {
  const response = await call(server.url, '/oauth2/token', { method: 'POST', headers: tokenHeaders(authorization), body: TOKEN_BODY, ca: server.ca });
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
// Where the CPU went (Linux /proc; left out elsewhere)
// ---------------------------------------------------------------------------------------------

/** Machine-wide CPU counters (jiffies) from /proc/stat, or null. */
function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal (guest is already in user)
    return { total, idle: fields[3] + (fields[4] ?? 0) };
  } catch {
    return null;
  }
}

/**
 * Per-thread scheduler counters of a process from /proc/<pid>/task/<tid>/schedstat: nanoseconds on
 * a CPU and nanoseconds runnable but waiting for one. The thread whose id is the pid is the main
 * (event loop) thread; the others are the libuv pool (signing) and V8's helper threads.
 */
function threadCpu(pid) {
  try {
    const threads = new Map();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      threads.set(Number(tid), { run, wait });
    }
    return threads;
  } catch {
    return null;
  }
}

function startCpuWatch(serverPid) {
  return { at: performance.now(), machine: machineCpu(), server: serverPid ? threadCpu(serverPid) : null, self: process.cpuUsage(), serverPid };
}

/** CPU figures over a window, per unit of work (`units` = tokens or signatures). */
function stopCpuWatch(watch, units) {
  const seconds = (performance.now() - watch.at) / 1000;
  const selfCpu = process.cpuUsage(watch.self);
  const result = {
    seconds,
    cores: os.cpus().length,
    benchProcessCpuPercent: ((selfCpu.user + selfCpu.system) / 1e6 / seconds) * 100,
    benchProcessCpuMicrosPerUnit: units ? (selfCpu.user + selfCpu.system) / units : null,
  };
  const machine = machineCpu();
  if (watch.machine && machine && machine.total > watch.machine.total) {
    result.machineBusyPercent = (1 - (machine.idle - watch.machine.idle) / (machine.total - watch.machine.total)) * 100;
  }
  const after = watch.serverPid ? threadCpu(watch.serverPid) : null;
  if (watch.server && after) {
    let mainRun = 0;
    let mainWait = 0;
    let otherRun = 0;
    let otherWait = 0;
    for (const [tid, now] of after) {
      const before = watch.server.get(tid) ?? { run: 0, wait: 0 };
      const run = now.run - before.run;
      const wait = now.wait - before.wait;
      if (tid === watch.serverPid) {
        mainRun += run;
        mainWait += wait;
      } else {
        otherRun += run;
        otherWait += wait;
      }
    }
    const pct = (ns) => (ns / 1e9 / seconds) * 100;
    result.server = {
      eventLoopThreadOnCpuPercent: pct(mainRun),
      eventLoopThreadWaitingForCpuPercent: pct(mainWait),
      otherThreadsOnCpuPercent: pct(otherRun),
      otherThreadsWaitingForCpuPercent: pct(otherWait),
      eventLoopCpuMicrosPerToken: units ? mainRun / 1e3 / units : null,
      otherThreadsCpuMicrosPerToken: units ? otherRun / 1e3 / units : null,
    };
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

function runCannon(server, authorization, settings, duration) {
  const instance = autocannon({
    url: `${server.url}/oauth2/token`,
    method: 'POST',
    headers: tokenHeaders(authorization),
    body: TOKEN_BODY,
    connections: settings.connections,
    pipelining: 1, // one request at a time per keep-alive connection
    duration,
    ...(server.ca ? { tlsOptions: { ca: server.ca } } : {}),
    // Every 2xx must actually carry a token (counted in `mismatches` otherwise).
    verifyBody: (body) => typeof body === 'string' && body.includes('"access_token"'),
  });
  currentCannon = instance;
  return Promise.resolve(instance).finally(() => {
    currentCannon = null;
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
      await runCannon(server, authorization, settings, settings.warmupSeconds);
    }
    process.stderr.write(`[${mode}] measuring ${settings.durationSeconds} s with ${settings.connections} keep-alive connections...\n`);
    const watch = startCpuWatch(server.pid);
    const result = await runCannon(server, authorization, settings, settings.durationSeconds);
    const ok = result['2xx'];
    const cpu = stopCpuWatch(watch, ok);
    const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
    return {
      mode,
      url: server.url,
      token,
      tlsConnectionsVerified: mode === 'https' ? tlsStats.verified - verifiedBefore : null,
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
      statusCodes,
      non2xx: result.non2xx,
      errors: result.errors, // connection errors, includes timeouts
      timeouts: result.timeouts,
      mismatches: result.mismatches,
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

function machineInfo(settings) {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    openssl: process.versions.openssl,
    uvThreadpoolSize: settings.uvThreadpoolSize,
    uvThreadpoolSizeSource: settings.uvThreadpoolSizeEnv === undefined ? 'default (UV_THREADPOOL_SIZE unset)' : 'UV_THREADPOOL_SIZE',
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');

function table(rows) {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => String(row[col]).length)));
  const line = (row) => row.map((cell, col) => (col === 0 ? String(cell).padEnd(widths[col]) : String(cell).padStart(widths[col]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

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
  out.push(`load: ${settings.connections} keep-alive connections, pipelining 1, ${settings.durationSeconds} s after ${settings.warmupSeconds} s warm-up, loopback 127.0.0.1; server LOG_LEVEL=${settings.serverLogLevel}`);
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
    if (run.tlsConnectionsVerified !== null) parts.push(`${run.tlsConnectionsVerified} TLS connections verified against the server CA`);
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
  const busyOthers = (cpu, ownCorePercent) => (cpu.machineBusyPercent === undefined ? null : cpu.machineBusyPercent - ownCorePercent / cpu.cores);
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
    if (interrupted) return 130;
    runs.push(
      await measureServer(mode, settings, async (token) => {
        if (signer) return;
        signer = rawSigner(token.signingInputBytes);
        rawAsync.push(await measureRawAsync(settings, signer, 'before the load runs'));
      }),
    );
  }
  if (interrupted) return 130;
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

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!interrupted) process.stderr.write(`bench: ${error instanceof UsageError ? error.message : (error?.stack ?? error)}\n`);
  exitCode = interrupted ? 130 : error instanceof UsageError ? 2 : 1;
} finally {
  if (!interrupted) await cleanUp();
}
if (!interrupted) process.exit(exitCode);
