#!/usr/bin/env node
// Token validation benchmark (SPEC 7, issue 5): the real TokenValidator on S2S actor tokens, in
// process and behind POST /oauth2/introspect, against the raw node:crypto RS256 verify rate, on the
// same machine, in the same run. See bench/README.md.
//
// Run: npm run bench:validate   (builds, then runs this file; the server must be built into dist/)

import './lib/verified-tls.mjs';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { busyOthers, machineCpu, startCpuWatch, stopCpuWatch, threadCpu } from './lib/cpu.mjs';
import { commonSettings, intFromEnv, listFromEnv, rerunWithServerThreadPool, UsageError } from './lib/env.mjs';
import { cleanupHooks, makeTempDir, removeTempDir, runMain, sleep, state } from './lib/lifecycle.mjs';
import { runCannon, summarizeCannon } from './lib/load.mjs';
import { fmt, machineInfo, table } from './lib/report.mjs';
import { admin, basicCredentials, call, formHeaders, memoryLine, REPO_ROOT, SERVER_ENTRY, serverMemory, startServer } from './lib/server.mjs';
import { tlsStats } from './lib/verified-tls.mjs';

const TARGET_PERCENT = 80;
const REALM = 'contoso.com';
const PUBLIC_HOST = 'mail.contoso.com';
// Well-known principals, as in an Exchange / Skype for Business on-premises deployment: this
// service plays Exchange (its service name), the partner plays Skype for Business Server.
const SERVICE_NAME = '00000002-0000-0ff1-ce00-000000000000';
const PARTNER_APP_ID = '00000004-0000-0ff1-ce00-000000000000';
const PARTNER_IDENTITY = 'bench-partner';
const PARTNER_HOST_AUTHORITY = 'conf.contoso.com';
const ACTOR_LIFETIME_SECONDS = 43_200; // the default actor token lifetime (12 h)
const BENCH_ACTOR = { keyId: null, name: 'bench', requestId: null };
const dist = (path) => pathToFileURL(join(REPO_ROOT, 'dist', path)).href;

// ---------------------------------------------------------------------------------------------
// Knobs (environment variables; the common ones in lib/env.mjs)
// ---------------------------------------------------------------------------------------------

function readSettings() {
  return {
    ...commonSettings(),
    tokenPool: intFromEnv('BENCH_TOKEN_POOL', 2000, 1, 1_000_000),
    inFlight: intFromEnv('BENCH_IN_FLIGHT', 64, 1, 10_000),
    sliceMs: intFromEnv('BENCH_SLICE_MS', 250, 10, 60_000),
    modes: listFromEnv('BENCH_MODES', 'inprocess,https,http', ['inprocess', 'https', 'http']),
  };
}

// ---------------------------------------------------------------------------------------------
// The partner and its actor tokens
// ---------------------------------------------------------------------------------------------

