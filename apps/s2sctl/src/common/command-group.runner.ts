import { CommandRunner } from 'nest-commander';
import { USAGE_EXIT_CODE } from './cli-errors.js';

/**
 * Base for commands that only group subcommands (`s2sctl admin-key ...`). nest-commander gives
 * every command an action, so commander neither reports a missing or unknown subcommand for a
 * group nor adds its implicit `help [command]` subcommand; this does both.
 */
export abstract class CommandGroupRunner extends CommandRunner {
  async run(passedParams: string[]): Promise<void> {
    const [name, subName] = passedParams;
    if (name === undefined) this.command.help({ error: true });
    if (name === 'help') {
      const sub = subName === undefined ? undefined : this.command.commands.find((command) => command.name() === subName);
      if (subName === undefined || sub) (sub ?? this.command).help();
    }
    const available = this.command.commands.map((command) => command.name()).join(', ');
    this.command.error(`unknown command '${subName ?? name}' for '${commandPath(this.command)}' (available: ${available})`, {
      exitCode: USAGE_EXIT_CODE,
      code: 'commander.unknownCommand',
    });
  }
}

function commandPath(command: { name(): string; parent: { name(): string; parent: unknown } | null }): string {
  const names: string[] = [];
  for (let level: typeof command | null = command; level; level = level.parent as typeof command | null) names.unshift(level.name());
  return names.join(' ');
}
