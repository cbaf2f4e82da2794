import { indentLines, type OutputFormatter } from '../common/output.formatter.js';
import type { Client, ClientList, ClientSecretInfo, CreatedClient, CreatedClientSecret, RoleGrant } from './client.dto.js';

/**
 * Human renderings of clients (`-o json` prints the API body instead). A client secret is printed
 * only by {@link renderCreatedClient} and {@link renderCreatedSecret}, for the one response that
 * carries it; listings show the server's hint (last characters) instead.
 */

/** What to tell the user right after printing a new secret (on stderr). */
export const SECRET_SHOWN_ONCE_NOTE = 'store it now: it is not shown again';

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** `2026-01-01T00:00:00.000Z`, `never`, or the time followed by `(expired)` once `now` is past it. */
export function formatExpiry(expiresAt: string | null, now: Date): string {
  if (expiresAt === null) return 'never';
  return Date.parse(expiresAt) <= now.getTime() ? `${expiresAt} (expired)` : expiresAt;
}

/** `Read.All (api://webapi)`, comma-separated: the ROLES cell of `client list`. */
export function formatRoleGrants(grants: readonly Pick<RoleGrant, 'resource' | 'role'>[]): string {
  return grants.map((grant) => `${grant.role} (${grant.resource})`).join(', ');
}

/** The `aud` a client assertion may carry (SPEC 5.9: the issuer; the token endpoint only as legacy). */
function assertionAudience(client: Pick<Client, 'allowTokenEndpointAudience'>): string {
  return client.allowTokenEndpointAudience ? 'issuer or token endpoint URL (legacy)' : 'issuer';
}

export function renderClientList(formatter: OutputFormatter, list: ClientList): string {
  return formatter.table(
    ['CLIENT ID', 'NAME', 'REALM', 'ENABLED', 'ACT AS USERS', 'SECRETS', 'CERTIFICATES', 'ROLES'],
    list.items.map((client) => [
      client.clientId,
      client.displayName,
      client.realm,
      yesNo(client.enabled),
      yesNo(client.actAsUsers),
      client.secrets.length,
      client.certificates.length,
      formatRoleGrants(client.roleGrants),
    ]),
  );
}

function section(title: string, table: string | undefined): string {
  return table === undefined ? `${title}: (none)\n` : `${title}:\n${indentLines(table)}`;
}

function secretsTable(formatter: OutputFormatter, secrets: readonly ClientSecretInfo[], now: Date): string | undefined {
  if (secrets.length === 0) return undefined;
  return formatter.table(
    ['ID', 'HINT', 'DESCRIPTION', 'CREATED', 'EXPIRES'],
    secrets.map((secret) => [secret.id, secret.hint, secret.description, secret.createdAt, formatExpiry(secret.expiresAt, now)]),
  );
}

/** Key/value view of one client, then its credentials and grants: `show` and every change. */
export function renderClient(formatter: OutputFormatter, client: Client, now: Date): string {
  const fields = formatter.keyValue([
    ['client-id', client.clientId],
    ['name', client.displayName],
    ['realm', client.realm],
    ['enabled', yesNo(client.enabled)],
    ['act-as-users', yesNo(client.actAsUsers)],
    ['grant-types', client.grantTypes.join(', ')],
    ['assertion-aud', assertionAudience(client)],
    ['created-at', client.createdAt],
    ['updated-at', client.updatedAt],
  ]);
  const certificates =
    client.certificates.length === 0
      ? undefined
      : formatter.table(
          ['THUMBPRINT', 'SUBJECT', 'NOT AFTER'],
          client.certificates.map((certificate) => [certificate.thumbprint, certificate.subject, formatExpiry(certificate.notAfter, now)]),
        );
  const roles =
    client.roleGrants.length === 0 ? undefined : formatter.table(['RESOURCE', 'ROLE'], client.roleGrants.map((grant) => [grant.resource, grant.role]));
  const scopes =
    client.scopeGrants.length === 0 ? undefined : formatter.table(['RESOURCE', 'SCOPE'], client.scopeGrants.map((grant) => [grant.resource, grant.scope]));
  return [
    fields,
    section('secrets', secretsTable(formatter, client.secrets, now)),
    section('certificates', certificates),
    section('role grants', roles),
    section('scope grants', scopes),
  ].join('\n');
}

/**
 * `client new`: the new client's id and settings and, when one was made, its secret on a line of
 * its own (`client-secret  <secret>`, the widest key, so exactly two spaces) that a script can cut.
 */
export function renderCreatedClient(formatter: OutputFormatter, created: CreatedClient): string {
  return formatter.keyValue([
    ['client-id', created.clientId],
    ['name', created.displayName],
    ['realm', created.realm],
    ['enabled', yesNo(created.enabled)],
    ['act-as-users', yesNo(created.actAsUsers)],
    ['grant-types', created.grantTypes.join(', ')],
    ...(created.clientSecret === undefined
      ? []
      : ([
          ['secret-id', created.clientSecretId],
          ['client-secret', created.clientSecret],
        ] as const)),
  ]);
}

/** `client add-secret`: the new secret's id, description, expiry and the secret itself. */
export function renderCreatedSecret(formatter: OutputFormatter, clientId: string, created: CreatedClientSecret): string {
  return formatter.keyValue([
    ['client-id', clientId],
    ['secret-id', created.id],
    ['description', created.description],
    ['expires', created.expiresAt ?? 'never'],
    ['client-secret', created.clientSecret],
  ]);
}