/** The partner's RSA-2048 key (node:crypto) and a self-signed certificate for it (openssl), pinned at registration. */
async function partnerMaterial() {
  const dir = await makeTempDir('s2s-bench-partner-');
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const keyFile = join(dir, 'partner.key');
    const certFile = join(dir, 'partner.crt');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    execFileSync('openssl', ['req', '-x509', '-new', '-key', keyFile, '-sha256', '-days', '7', '-subj', `/CN=${PARTNER_HOST_AUTHORITY}`, '-out', certFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const certificatePem = await readFile(certFile, 'utf8');
    const certificate = new X509Certificate(certificatePem);
    return {
      privateKey,
      certificatePem,
      // As the server holds partner keys: the certificate's public key (certificatePublicKey in libs/crypto).
      publicKey: certificate.publicKey,
      x5t: createHash('sha1').update(certificate.raw).digest('base64url'),
    };
  } finally {
    await removeTempDir(dir);
  }
}

const b64json = (value) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * `count` app-only S2S actor tokens (MS-SPS2SAUTH, as a Skype for Business partner sends them to
 * Exchange): header {typ, alg RS256, x5t}; aud `<service>/<host>@<realm>`, iss
 * `<partner>@<realm>`, nameid `<calling application>@<realm>`, nbf, exp = nbf + 12 h. Each one is
 * different (a fresh nameid, nbf spread over the last 5 minutes), so nothing can be served from a
 * cache of earlier results. Signed up front with the async crypto.sign (both cores), so signing is
 * never part of a measurement.
 */
async function actorTokens(partner, count) {
  const header = b64json({ typ: 'JWT', alg: 'RS256', x5t: partner.x5t });
  const now = Math.floor(Date.now() / 1000);
  const inputs = Array.from({ length: count }, (_, i) => {
    const nbf = now - (i % 300);
    const payload = {
      aud: `${SERVICE_NAME}/${PUBLIC_HOST}@${REALM}`,
      iss: `${PARTNER_APP_ID}@${REALM}`,
      nbf,
      exp: nbf + ACTOR_LIFETIME_SECONDS,
      nameid: `${randomUUID()}@${REALM}`,
    };
    return { signingInput: `${header}.${b64json(payload)}`, nameid: payload.nameid };
  });
  const signatures = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      signatures[i] = await new Promise((done, fail) => cryptoSign('sha256', Buffer.from(inputs[i].signingInput, 'ascii'), partner.privateKey, (e, s) => (e ? fail(e) : done(s))));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return inputs.map(({ signingInput, nameid }, i) => ({
    token: `${signingInput}.${signatures[i].toString('base64url')}`,
    appId: nameid.slice(0, nameid.lastIndexOf('@')),
    // For the raw measurement: the bytes crypto.verify checks, decoded once.
    data: Buffer.from(signingInput, 'ascii'),
    signature: signatures[i],
  }));
}

// ---------------------------------------------------------------------------------------------
// 1. Raw limit: crypto.verify on the libuv thread pool, BENCH_IN_FLIGHT outstanding
// ---------------------------------------------------------------------------------------------

/** crypto.verify('sha256', signingInput, publicKey, signature) round-robin over the pool (from `cursor`), every result checked. */
function verifyRate(publicKey, pool, seconds, inFlight, cursor = { i: 0 }) {
  const n = pool.length;
  let failed = 0;
  return keepInFlight(seconds, inFlight, (done) => {
    const entry = pool[cursor.i++ % n];
    cryptoVerify('sha256', entry.data, publicKey, entry.signature, (error, valid) => {
      if (error || !valid) failed++;
      done();
    });
  }).then(({ count, elapsed }) => {
    if (failed) throw new Error(`raw verify: ${failed} of ${count} signatures did not verify`);
    return { operations: count, valid: count, seconds: elapsed, perSecond: count / elapsed };
  });
}

/**
 * Runs `start(done)` so that `inFlight` operations are outstanding at all times, for `seconds`;
 * resolves with how many completed and the time they took (until the last one completed).
 */
function keepInFlight(seconds, inFlight, start) {
  return new Promise((resolve) => {
    const started = performance.now();
    const end = started + seconds * 1000;
    let count = 0;
    let outstanding = 0;
    let stopping = false;
    const done = () => {
      outstanding--;
      count++;
      if (!stopping && (state.interrupted || performance.now() >= end)) stopping = true;
      if (!stopping) launch();
      else if (outstanding === 0) resolve({ count, elapsed: (performance.now() - started) / 1000 });
    };
    const launch = () => {
      outstanding++;
      start(done);
    };
    for (let k = 0; k < inFlight; k++) launch();
  });
}

/** This process's main-thread and other threads' CPU (ns on a CPU, ns runnable but waiting), or null off Linux. */
function ownThreads() {
  const threads = threadCpu(process.pid);
  if (!threads) return null;
  const sum = { mainRun: 0, mainWait: 0, otherRun: 0 };
  for (const [tid, { run, wait }] of threads) {
    if (tid === process.pid) {
      sum.mainRun += run;
      sum.mainWait += wait;
    } else sum.otherRun += run;
  }
  return sum;
}

/** Adds up slices of one kind: operations, time, own CPU. */
class Tally {
  operations = 0;
  valid = 0;
  seconds = 0;
  mainRunNs = 0;
  mainWaitNs = 0;
  otherRunNs = 0;
  cpuKnown = true;
  invalidSamples = [];

  add(result, before, after) {
    this.operations += result.operations;
    this.valid += result.valid;
    this.seconds += result.seconds;
    if (result.invalidSamples) for (const sample of result.invalidSamples) if (this.invalidSamples.length < 5) this.invalidSamples.push(sample);
    if (!before || !after) this.cpuKnown = false;
    else {
      this.mainRunNs += after.mainRun - before.mainRun;
      this.mainWaitNs += after.mainWait - before.mainWait;
      this.otherRunNs += after.otherRun - before.otherRun;
    }
  }

  summary() {
    const pct = (ns) => (ns / 1e9 / this.seconds) * 100;
    return {
      operations: this.operations,
      valid: this.valid,
      invalid: this.operations - this.valid,
      invalidSamples: this.invalidSamples,
      seconds: this.seconds,
      perSecond: this.valid / this.seconds,
      cpu: this.cpuKnown
        ? {
            mainThreadCpuMicrosPerOp: this.mainRunNs / 1e3 / this.operations,
            mainThreadOnCpuPercent: pct(this.mainRunNs),
            mainThreadWaitingForCpuPercent: pct(this.mainWaitNs),
            otherThreadsCpuMicrosPerOp: this.otherRunNs / 1e3 / this.operations,
            otherThreadsOnCpuPercent: pct(this.otherRunNs),
          }
        : null,
    };
  }
}

/** The raw rate alone (when the in-process measurement is not selected): warm-up, then `durationSeconds`. */
async function measureRawAlone(settings, partner, pool, when) {
  process.stderr.write(`[raw] crypto.verify on the thread pool, ${settings.inFlight} in flight, ${pool[0].data.length}-byte signing input, ${settings.durationSeconds} s (${when})...\n`);
  if (settings.warmupSeconds > 0) await verifyRate(partner.publicKey, pool, Math.min(settings.warmupSeconds, 2), settings.inFlight);
  const tally = new Tally();
  const machineBefore = machineCpu();
  const before = ownThreads();
  tally.add(await verifyRate(partner.publicKey, pool, settings.durationSeconds, settings.inFlight), before, ownThreads());
  return { when, ...tally.summary(), machineBusyPercent: machineBusy(machineBefore) };
}

function machineBusy(before) {
  const after = machineCpu();
  return before && after && after.total > before.total ? (1 - (after.idle - before.idle) / (after.total - before.total)) * 100 : undefined;
}

// ---------------------------------------------------------------------------------------------
// 2. In process: the real TokenValidator in a Nest application context
// ---------------------------------------------------------------------------------------------

/** AppModule from dist/ with PGlite in a temporary directory; realm, public host, service name and the partner set through the services. */
async function startInProcess(partner) {
  await import('reflect-metadata');
  const [{ NestFactory }, { AppModule }, { loadAppConfig, MasterKey }, { OAuthConfigurationService }, { PartnerApplicationService, PartnerDirectory }, { TokenValidator }] = await Promise.all([
    import('@nestjs/core'),
    import(dist('apps/trust-server/src/app.module.js')),
    import(dist('libs/config/src/index.js')),
    import(dist('libs/oauth-configuration/src/index.js')),
    import(dist('libs/partners/src/index.js')),
    import(dist('libs/validation/src/index.js')),
  ]);
  const dataDir = await makeTempDir('s2s-bench-inprocess-');
  const config = loadAppConfig({ DATA_DIR: dataDir, CERTS_DIR: join(dataDir, 'certs'), TLS_MODE: 'off', PUBLIC_URL: `https://${PUBLIC_HOST}`, LOG_LEVEL: 'error', TOKEN_CACHE_MAX_ENTRIES: '0' }, process.cwd());
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { masterKey: new MasterKey(randomBytes(32)) }), { logger: ['error', 'warn'], abortOnError: false });
  const close = async () => {
    await app.close();
    await removeTempDir(dataDir);
  };
  cleanupHooks.add(close);
  await app.get(OAuthConfigurationService).update({ realm: REALM, publicHost: PUBLIC_HOST, serviceName: SERVICE_NAME }, { force: false }, BENCH_ACTOR);
  await app.get(PartnerApplicationService).create(
    { identity: PARTNER_IDENTITY, applicationIdentifier: PARTNER_APP_ID, realm: REALM, certificates: [partner.certificatePem], hostAuthority: PARTNER_HOST_AUTHORITY, trustLevel: 'Application' },
    BENCH_ACTOR,
  );
  // The directory reloads after the commit (change feed); wait until it knows the partner.
  const directory = app.get(PartnerDirectory);
  const deadline = Date.now() + 10_000;
  while (!directory.byIssuer(`${PARTNER_APP_ID}@${REALM}`)) {
    if (Date.now() > deadline) throw new Error('in-process: the partner directory did not load the partner within 10 s');
    await sleep(20);
  }
  return {
    validator: app.get(TokenValidator),
    async close() {
      cleanupHooks.delete(close);
      await close();
    },
  };
}

