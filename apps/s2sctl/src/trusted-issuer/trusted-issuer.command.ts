import { Option } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import type { CliSettings } from '../common/cli-settings.js';
import type { OutputFormatter } from '../common/output.formatter.js';
import { booleanArgument, nonEmptyArgument } from '../common/option-argument.parser.js';
import { metadataHostArgument } from './trusted-issuer.input.js';
import { type MetadataStatusView, refreshWarning } from './trusted-issuer.render.js';

/**
 * The command plumbing both trusted-issuer groups share (`s2sctl partner-application ...`,
 * `s2sctl oauth-server ...`): `list`, `get`, `remove` and `refresh` run the same way over their
 * own API collection and renderings, and `new`/`set` end with the same enabled and download-policy
 * options. Each group describes its kind ({@link TrustedIssuerCli}) and declares its own verbs
 * (names, descriptions, examples and options) on the bases {@link trustedIssuerCommands} makes.
 */

/** What the shared commands read of an issuer's API body. */
interface IssuerBody {
  readonly metadataStatus: MetadataStatusView;
}

/** The human renderings of one kind. */
export interface TrustedIssuerRenderings<T extends IssuerBody, L> {
  list(formatter: OutputFormatter, list: L): string;
  /** `get` and every change. */
  one(formatter: OutputFormatter, issuer: T): string;
  refresh(formatter: OutputFormatter, issuer: T): string;
  removed(issuer: T): string;
}

/** What the shared commands need to know about one kind. */
export interface TrustedIssuerCli<T extends IssuerBody, L> {
  /** The API collection, e.g. `/partner-applications`. */
  readonly collection: string;
  /** The path of one issuer (`suffix` e.g. `/refresh`); a usage error for a blank identity. */
  readonly path: (identity: string, suffix?: string) => string;
  readonly render: TrustedIssuerRenderings<T, L>;
  /** What `--metadata-host` of `new` and `set` says is downloaded from those hosts. */
  readonly metadataHostDescription: string;
}

/** The `<identity>` argument of `get`, `set`, `remove` and `refresh`. */
export function identityArgument(description: string): { arguments: string; argsDescription: Record<string, string> } {
  return { arguments: '<identity>', argsDescription: { identity: description } };
}

const METADATA_CA_DESCRIPTION = 'PEM CA certificate(s) trusted for the metadata URL, besides the system store';

/**
 * The base classes of one kind's commands, bound to the kind. A group declares each verb as a
 * subclass with its own `@SubCommand` (name, description), `@Help` and options; `list`, `get`,
 * `remove` and `refresh` need nothing else, `new` and `set` add their `run` and the kind's own
 * options, which come before the shared ones in `--help`.
 */
export function trustedIssuerCommands<T extends IssuerBody, L>(kind: TrustedIssuerCli<T, L>) {
  /** Prints an issuer after a change, then (not for `-o json`) the notes on stderr. */
  abstract class ChangeCommand extends AdminCommandRunner {
    protected printIssuer(settings: CliSettings, issuer: T, notes: readonly string[] = []): void {
      this.print(settings, issuer, (body) => kind.render.one(this.formatter, body));
      if (settings.output === 'json') return;
      for (const note of notes) this.note(note);
    }
  }

  /** `list`: GET the collection. */
  abstract class ListCommand extends AdminCommandRunner {
    async run(): Promise<void> {
      const { settings, client } = this.openSession();
      const list = await client.get<L>(kind.collection);
      this.print(settings, list, (body) => kind.render.list(this.formatter, body));
    }
  }

  /** `get <identity>`: GET one issuer. */
  abstract class GetCommand extends ChangeCommand {
    async run([identity]: string[]): Promise<void> {
      const path = kind.path(identity);
      const { settings, client } = this.openSession();
      this.printIssuer(settings, await client.get<T>(path));
    }
  }

  /** `remove <identity>`: DELETE one issuer; one line names what was removed. */
  abstract class RemoveCommand extends AdminCommandRunner {
    async run([identity]: string[]): Promise<void> {
      const path = kind.path(identity);
      const { settings, client } = this.openSession();
      const removed = await client.delete<T>(path);
      this.print(settings, removed, (body) => kind.render.removed(body));
    }
  }

  /** `refresh <identity>`: POST `.../refresh`; a failed download is a warning on stderr, not a failure. */
  abstract class RefreshCommand extends AdminCommandRunner {
    async run([identity]: string[]): Promise<void> {
      const path = kind.path(identity, '/refresh');
      const { settings, client } = this.openSession();
      const issuer = await client.post<T>(path);
      this.print(settings, issuer, (body) => kind.render.refresh(this.formatter, body));
      // The refresh itself succeeded (exit 0) even when the download failed; say so on stderr, in every output format.
      const warning = refreshWarning(issuer);
      if (warning !== undefined) this.note(`warning: ${warning}`);
    }
  }

  /** `new`: ends with the enabled flag, metadata CA file, metadata hosts and the http lab switch. */
  abstract class NewCommand extends ChangeCommand {
    @Option({ flags: '--enabled <true|false>', description: 'false: registered, but its tokens are refused until enabled (default: true)' })
    parseEnabled(value: string): boolean {
      return booleanArgument(value);
    }

    @Option({ flags: '--metadata-ca-file <file>', description: METADATA_CA_DESCRIPTION })
    parseMetadataCaFile(value: string): string {
      return nonEmptyArgument(value);
    }

    @Option({ flags: '--metadata-host <host>', description: kind.metadataHostDescription })
    parseMetadataHost(value: string, previous?: string[]): string[] {
      return metadataHostArgument(value, previous);
    }

    @Option({ flags: '--allow-http-metadata', description: 'accept an http:// metadata URL (labs only: the keys could be tampered with in transit)' })
    parseAllowHttpMetadata(): boolean {
      return true;
    }
  }

  /** `set`: the same options, each replacing the stored value; the switches take `true|false`. */
  abstract class SetCommand extends ChangeCommand {
    @Option({ flags: '--enabled <true|false>', description: 'false: its tokens are refused until enabled again' })
    parseEnabled(value: string): boolean {
      return booleanArgument(value);
    }

    @Option({ flags: '--metadata-ca-file <file>', description: `${METADATA_CA_DESCRIPTION}; replaces the bundle` })
    parseMetadataCaFile(value: string): string {
      return nonEmptyArgument(value);
    }

    @Option({ flags: '--metadata-host <host>', description: `${kind.metadataHostDescription}; replaces the list` })
    parseMetadataHost(value: string, previous?: string[]): string[] {
      return metadataHostArgument(value, previous);
    }

    @Option({ flags: '--allow-http-metadata <true|false>', description: 'whether an http:// metadata URL is accepted (labs only)' })
    parseAllowHttpMetadata(value: string): boolean {
      return booleanArgument(value);
    }
  }

  return { List: ListCommand, Get: GetCommand, Remove: RemoveCommand, Refresh: RefreshCommand, New: NewCommand, Set: SetCommand };
}

/**
 * The `--help` text after `refresh`'s options: the exit code rule, then what `keeps` says (lines
 * naming what the issuer keeps), then the example command line.
 */
export function refreshExamples(keeps: readonly string[], example: string): string {
  return ['', 'Exit code 0 whenever the server recorded the attempt, also when the download failed: the error is then in the', ...keeps, '', 'Example:', `  ${example}`].join('\n');
}
