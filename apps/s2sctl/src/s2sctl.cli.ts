import type { INestApplicationContext } from '@nestjs/common';
import { CommandFactory, CommandRunnerService } from 'nest-commander';
import { CliModule } from './cli.module.js';
import { USAGE_EXIT_CODE, formatErrorLine, isCommanderExit } from './common/cli-errors.js';
import { CliProgramConfigurer } from './common/cli-program.configurer.js';

/**
 * Runs s2sctl for `argv` (as in `process.argv`: node, script, args...) and resolves with the exit
 * code. Every failure ends here: usage errors were already printed by commander (one line, via
 * the configured output), anything else is printed as one `s2sctl: <message>` line.
 */
export async function runS2sctl(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const fail = (error: unknown): void => {
    if (isCommanderExit(error)) {
      // Help and version "errors" carry 0; commander's usage errors carry 1, reported as 2.
      exitCode = error.exitCode === 0 ? 0 : Math.max(error.exitCode, USAGE_EXIT_CODE);
      return;
    }
    process.stderr.write(formatErrorLine(error));
    exitCode = typeof (error as { exitCode?: unknown }).exitCode === 'number' ? (error as { exitCode: number }).exitCode : 1;
  };

  let app: INestApplicationContext | undefined;
  try {
    app = await CommandFactory.createWithoutRunning(CliModule, {
      logger: false,
      cliName: 's2sctl',
      serviceErrorHandler: fail,
    });
    app.get(CliProgramConfigurer).configure();
    await app.get(CommandRunnerService).run([...argv]);
  } catch (error) {
    fail(error);
  } finally {
    await app?.close();
  }
  return exitCode;
}