function checkOutcome(outcome, entry) {
  if (!outcome.valid) return `${outcome.reason}: ${outcome.message}`;
  const { trust, appId } = outcome.token;
  if (trust.kind !== 'partner' || trust.id !== PARTNER_IDENTITY || appId !== entry.appId) return `unexpected result ${JSON.stringify({ trust, appId })}`;
  return null;
}

/**
 * `validator.validate(token)` with `inFlight` calls outstanding on this event loop, round-robin over
 * the pool (from `cursor`), as a server validates the tokens of concurrent requests: the signature
 * checks go to the thread pool while the event loop runs the rest.
 */
function validateRate(validator, pool, seconds, inFlight, cursor = { i: 0 }) {
  const n = pool.length;
  let valid = 0;
  const invalidSamples = [];
  return keepInFlight(seconds, inFlight, (done) => {
    validator.validate(pool[cursor.i++ % n].token).then((outcome) => {
      if (outcome.valid) valid++;
      else if (invalidSamples.length < 5) invalidSamples.push(`${outcome.reason}: ${outcome.message}`);
      done();
    });
  }).then(({ count, elapsed }) => ({ operations: count, valid, invalidSamples, seconds: elapsed, perSecond: valid / elapsed }));
}

const quantile = (sorted, q) => {
  const at = (sorted.length - 1) * q;
  return sorted[Math.floor(at)] + (sorted[Math.ceil(at)] - sorted[Math.floor(at)]) * (at - Math.floor(at));
};

