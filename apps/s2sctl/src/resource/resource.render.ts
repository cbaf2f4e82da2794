import { indentLines, type OutputFormatter } from '../common/output.formatter.js';
import type { Resource, ResourceList, ResourceRole } from './resource.dto.js';

/** Human renderings of resources (`-o json` prints the API body instead). */

/** `Read.All`, `Read.All (user)` or `Read.All (application, user)`: who can hold the role. */
export function formatRole(role: Pick<ResourceRole, 'value' | 'allowedMemberTypes'>): string {
  const types = role.allowedMemberTypes;
  if (types.length === 1 && types[0] === 'Application') return role.value;
  return `${role.value} (${types.map((type) => type.toLowerCase()).join(', ') || 'nobody'})`;
}

export function renderResourceList(formatter: OutputFormatter, list: ResourceList): string {
  return formatter.table(
    ['APP ID URI', 'NAME', 'ROLES', 'SCOPES', 'ID'],
    list.items.map((resource) => [
      resource.appIdUri,
      resource.displayName,
      resource.roles.map(formatRole).join(', '),
      resource.scopes.map((scope) => scope.value).join(', '),
      resource.id,
    ]),
  );
}

/** Key/value view of one resource, then its roles and scopes as tables. */
export function renderResource(formatter: OutputFormatter, resource: Resource): string {
  const fields = formatter.keyValue([
    ['app-id-uri', resource.appIdUri],
    ['id', resource.id],
    ['name', resource.displayName],
    ['created-at', resource.createdAt],
    ['updated-at', resource.updatedAt],
  ]);
  const roles =
    resource.roles.length === 0
      ? 'roles: (none)\n'
      : `roles:\n${indentLines(
          formatter.table(
            ['VALUE', 'MEMBER TYPES', 'DESCRIPTION'],
            resource.roles.map((role) => [role.value, role.allowedMemberTypes.join(', '), role.description]),
          ),
        )}`;
  const scopes =
    resource.scopes.length === 0
      ? 'scopes: (none)\n'
      : `scopes:\n${indentLines(formatter.table(['VALUE', 'DESCRIPTION'], resource.scopes.map((scope) => [scope.value, scope.description])))}`;
  return `${fields}\n${roles}\n${scopes}`;
}
