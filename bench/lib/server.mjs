// The real trust server as a child process, and small HTTP helpers to set it up. See bench/README.md.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { children, makeTempDir, removeTempDir, sleep, state, stopChild } from './lifecycle.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_ENTRY = join(REPO_ROOT, 'dist/apps/trust-server/src/main.js');
/** `npm start`'s launcher: sizes libuv's thread pool like a production start, then runs SERVER_ENTRY. */
export const SERVER_LAUNCHER = join(REPO_ROOT, 'apps/trust-server/bin/trust-server.cjs');

/** A free loopback port (for log levels above info, where the "listening" line with the URL is not printed). */
export function freePort() {
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
 * Starts the server as `npm start` does (`node apps/trust-server/bin/trust-server.cjs`) with a fresh DATA_DIR / CERTS_DIR. At LOG_LEVEL
 * info or more verbose it listens on PORT=0 and the URL comes from the "s2s-trust listening" line;
 * at quieter levels (the default, warn: at info every request is logged) a free port is
 * chosen up front and the server is polled until /health/live answers. The server output is kept
 * (last 64 KiB) for error messages, never printed.
 */
export async function startServer(mode, settings) {
  const dataDir = await makeTempDir('s2s-bench-');
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
    // Every load connection comes from 127.0.0.1: keep the per-address cap (default 256) above them.
    MAX_CONNECTIONS_PER_ADDRESS: String(Math.max(256, settings.connections + 64)),
    ...(settings.uvThreadpoolSizeEnv !== undefined ? { UV_THREADPOOL_SIZE: settings.uvThreadpoolSizeEnv } : {}),
    // Extra variables of one benchmark (DATABASE_URL, WORKERS, TOKEN_CACHE_MAX_ENTRIES...).
    ...(settings.serverEnv ?? {}),
  };
  const child = spawn(process.execPath, [...settings.serverNodeArgs, SERVER_LAUNCHER], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    if (state.interrupted) throw new Error('interrupted');
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
      await removeTempDir(dataDir);
    },
  };
}

/** One request on a fresh connection; TLS verified against `ca` (never disabled). */
export function call(baseUrl, path, { method = 'GET', headers = {}, body, ca = null } = {}) {
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

/** An admin API call with the bootstrap key; anything but 2xx throws. */
export async function admin(server, method, path, body) {
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
export function basicCredentials(clientId, secret) {
  const formEncode = (value) => new URLSearchParams([['v', value]]).toString().slice(2);
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`, 'utf8').toString('base64')}`;
}

export const formHeaders = (authorization) => ({ 'content-type': 'application/x-www-form-urlencoded', authorization });

/**
 * The server's own garbage-collection totals from `GET /metrics` (`s2s_nodejs_gc_duration_seconds`,
 * prom-client's default metrics: pauses of the event loop, by kind: minor, major, incremental,
 * weakcb): `{ kind: { count, seconds } }`, or null when the figures are missing.
 */
export async function serverGcTotals(server) {
  const response = await call(server.url, '/metrics', { ca: server.ca });
  if (response.status !== 200) return null;
  const totals = {};
  for (const match of response.text.matchAll(/^s2s_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} ([0-9.e+-]+)$/gm)) {
    const [, field, kind, value] = match;
    totals[kind] ??= { count: 0, seconds: 0 };
    totals[kind][field === 'sum' ? 'seconds' : 'count'] = Number(value);
  }
  return Object.keys(totals).length ? totals : null;
}

/** GC totals of one window: `after` minus `before` (each from serverGcTotals), per kind; null if either is missing. */
export function gcDelta(before, after) {
  if (!before || !after) return null;
  const delta = {};
  for (const [kind, { count, seconds }] of Object.entries(after)) {
    delta[kind] = { count: count - (before[kind]?.count ?? 0), seconds: seconds - (before[kind]?.seconds ?? 0) };
  }
  return delta;
}

/**
 * The server process's memory from Linux /proc (`VmRSS`, `VmHWM`): `{ rssMiB, peakMiB }`, or null
 * elsewhere. The server is the launcher's own process (it imports the server, no child).
 */
export function serverMemory(server) {
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kib = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1]);
    const rss = kib('VmRSS');
    const peak = kib('VmHWM');
    return Number.isFinite(rss) && Number.isFinite(peak) ? { rssMiB: rss / 1024, peakMiB: peak / 1024 } : null;
  } catch {
    return null;
  }
}

/**
 * The memory of a server and its WORKERS=N children (Linux /proc): `{ rssMiB, processes }`, the
 * sum of every process's VmRSS, or null elsewhere.
 */
export function serverTreeMemory(server) {
  try {
    const pids = [server.pid];
    for (const task of readdirSync(`/proc/${server.pid}/task`)) {
      const children = readFileSync(`/proc/${server.pid}/task/${task}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    }
    let rss = 0;
    for (const pid of pids) rss += serverMemory({ pid })?.rssMiB ?? 0;
    return { rssMiB: rss, processes: pids.length };
  } catch {
    return null;
  }
}

/** One report line of serverMemory figures taken when the server was ready and after the load. */
export function memoryLine(mode, atStart, afterLoad) {
  if (!atStart || !afterLoad) return `${mode}: server memory not available (Linux /proc only)`;
  const mib = (value) => Math.round(value).toLocaleString('en-US');
  return `${mode}: server RSS ${mib(atStart.rssMiB)} MiB when ready (first start on an empty data directory, embedded database), ${mib(afterLoad.rssMiB)} MiB after the load, peak ${mib(afterLoad.peakMiB)} MiB`;
}
