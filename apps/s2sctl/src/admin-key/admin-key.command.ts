import { Command, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { choiceArgument, nonEmptyArgument, zonedTimestampArgument } from '../common/option-argument.parser.js';
import type { OutputFormatter } from '../common/output.formatter.js';

export type AdminKeyRole = 'admin' | 'reader';
export const ADMIN_KEY_ROLES: readonly AdminKeyRole[] = ['admin', 'reader'];
/** Least privilege: a key that can only read unless admin is asked for. */
export const DEFAULT_ADMIN_KEY_ROLE: AdminKeyRole = 'reader';

/** An admin key as listed by the API (never includes the secret). */
export interface AdminKey {
  readonly id: string;
  readonly name: string;
  readonly role: AdminKeyRole;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** After this instant the key no longer authenticates; null: no expiry. */
  readonly expiresAt: string | null;
}

/** Body of POST /admin/v1/admin-keys: the only response that carries the secret. */
export interface CreatedAdminKey extends Pick<AdminKey, 'id' | 'name' | 'role' | 'createdAt' | 'expiresAt'> {
  readonly key: string;
}

export interface AdminKeyList {
  readonly items: readonly AdminKey[];
}

export function renderCreatedKey(formatter: OutputFormatter, created: CreatedAdminKey): string {
  const fields = formatter.keyValue([
    ['id', created.id],
    ['name', created.name],
    ['role', created.role],
    ['created-at', created.createdAt],
    ['expires-at', created.expiresAt ?? 'never'],
  ]);
  // The key alone on its line, so it can be copied or cut out with a script.
  return `${fields}\n${created.key}\n\nThis key is shown only once: store it now, it cannot be retrieved later.\n`;
}

/** `revoked`, `expired` (against `now`) or `active`. */
function keyState(key: AdminKey, now: Date): string {
  if (key.revokedAt) return 'revoked';
  return key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

export function renderKeyList(formatter: OutputFormatter, list: AdminKeyList, now: Date = new Date()): string {
  return formatter.table(
    ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST-USED', 'EXPIRES', 'STATUS'],
    list.items.map((key) => [key.id, key.name, key.role, key.createdAt, key.lastUsedAt, key.expiresAt ?? 'never', keyState(key, now)]),
  );
}

interface CreateOptions {
  readonly name: string;
  readonly role?: AdminKeyRole;
  readonly expires?: string;
}

/** `s2sctl admin-key create`: POST /admin/v1/admin-keys. */
@SubCommand({
  name: 'create',
  description: 'Create an admin API key; the key is printed once and only its hash is stored',
})
export class AdminKeyCreateCommand extends AdminCommandRunner {
  async run(_params: string[], options: CreateOptions): Promise<void> {
    const { settings, client } = this.openSession();
    const created = await client.post<CreatedAdminKey>('/admin-keys', {
      name: options.name,
      role: options.role ?? DEFAULT_ADMIN_KEY_ROLE,
      ...(options.expires === undefined ? {} : { expiresAt: options.expires }),
    });
    this.print(settings, created, (body) => renderCreatedKey(this.formatter, body));
  }

  @Option({ flags: '--name <name>', description: 'name to recognise the key by (who or what uses it)', required: true })
  parseName(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({
    flags: '--role <role>',
    description: `${ADMIN_KEY_ROLES.join(' or ')}: admin can change everything, reader can only read`,
    defaultValue: DEFAULT_ADMIN_KEY_ROLE,
  })
  parseRole(value: string): AdminKeyRole {
    return choiceArgument(value, ADMIN_KEY_ROLES);
  }

  @Option({ flags: '--expires <time>', description: 'when the key stops working (401 from then on): ISO 8601 date and time with Z or an offset, e.g. 2027-01-01T00:00:00Z (default: never)' })
  parseExpires(value: string): string {
    return zonedTimestampArgument(value);
  }
}

/** `s2sctl admin-key list`: GET /admin/v1/admin-keys. */
@SubCommand({ name: 'list', description: 'List admin API keys (without their secrets), including revoked ones' })
export class AdminKeyListCommand extends AdminCommandRunner {
  async run(): Promise<void> {
    const { settings, client } = this.openSession();
    const list = await client.get<AdminKeyList>('/admin-keys');
    this.print(settings, list, (body) => renderKeyList(this.formatter, body));
  }
}

/** `s2sctl admin-key revoke <id>`: DELETE /admin/v1/admin-keys/{id}. */
@SubCommand({
  name: 'revoke',
  arguments: '<id>',
  argsDescription: { id: 'ID of the key to revoke (see s2sctl admin-key list)' },
  description: 'Revoke an admin API key; requests with it are refused from then on',
})
export class AdminKeyRevokeCommand extends AdminCommandRunner {
  async run([id]: string[]): Promise<void> {
    const { settings, client } = this.openSession();
    const revoked = await client.delete<AdminKey>(`/admin-keys/${encodeURIComponent(id)}`);
    this.print(settings, revoked, (body) => `revoked ${body?.id ?? id}\n`);
  }
}

/** `s2sctl admin-key`: groups create, list and revoke. */
@Command({
  name: 'admin-key',
  description: 'Create, list and revoke admin API keys',
  subCommands: [AdminKeyCreateCommand, AdminKeyListCommand, AdminKeyRevokeCommand],
})
export class AdminKeyCommand extends CommandGroupRunner {}
