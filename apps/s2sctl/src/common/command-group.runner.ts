import { CommandRunner } from 'nest-commander';
import { USAGE_EXIT_CODE } from './cli-errors.js';

/**
 * Base for commands that only group subcommands (`s2sctl admin-key ...`). nest-commander gives
 * every command an action, so commander never reports a missing or unknown subcommand for a
 * group by itself; this does.
 */
export abstract class CommandGroupRunner extends CommandRunner {
  async run(passedParams: string[]): Promise<void> {
    if (passedParams.length > 0) {
      const available = this.command.commands.map((sub) => sub.name()).join(', ');
      this.command.error(`unknown command '${passedParams[0]}' for '${commandPath(this.command)}' (available: ${available})`, {
        exitCode: USAGE_EXIT_CODE,
        code: 'commander.unknownCommand',
      });
    }
    this.command.help({ error: true });
  }
}

function commandPath(command: { name(): string; parent: { name(): string; parent: unknown } | null }): string {
  const names: string[] = [];
  for (let level: typeof command | null = command; level; level = level.parent as typeof command | null) names.unshift(level.name());
  return names.join(' ');
}
