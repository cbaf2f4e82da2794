import { Command, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import type { QueryParams } from '../common/admin-api.client.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { nonEmptyArgument, positiveIntegerArgument, timestampArgument } from '../common/option-argument.parser.js';
import type { OutputFormatter } from '../common/output.formatter.js';

/** One entry of GET /admin/v1/audit-events. */
export interface AuditEvent {
  readonly id: string;
  readonly occurredAt: string;
  readonly actorKeyId: string | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly requestId: string | null;
}

export interface AuditEventPage {
  readonly items: readonly AuditEvent[];
  readonly nextCursor: string | null;
}

interface ListOptions {
  readonly action?: string;
  readonly actor?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** Maps the options to the API's query parameters; absent ones are dropped by the client. */
export function buildAuditQuery(options: ListOptions): QueryParams {
  return {
    action: options.action,
    actorKeyId: options.actor,
    targetType: options.targetType,
    targetId: options.targetId,
    since: options.since,
    until: options.until,
    limit: options.limit,
    cursor: options.cursor,
  };
}

export function renderAuditEvents(formatter: OutputFormatter, page: AuditEventPage): string {
  return formatter.table(
    ['TIME', 'ACTION', 'TARGET', 'ACTOR', 'REQUEST-ID'],
    page.items.map((event) => [
      event.occurredAt,
      event.action,
      event.targetId ? `${event.targetType}/${event.targetId}` : event.targetType,
      event.actorName ?? event.actorKeyId,
      event.requestId,
    ]),
  );
}

/** `s2sctl audit list`: GET /admin/v1/audit-events with the given filters. */
@SubCommand({
  name: 'list',
  description: 'List audit events (who changed what, when), newest first; filters combine with AND',
})
export class AuditListCommand extends AdminCommandRunner {
  async run(_params: string[], options: ListOptions = {}): Promise<void> {
    const { settings, client } = this.openSession();
    const page = await client.get<AuditEventPage>('/audit-events', buildAuditQuery(options));
    this.print(settings, page, (body) => renderAuditEvents(this.formatter, body));
    // On stderr so `-o json` output stays a single JSON document.
    if (page.nextCursor) this.note(`more: --cursor ${page.nextCursor}`);
  }

  @Option({ flags: '--action <action>', description: 'only this action, e.g. admin-key.create' })
  parseAction(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--actor <keyId>', description: 'only changes made with this admin key ID' })
  parseActor(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--target-type <type>', description: 'only this kind of target, e.g. oauth-configuration' })
  parseTargetType(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--target-id <id>', description: 'only this target' })
  parseTargetId(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--since <time>', description: 'only events at or after this ISO 8601 time' })
  parseSince(value: string): string {
    return timestampArgument(value);
  }

  @Option({ flags: '--until <time>', description: 'only events up to this ISO 8601 time' })
  parseUntil(value: string): string {
    return timestampArgument(value);
  }

  @Option({ flags: '--limit <n>', description: 'maximum number of events in this page' })
  parseLimit(value: string): number {
    return positiveIntegerArgument(value);
  }

  @Option({ flags: '--cursor <cursor>', description: 'continue after a previous page (printed as "more: --cursor ...")' })
  parseCursor(value: string): string {
    return nonEmptyArgument(value);
  }
}

/** `s2sctl audit`: groups list. */
@Command({ name: 'audit', description: 'Read the audit log of admin changes', subCommands: [AuditListCommand] })
export class AuditCommand extends CommandGroupRunner {}