/**
 * Raw verify and in-process validation, interleaved in slices of BENCH_SLICE_MS (order alternating
 * every round: raw, validate, validate, raw, ...) until each has run `durationSeconds`, so that
 * both see the same background load even when other processes come and go; warm-up the same way.
 * Every token of the pool is validated once, its result checked in full, before anything is timed.
 */
async function measureInterleaved(settings, inProcess, partner, pool) {
  for (const entry of pool) {
    const problem = checkOutcome(await inProcess.validator.validate(entry.token), entry);
    if (problem) throw new Error(`in-process: a pool token was not accepted: ${problem}`);
  }
  const slice = settings.sliceMs / 1000;
  const rounds = Math.max(1, Math.round(settings.durationSeconds / slice));
  process.stderr.write(
    `[in-process] all ${pool.length} pool tokens valid; warm-up ${settings.warmupSeconds} s, then ${rounds} rounds of ${settings.sliceMs} ms raw crypto.verify + ${settings.sliceMs} ms validate(), ${settings.inFlight} in flight each (${pool[0].data.length}-byte signing input)...\n`,
  );
  const cursors = { raw: { i: 0 }, validate: { i: 0 } };
  const runSlice = (kind) =>
    kind === 'raw' ? verifyRate(partner.publicKey, pool, slice, settings.inFlight, cursors.raw) : validateRate(inProcess.validator, pool, slice, settings.inFlight, cursors.validate);
  for (let r = 0; r < Math.round(settings.warmupSeconds / (2 * slice)) && !state.interrupted; r++) {
    await runSlice('raw');
    await runSlice('validate');
  }
  const tallies = { raw: new Tally(), validate: new Tally() };
  const roundRatios = [];
  const machineBefore = machineCpu();
  for (let r = 0; r < rounds && !state.interrupted; r++) {
    const rates = {};
    for (const kind of r % 2 === 0 ? ['raw', 'validate'] : ['validate', 'raw']) {
      const before = ownThreads();
      const result = await runSlice(kind);
      tallies[kind].add(result, before, ownThreads());
      rates[kind] = result.perSecond;
    }
    roundRatios.push((rates.validate / rates.raw) * 100);
  }
  const machineBusyPercent = machineBusy(machineBefore);
  const sorted = [...roundRatios].sort((a, b) => a - b);
  return {
    raw: { when: 'interleaved with the in-process run', ...tallies.raw.summary(), machineBusyPercent },
    inProcess: {
      ...tallies.validate.summary(),
      machineBusyPercent,
      rounds: roundRatios.length,
      sliceMs: settings.sliceMs,
      roundRatioPercent: { median: quantile(sorted, 0.5), p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75), min: sorted[0], max: sorted.at(-1) },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 3. HTTP: POST /oauth2/introspect on a real server process
// ---------------------------------------------------------------------------------------------

/** The same configuration and partner through the admin API, and a client to introspect with. */
async function setUp(server, partner) {
  await admin(server, 'PUT', '/oauth-configuration', { realm: REALM, publicHost: PUBLIC_HOST, serviceName: SERVICE_NAME });
  await admin(server, 'POST', '/partner-applications', {
    identity: PARTNER_IDENTITY,
    applicationIdentifier: PARTNER_APP_ID,
    realm: REALM,
    certificates: [partner.certificatePem],
    hostAuthority: PARTNER_HOST_AUTHORITY,
    trustLevel: 'Application',
  });
  const client = await admin(server, 'POST', '/clients', { displayName: 'bench resource server' });
  if (!client?.clientId || !client?.clientSecret) throw new Error(`POST /clients returned no clientId/clientSecret: ${JSON.stringify(client)}`);
  return basicCredentials(client.clientId, client.clientSecret);
}

async function introspect(server, authorization, token) {
  const response = await call(server.url, '/oauth2/introspect', { method: 'POST', headers: formHeaders(authorization), body: `token=${token}`, ca: server.ca });
  let json = null;
  try {
    json = JSON.parse(response.text);
  } catch {
    /* reported by the caller */
  }
  return { ...response, json };
}

/** Sample check: `samples` tokens spread over the pool must come back active, from the partner, with their own app id. */
async function preflight(server, authorization, pool, samples = 16) {
  const checked = [];
  for (let s = 0; s < Math.min(samples, pool.length); s++) {
    const entry = pool[Math.floor((s * pool.length) / Math.min(samples, pool.length))];
    let response = await introspect(server, authorization, entry.token);
    // The partner directory reloads right after the commit; give it a moment on the first token.
    for (let retry = 0; s === 0 && response.json?.active === false && retry < 50; retry++) {
      await sleep(100);
      response = await introspect(server, authorization, entry.token);
    }
    const { status, json } = response;
    if (status !== 200 || json?.active !== true || json.trust?.kind !== 'partner' || json.trust?.id !== PARTNER_IDENTITY || json.app_id !== entry.appId) {
      throw new Error(`${server.mode} server: introspection of a pool token answered ${status} ${response.text} (expected {"active":true, trust partner ${PARTNER_IDENTITY}, app_id ${entry.appId}})`);
    }
    checked.push(json);
  }
  return { sampled: checked.length, example: checked[0] };
}

function introspectionCannon(server, authorization, bodies, settings, duration) {
  let next = 0;
  return runCannon({
    url: server.url,
    connections: settings.connections,
    duration,
    ca: server.ca,
    requests: [
      {
        method: 'POST',
        path: '/oauth2/introspect',
        headers: formHeaders(authorization),
        // One shared counter: the connections take the pool's tokens round-robin between them.
        setupRequest: (request) => {
          request.body = bodies[next++ % bodies.length];
          return request;
        },
      },
    ],
    // Every 2xx must say active (an inactive token is {"active":false}); counted in `mismatches` otherwise.
    verifyBody: (body) => typeof body === 'string' && body.includes('"active":true'),
  });
}

async function measureServer(mode, settings, partner, pool) {
  process.stderr.write(`[${mode}] starting the server...\n`);
  const server = await startServer(mode, settings);
  const memoryAtStart = serverMemory(server);
  try {
    const authorization = await setUp(server, partner);
    const check = await preflight(server, authorization, pool);
    process.stderr.write(`[${mode}] ${server.url}: ${check.sampled} sampled pool tokens introspected as active partner tokens\n`);
    const bodies = pool.map((entry) => Buffer.from(`token=${entry.token}`));
    const verifiedBefore = tlsStats.verified;
    if (settings.warmupSeconds > 0) {
      process.stderr.write(`[${mode}] warm-up ${settings.warmupSeconds} s...\n`);
      await introspectionCannon(server, authorization, bodies, settings, settings.warmupSeconds);
    }
    process.stderr.write(`[${mode}] measuring ${settings.durationSeconds} s with ${settings.connections} keep-alive connections...\n`);
    const watch = startCpuWatch(server.pid);
    const result = await introspectionCannon(server, authorization, bodies, settings, settings.durationSeconds);
    const cpu = stopCpuWatch(watch, result['2xx']);
    // And once more after the load: the server still answers correctly.
    await preflight(server, authorization, pool, 4);
    return {
      mode,
      url: server.url,
      preflight: check,
      tlsConnectionsVerified: mode === 'https' ? tlsStats.verified - verifiedBefore : null,
      ...summarizeCannon(result),
      cpu,
      memory: { atStart: memoryAtStart, afterLoad: serverMemory(server) },
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const micros = (perSecond) => 1e6 / perSecond;
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

function report(machine, settings, raw, inProcess, runs) {
  const out = [];
  out.push('');
  out.push('Token validation benchmark (SPEC 7): S2S actor tokens (RS256, partner with a pinned certificate) through TokenValidator');
  out.push(`machine: ${machine.cpuModel}, ${machine.cores} cores (os.cpus()), ${machine.totalMemoryGiB} GiB, ${machine.platform}`);
  out.push(`node ${machine.node}, OpenSSL ${machine.openssl}, UV_THREADPOOL_SIZE ${machine.uvThreadpoolSize} (${machine.uvThreadpoolSizeSource}), load average at start ${machine.loadAverageAtStart.join(' ')}`);
  out.push(`${settings.durationSeconds} s per measurement after ${settings.warmupSeconds} s warm-up; ${fmt(settings.tokenPool)} distinct pre-signed actor tokens (${raw.tokenBytes} chars, signing input ${raw.signingInputBytes} bytes), reused round-robin`);
  if (runs.length) out.push(`HTTP: ${settings.connections} keep-alive connections, pipelining 1, loopback 127.0.0.1, Basic client authentication, server LOG_LEVEL=${settings.serverLogLevel}`);
  out.push('');
  const header = ['', 'per s', 'µs each', 'p50 ms', 'p99 ms', 'invalid/non-2xx', 'errors', 'vs raw verify', `target ≥ ${TARGET_PERCENT} %`];
  const rows = [header];
  rows.push(['raw crypto.verify (async, thread pool)', fmt(raw.perSecond), fmt(micros(raw.perSecond), 1), '', '', '0', '', '100.0 %', '']);
  if (inProcess) {
    inProcess.ratioPercent = (inProcess.perSecond / raw.perSecond) * 100;
    inProcess.verdict = inProcess.invalid > 0 ? 'INVALID' : inProcess.ratioPercent >= TARGET_PERCENT ? 'PASS' : 'BELOW';
    rows.push(['in-process TokenValidator.validate', fmt(inProcess.perSecond), fmt(micros(inProcess.perSecond), 1), '', '', fmt(inProcess.invalid), '', `${fmt(inProcess.ratioPercent, 1)} %`, inProcess.verdict]);
  }
  for (const run of runs) {
    run.ratioPercent = (run.requestsPerSecond / raw.perSecond) * 100;
    run.verdict = run.non2xx > 0 || run.errors > 0 || run.mismatches > 0 ? 'INVALID' : '(no target)';
    rows.push([
      run.mode === 'https' ? 'HTTPS POST /oauth2/introspect' : 'plain HTTP POST /oauth2/introspect',
      fmt(run.requestsPerSecond),
      '',
      fmt(run.latencyMs.p50, 1),
      fmt(run.latencyMs.p99, 1),
      fmt(run.non2xx + run.mismatches),
      fmt(run.errors),
      `${fmt(run.ratioPercent, 1)} %`,
      run.verdict,
    ]);
  }
  out.push(table(rows));
  out.push('');
  out.push(`raw: RSA-2048 RSASSA-PKCS1-v1_5 SHA-256, node:crypto crypto.verify(sha256, signing input Buffer, certificate public key, signature, callback) on the libuv thread pool (UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? 'default'}), ${settings.inFlight} in flight, as the server verifies;`);
  if (inProcess) {
    const q = inProcess.roundRatioPercent;
    out.push(`     interleaved with the in-process run: ${inProcess.rounds} rounds of ${inProcess.sliceMs} ms each, ${fmt(raw.seconds, 1)} s raw and ${fmt(inProcess.seconds, 1)} s in-process in total.`);
    out.push(
      `in-process: ${fmt(inProcess.operations)} validations, ${fmt(inProcess.valid)} valid; ${fmt(micros(inProcess.perSecond) - micros(raw.perSecond), 1)} µs per validation on top of the signature check; ` +
        `per-round ratio median ${fmt(q.median, 1)} % (quartiles ${fmt(q.p25, 1)}–${fmt(q.p75, 1)} %, range ${fmt(q.min, 1)}–${fmt(q.max, 1)} %)`,
    );
    if (inProcess.invalid) out.push(`  !! ${fmt(inProcess.invalid)} validations were not valid, e.g. ${inProcess.invalidSamples.join(' | ')}`);
  } else {
    out.push(`     mean of ${raw.runs.map((r) => `${fmt(r.perSecond)}/s ${r.when}`).join(' and ')} (spread ${fmt(raw.spreadPercent, 1)} %).`);
  }
  for (const run of runs) {
    const parts = [`${run.mode}: ${fmt(run.totalResponses)} responses in ${fmt(run.durationSeconds, 1)} s, status ${JSON.stringify(run.statusCodes)}, every 2xx body checked for "active":true`];
    if (run.tlsConnectionsVerified !== null) parts.push(`${run.tlsConnectionsVerified} TLS connections verified against the server CA`);
    if (run.timeouts) parts.push(`${run.timeouts} timeouts`);
    if (run.mismatches) parts.push(`${run.mismatches} 2xx responses not active`);
    out.push(parts.join('; '));
    if (run.verdict === 'INVALID') out.push(`  !! ${run.mode}: ${run.non2xx} non-2xx responses, ${run.errors} errors, ${run.mismatches} inactive answers: not a clean introspection rate`);
  }

  // CPU costs per operation: they depend much less than the rates on what else the machine ran.
  const warnings = [];
  if (raw.runs.length > 1 && raw.spreadPercent > 15) warnings.push(`the raw verify rate moved by ${fmt(raw.spreadPercent, 0)} % between its two measurements: the machine's load changed during the run`);
  const cpuLines = [];
  const othersShare = (busy, ownCorePercent) => (busy === undefined ? null : busy - ownCorePercent / machine.cores);
  const rawCpu = raw.runs.map((r) => r.cpu?.mainThreadCpuMicrosPerOp).filter(Number.isFinite);
  const rawMicros = rawCpu.length ? mean(rawCpu) : null;
  for (const r of raw.runs) {
    if (!r.cpu) continue;
    cpuLines.push(
      `raw       : ${fmt(r.cpu.mainThreadCpuMicrosPerOp, 1)} µs main-thread CPU/verify (on a CPU ${fmt(r.cpu.mainThreadOnCpuPercent)} % of the time, runnable but waiting for one ${fmt(r.cpu.mainThreadWaitingForCpuPercent)} %), ${r.when}`,
    );
  }
  if (inProcess?.cpu) {
    const c = inProcess.cpu;
    inProcess.cpuRatioPercent = rawMicros ? (rawMicros / c.mainThreadCpuMicrosPerOp) * 100 : null;
    cpuLines.push(
      `in-process: ${fmt(c.mainThreadCpuMicrosPerOp, 1)} µs main-thread CPU/validation (on a CPU ${fmt(c.mainThreadOnCpuPercent)} %, waiting ${fmt(c.mainThreadWaitingForCpuPercent)} %), ` +
        `other threads (V8 GC, compiler) ${fmt(c.otherThreadsCpuMicrosPerOp, 1)} µs`,
    );
    if (inProcess.cpuRatioPercent !== null) {
      cpuLines.push(`            raw ÷ in-process main-thread CPU per operation ≈ ${fmt(inProcess.cpuRatioPercent, 1)} % (from CPU time rather than wall time: less sensitive to other processes)`);
    }
    const own = (c.mainThreadOnCpuPercent + c.otherThreadsOnCpuPercent) * 0.5 + ((raw.runs[0].cpu?.mainThreadOnCpuPercent ?? 0) + (raw.runs[0].cpu?.otherThreadsOnCpuPercent ?? 0)) * 0.5;
    const others = othersShare(inProcess.machineBusyPercent, own);
    if (inProcess.machineBusyPercent !== undefined) cpuLines.push(`            machine ${fmt(inProcess.machineBusyPercent)} % busy during the interleaved run`);
    if (others !== null && others > 10) warnings.push(`other processes used about ${fmt(others)} % of the machine's CPU during the raw/in-process measurement`);
  } else {
    for (const r of raw.runs) {
      const others = r.cpu ? othersShare(r.machineBusyPercent, r.cpu.mainThreadOnCpuPercent + r.cpu.otherThreadsOnCpuPercent) : null;
      if (others !== null && others > 10) warnings.push(`other processes used about ${fmt(others)} % of the machine's CPU during the raw measurement ${r.when}`);
    }
  }
  for (const run of runs) {
    const { cpu } = run;
    if (!cpu.server) continue;
    const s = cpu.server;
    run.cpuRatioPercent = rawMicros ? (rawMicros / s.eventLoopCpuMicrosPerToken) * 100 : null;
    cpuLines.push(
      `${run.mode.padEnd(10)}: server event loop ${fmt(s.eventLoopCpuMicrosPerToken)} µs CPU/introspection (on a CPU ${fmt(s.eventLoopThreadOnCpuPercent)} %, waiting ${fmt(s.eventLoopThreadWaitingForCpuPercent)} %); ` +
        `other server threads ${fmt(s.otherThreadsCpuMicrosPerToken)} µs; load generator ${fmt(cpu.benchProcessCpuMicrosPerUnit)} µs/request; machine ${fmt(cpu.machineBusyPercent)} % busy`,
    );
    if (run.cpuRatioPercent !== null) cpuLines.push(`            raw verify ÷ server event-loop CPU per request ≈ ${fmt(run.cpuRatioPercent, 1)} % (the ceiling of the ratio for one event loop)`);
    const others = busyOthers(cpu, s.eventLoopThreadOnCpuPercent + s.otherThreadsOnCpuPercent + cpu.benchProcessCpuPercent);
    if (others !== null && others > 10) warnings.push(`other processes used about ${fmt(others)} % of the machine's CPU during the ${run.mode} run`);
  }
  if (cpuLines.length) {
    out.push('');
    out.push('where the CPU went (Linux /proc):');
    for (const line of cpuLines) out.push(`  ${line}`);
  }
  if (runs.length) {
    out.push('');
    out.push('memory (Linux /proc):');
    for (const run of runs) out.push(`  ${memoryLine(run.mode, run.memory.atStart, run.memory.afterLoad)}`);
  }
  if (warnings.length) {
    out.push('');
    for (const warning of warnings) out.push(`!! ${warning}`);
    out.push('!! the machine was not quiet: absolute rates are unreliable and the ratios noisier; rerun on an otherwise idle machine');
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
  const needed = [SERVER_ENTRY, join(REPO_ROOT, 'dist/apps/trust-server/src/app.module.js'), join(REPO_ROOT, 'dist/libs/validation/src/index.js')];
  for (const file of needed) if (!existsSync(file)) throw new UsageError(`${file} does not exist: build first (npm run build), or use npm run bench:validate`);
  const machine = machineInfo(settings);
  const started = new Date();

  process.stderr.write(`[setup] partner key and certificate, ${settings.tokenPool} actor tokens...\n`);
  const partner = await partnerMaterial();
  const pool = await actorTokens(partner, settings.tokenPool);

  // With the in-process measurement, the raw rate is measured interleaved with it and is the
  // reference for the HTTP runs too; without it, right before and after the HTTP runs (mean).
  let inProcess = null;
  const rawRuns = [];
  if (settings.modes.includes('inprocess')) {
    process.stderr.write('[in-process] Nest application context from dist/ (PGlite)...\n');
    const context = await startInProcess(partner);
    const measured = await measureInterleaved(settings, context, partner, pool);
    await context.close();
    if (state.interrupted) return 130;
    rawRuns.push(measured.raw);
    inProcess = measured.inProcess;
  } else {
    rawRuns.push(await measureRawAlone(settings, partner, pool, 'before the load runs'));
  }
  const runs = [];
  for (const mode of settings.modes.filter((m) => m !== 'inprocess')) {
    if (state.interrupted) return 130;
    runs.push(await measureServer(mode, settings, partner, pool));
  }
  if (state.interrupted) return 130;
  if (!inProcess) rawRuns.push(await measureRawAlone(settings, partner, pool, 'after the load runs'));
  const rates = rawRuns.map((r) => r.perSecond);
  const raw = {
    keyBits: 2048,
    algorithm: 'RS256 (RSASSA-PKCS1-v1_5, SHA-256)',
    tokenBytes: pool[0].token.length,
    signingInputBytes: pool[0].data.length,
    perSecond: mean(rates),
    seconds: rawRuns.reduce((sum, r) => sum + r.seconds, 0),
    spreadPercent: ((Math.max(...rates) - Math.min(...rates)) / mean(rates)) * 100,
    runs: rawRuns,
  };

  process.stdout.write(`${report(machine, settings, raw, inProcess, runs)}\n`);

  await mkdir(settings.resultsDir, { recursive: true });
  const file = join(settings.resultsDir, `token-validation-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const [headerPart, payloadPart] = pool[0].token.split('.');
  const results = {
    benchmark: 'token-validation',
    spec: `SPEC 7: in-process validation ≥ ${TARGET_PERCENT} % of the raw RS256 verify rate (HTTP introspection informational)`,
    startedAt: started.toISOString(),
    targetPercent: TARGET_PERCENT,
    machine,
    settings,
    token: { example: pool[0].token, header: JSON.parse(Buffer.from(headerPart, 'base64url')), claims: JSON.parse(Buffer.from(payloadPart, 'base64url')) },
    raw,
    inProcess,
    runs,
  };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nresults: ${file}\n`);
  return inProcess?.verdict === 'INVALID' || runs.some((run) => run.verdict === 'INVALID') ? 1 : 0;
}

await runMain(main);
