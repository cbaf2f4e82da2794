// Cleanup for the benchmarks: servers, temporary directories and other resources go away on
// success, error and Ctrl-C. Imported for its side effects (exit and signal handlers).

import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { UsageError } from './env.mjs';

/** `interrupted` is set on SIGINT/SIGTERM; `currentCannon` is the running autocannon instance, if any. */
export const state = { interrupted: false, currentCannon: null };
export const children = new Set();
export const tempDirs = new Set();
/** Extra async cleanups (e.g. closing an in-process Nest application), run before the directories go. */
export const cleanupHooks = new Set();

export async function makeTempDir(prefix) {
  const dir = await mkdtemp(join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export async function removeTempDir(dir) {
  await rm(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export async function stopChild(child) {
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

export async function cleanUp() {
  const hooks = [...cleanupHooks];
  cleanupHooks.clear();
  await Promise.all([...children].map((child) => stopChild(child)));
  children.clear();
  await Promise.all(hooks.map((hook) => Promise.resolve().then(hook).catch(() => {})));
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
    state.interrupted = true;
    process.stderr.write(`\n${signal}: stopping the benchmark, the servers and removing the temporary directories...\n`);
    state.currentCannon?.stop?.();
    cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

/** Runs `main` (resolving to an exit code), cleans up and exits: 2 for a usage error, 1 for any other failure, 130 after Ctrl-C. */
export async function runMain(main, name = 'bench') {
  let exitCode = 1;
  try {
    exitCode = await main();
  } catch (error) {
    if (!state.interrupted) process.stderr.write(`${name}: ${error instanceof UsageError ? error.message : (error?.stack ?? error)}\n`);
    exitCode = state.interrupted ? 130 : error instanceof UsageError ? 2 : 1;
  } finally {
    if (!state.interrupted) await cleanUp();
  }
  if (!state.interrupted) process.exit(exitCode);
}

export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
