#!/usr/bin/env node
// Launcher for `npx s2sctl`: runs the compiled CLI, building the project first when it has not
// been built yet (a fresh `npm ci` installs dependencies but compiles nothing).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const entry = join(root, 'dist', 'apps', 's2sctl', 'src', 'main.js');
if (!existsSync(entry)) {
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) {
    console.error('s2sctl: could not build the project (npm run build failed)');
    process.exit(1);
  }
}
await import(pathToFileURL(entry).href);
