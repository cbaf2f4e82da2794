import { Injectable } from '@nestjs/common';
import { CommandRunner } from 'nest-commander';
import { AdminApiClientFactory } from './admin-api-client.factory.js';
import type { AdminApiClient } from './admin-api.client.js';
import { resolveCliSettings, type CliSettings } from './cli-settings.js';
import { collectGlobalOptions } from './global-options.js';
import { OutputFormatter } from './output.formatter.js';

/** Everything a command needs for one invocation. */
export interface AdminSession {
  readonly settings: CliSettings;
  readonly client: AdminApiClient;
}

/**
 * Base for commands that call the admin API. Subclasses implement `run`, call
 * {@link AdminCommandRunner.openSession} and print with {@link AdminCommandRunner.print}; they
 * declare no constructor, so they inherit this one's injection.
 */
@Injectable()
export abstract class AdminCommandRunner extends CommandRunner {
  constructor(
    protected readonly clients: AdminApiClientFactory,
    protected readonly formatter: OutputFormatter,
  ) {
    super();
  }

  /** Resolves the global options of this invocation and builds the API client. */
  protected openSession(): AdminSession {
    const settings = resolveCliSettings(collectGlobalOptions(this.command));
    return { settings, client: this.clients.create(settings) };
  }

  /** `-o json`: the body as-is; otherwise the human rendering. */
  protected print<T>(settings: CliSettings, body: T, renderHuman: (body: T) => string): void {
    process.stdout.write(settings.output === 'json' ? this.formatter.json(body) : renderHuman(body));
  }

  /** Hints and notes go to stderr so stdout stays parseable. */
  protected note(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}
