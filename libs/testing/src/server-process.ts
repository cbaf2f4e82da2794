import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'node:https';
import { request as plainRequest } from 'node:http';

/** The repository root (tests run from it). */
export const REPO_ROOT = resolve(process.cwd());
/** `npm start`'s launcher: sizes libuv's thread pool, then runs dist/apps/trust-server/src/main.js. */
const SERVER_ENTRY = join(REPO_ROOT, 'apps/trust-server/bin/trust-server.cjs');
const CLI_ENTRY = join(REPO_ROOT, 'dist/apps/s2sctl/src/main.js');

/** A trust server started as a real process from the build output. */
export interface ServerProcess {
  url: string;
  /** The server's process id (its threads are under /proc/<pid>/task). */
  pid: number;
  dataDir: string;
  certsDir: string;
  /** Every line the process wrote to stdout and stderr so far. */
  output(): string;
  /** The CA (the self-signed TLS certificate) to trust, or null with TLS off. */
  tlsCertificate(): Promise<Buffer | null>;
  bootstrapKey(): Promise<string>;
  stop(): Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (restart tests); a new temporary one otherwise. */
  dataDir?: string;
  timeoutMs?: number;
  /** Another entry script than `npm start`'s launcher (a test fixture that starts the server itself). */
  entry?: string;
}

/**
 * Starts the server as `npm start` does (`node apps/trust-server/bin/trust-server.cjs`) on port 0 and waits for its "listening" log line,
 * which carries the URL. Fails with the process output if it exits or does not start in time.
 */
export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 's2s-e2e-')));
  const certsDir = join(dataDir, 'certs');
  const child = spawn(process.execPath, [options.entry ?? SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CERTS_DIR: certsDir, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${options.timeoutMs ?? 60_000} ms:\n${output}`)), options.timeoutMs ?? 60_000);
    const onData = (): void => {
      const line = output.split('\n').find((l) => l.includes('"s2s-trust listening"'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolveUrl((JSON.parse(line) as { url: string }).url);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    pid: child.pid!,
    dataDir,
    certsDir,
    output: () => output,
    tlsCertificate: async () => (url.startsWith('https:') ? readFile(join(certsDir, 'localhost-tls.crt')) : null),
    bootstrapKey: async () => (await readFile(join(dataDir, 'bootstrap-admin.key'), 'utf8')).trim(),
    stop: () => stopProcess(child),
  };
}

function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolveExit(code);
    });
    child.kill('SIGTERM');
  });
}

/** Removes a temporary data directory. */
export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** A plain HTTP(S) response as the tests see it. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

/**
 * One HTTP(S) request over a real connection, trusting `ca` for TLS (the server's self-signed
 * certificate). Never disables certificate verification. `localAddress` picks the source address
 * (e.g. `127.0.0.2`: on Linux all of 127.0.0.0/8 is loopback), so a test can be a caller of its own
 * to what the server keys by address (back-off).
 */
export function httpRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca?: Buffer | null; localAddress?: string } = {},
): Promise<HttpResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? request : plainRequest;
  return new Promise((resolveResponse, reject) => {
    const req = send(
      target,
      {
        method: init.method ?? 'GET',
        headers: { ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}), ...init.headers },
        ...(target.protocol === 'https:' ? { agent: new Agent({ ca: init.ca ?? undefined, keepAlive: false }) } : {}),
        ...(init.localAddress !== undefined ? { localAddress: init.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `s2sctl` with `args` and optional stdin; env is explicit (nothing inherited but PATH). */
export function runCli(args: string[], options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
