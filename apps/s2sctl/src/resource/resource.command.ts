import { Command, Help, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { nonEmptyArgument, repeatableArgument } from '../common/option-argument.parser.js';
import type { Resource, ResourceList } from './resource.dto.js';
import {
  appIdUriArgument,
  buildResourceChangeBody,
  buildResourceCreateBody,
  resourcePath,
  type ResourceNewOptions,
  type ResourceSetOptions,
} from './resource.input.js';
import { renderResource, renderResourceList } from './resource.render.js';

/**
 * `s2sctl resource ...`: the APIs this service issues access tokens for (RFC 9068, SPEC 4.2),
 * named by their Application ID URI, with their app roles and delegated scopes. Clients get a role
 * only through `s2sctl client grant-role` (admin consent).
 */

const URI_OR_ID_ARGUMENT = { arguments: '<uri-or-id>', argsDescription: { 'uri-or-id': 'App ID URI (e.g. api://webapi) or id of the resource' } };
const ROLE_DESCRIPTION = 'app role that applications can be granted (client credentials); repeatable';
const USER_ROLE_DESCRIPTION = 'app role that users can be assigned (delegated tokens); repeatable';
const SCOPE_DESCRIPTION = 'delegated scope, e.g. user_impersonation; repeatable';

/** `s2sctl resource new`: POST /admin/v1/resources. */
@SubCommand({ name: 'new', description: 'Register an API (resource) by its Application ID URI, with its app roles and delegated scopes' })
export class ResourceNewCommand extends AdminCommandRunner {
  async run(_params: string[], options: ResourceNewOptions): Promise<void> {
    const body = buildResourceCreateBody(options);
    const { settings, client } = this.openSession();
    const created = await client.post<Resource>('/resources', body);
    this.print(settings, created, (resource) => renderResource(this.formatter, resource));
    if (settings.output !== 'json') {
      this.note(`next: s2sctl client grant-role --client <client id> --resource ${created.appIdUri} --role <role>`);
    }
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'A value given with both --role and --user-role is one role that applications and users can hold.',
      '',
      'Examples:',
      '  s2sctl resource new --app-id-uri api://webapi --name "Web API" --role Read.All --role Write.All',
      '  s2sctl resource new --app-id-uri api://webapi --user-role Read.All --scope user_impersonation',
    ].join('\n');
  }

  @Option({ flags: '--app-id-uri <uri>', description: 'Application ID URI, the aud of its tokens, e.g. api://webapi', required: true })
  parseAppIdUri(value: string): string {
    return appIdUriArgument(value);
  }

  @Option({ flags: '--name <name>', description: 'display name' })
  parseName(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--role <value>', description: ROLE_DESCRIPTION })
  parseRole(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--user-role <value>', description: USER_ROLE_DESCRIPTION })
  parseUserRole(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--scope <value>', description: SCOPE_DESCRIPTION })
  parseScope(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }
}

/** `s2sctl resource list`: GET /admin/v1/resources. */
@SubCommand({ name: 'list', description: 'List the registered APIs (resources) with their roles and scopes' })
export class ResourceListCommand extends AdminCommandRunner {
  async run(): Promise<void> {
    const { settings, client } = this.openSession();
    const list = await client.get<ResourceList>('/resources');
    this.print(settings, list, (body) => renderResourceList(this.formatter, body));
  }
}

/** `s2sctl resource show <uri-or-id>`: GET /admin/v1/resources/{idOrAppIdUri}. */
@SubCommand({ name: 'show', ...URI_OR_ID_ARGUMENT, description: 'Show one resource: App ID URI, name, roles with their member types, scopes' })
export class ResourceShowCommand extends AdminCommandRunner {
  async run([uriOrId]: string[]): Promise<void> {
    const path = resourcePath(uriOrId);
    const { settings, client } = this.openSession();
    const resource = await client.get<Resource>(path);
    this.print(settings, resource, (body) => renderResource(this.formatter, body));
  }
}

/** `s2sctl resource set <uri-or-id>`: PATCH /admin/v1/resources/{idOrAppIdUri}. */
@SubCommand({
  name: 'set',
  ...URI_OR_ID_ARGUMENT,
  description:
    'Change a resource: its name, or replace its roles (any of --role/--user-role given replaces them all) or its scopes ' +
    '(--scope replaces them all)',
})
export class ResourceSetCommand extends AdminCommandRunner {
  async run([uriOrId]: string[], options: ResourceSetOptions = {}): Promise<void> {
    const path = resourcePath(uriOrId);
    const body = buildResourceChangeBody(options);
    const { settings, client } = this.openSession();
    const resource = await client.patch<Resource>(path, body);
    this.print(settings, resource, (changed) => renderResource(this.formatter, changed));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The role and scope lists are replaced, not merged: repeat every role (and user role) that should stay.',
      '',
      'Examples:',
      '  s2sctl resource set api://webapi --name "Web API (prod)"',
      '  s2sctl resource set api://webapi --role Read.All --role Write.All --user-role Read.All',
    ].join('\n');
  }

  @Option({ flags: '--name <name>', description: 'new display name' })
  parseName(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--role <value>', description: `${ROLE_DESCRIPTION}; replaces the roles` })
  parseRole(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--user-role <value>', description: `${USER_ROLE_DESCRIPTION}; replaces the roles` })
  parseUserRole(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--scope <value>', description: `${SCOPE_DESCRIPTION}; replaces the scopes` })
  parseScope(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }
}

/** `s2sctl resource remove <uri-or-id>`: DELETE /admin/v1/resources/{idOrAppIdUri}. */
@SubCommand({
  name: 'remove',
  ...URI_OR_ID_ARGUMENT,
  description: 'Delete a resource and every role and scope grant made on it; clients can no longer get tokens for it',
})
export class ResourceRemoveCommand extends AdminCommandRunner {
  async run([uriOrId]: string[]): Promise<void> {
    const path = resourcePath(uriOrId);
    const { settings, client } = this.openSession();
    const removed = await client.delete<Resource>(path);
    this.print(settings, removed, (body) => `removed ${body?.appIdUri ?? uriOrId.trim()}${body?.id ? ` (${body.id})` : ''}\n`);
  }
}

/** `s2sctl resource`: groups the resource commands. */
@Command({
  name: 'resource',
  description: 'Register the APIs this service issues access tokens for, with their app roles and scopes',
  subCommands: [ResourceNewCommand, ResourceListCommand, ResourceShowCommand, ResourceSetCommand, ResourceRemoveCommand],
})
export class ResourceCommand extends CommandGroupRunner {}
