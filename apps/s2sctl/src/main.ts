#!/usr/bin/env node
// Entry point of the s2sctl CLI (`node dist/apps/s2sctl/src/main.js`, or `npx s2sctl` through
// apps/s2sctl/bin/s2sctl.js). Exit code: 0 ok, 1 failure, 2 usage error.
import 'reflect-metadata';
import { runS2sctl } from './s2sctl.cli.js';

// `s2sctl ... | head` closes stdout early; that is the reader's choice, not an error to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runS2sctl(process.argv);
