import { toSingleLine } from '../common/cli-errors.js';
import { indentLines, type OutputFormatter } from '../common/output.formatter.js';
import { formatMetadataStatus, metadataStatusKind } from '../partner-application/partner-application.render.js';
import type { OAuthServer, OAuthServerKey, OAuthServerList } from './oauth-server.dto.js';

/**
 * Human renderings of OAuth servers (`-o json` prints the API body instead). The metadata status
 * reads as for partner applications (`ok`, `error: ...`, `review: ...`), with the same helpers.
 */

export { formatMetadataStatus, refreshWarning } from '../partner-application/partner-application.render.js';

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** Server text for a one-line place: control characters replaced, line breaks collapsed. */
function oneLine(text: string): string {
  return toSingleLine(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** The outcome in words, for `get` and `refresh`. */
const STATUS_WORDS = {
  ok: 'ok',
  error: 'error (the last known good keys were kept)',
  review: 'review needed (the new metadata was not applied; re-create the OAuth server to accept it)',
} as const;

/** A restriction that is not set lets every value through: `any` (tenant, applications, objects) or `none` (role). */
function restriction(values: readonly string[] | string | null, unset: 'any' | 'none'): string {
  if (values === null || values.length === 0) return unset;
  return typeof values === 'string' ? values : values.join(', ');
}

/** LAST SUCCESS: the time of the last successful download, or `never`. */
export function formatLastSuccess(server: Pick<OAuthServer, 'metadataStatus'>): string {
  return server.metadataStatus.lastSuccessAt ?? 'never';
}

export function renderOAuthServerList(formatter: OutputFormatter, list: OAuthServerList): string {
  return formatter.table(
    ['IDENTITY', 'TYPE', 'ISSUER', 'AUDIENCES', 'TENANT', 'KEYS', 'LAST SUCCESS', 'STATUS'],
    list.items.map((server) => [
      server.identity,
      server.type,
      server.issuer,
      server.audiences.join(', '),
      restriction(server.tenantId, 'any'),
      server.keys.length,
      formatLastSuccess(server),
      formatMetadataStatus(server),
    ]),
  );
}

function keysSection(formatter: OutputFormatter, keys: readonly OAuthServerKey[]): string {
  if (keys.length === 0) return 'keys: (none)\n';
  return `keys:\n${indentLines(formatter.table(['KID', 'X5T', 'ALG', 'KTY'], keys.map((key) => [key.kid, key.x5t, key.alg, key.kty])))}`;
}

/** The metadata download state: what `refresh` reports and `get` ends with. */
function metadataSection(formatter: OutputFormatter, server: OAuthServer): string {
  const { lastAttemptAt, lastSuccessAt, lastError, reviewReason } = server.metadataStatus;
  return `metadata:\n${indentLines(
    formatter.keyValue([
      ['status', STATUS_WORDS[metadataStatusKind(server)]],
      ['last-attempt', lastAttemptAt ?? 'never'],
      ['last-success', lastSuccessAt ?? 'never'],
      ['last-error', lastError === null ? null : oneLine(lastError)],
      ['review', reviewReason === null ? null : oneLine(reviewReason)],
    ]),
  )}`;
}

/** Key/value view of one OAuth server, then its keys and metadata status: `get` and every change. */
export function renderOAuthServer(formatter: OutputFormatter, server: OAuthServer): string {
  const fields = formatter.keyValue([
    ['identity', server.identity],
    ['type', server.type],
    ['issuer', server.issuer],
    ['metadata-url', server.metadataUrl],
    ['jwks-uri', server.jwksUri],
    ['audiences', server.audiences.join(', ')],
    ['tenant-id', restriction(server.tenantId, 'any')],
    ['allowed-app-ids', restriction(server.allowedApplicationIds, 'any')],
    ['allowed-object-ids', restriction(server.allowedObjectIds, 'any')],
    ['required-role', restriction(server.requiredRole, 'none')],
    ['enabled', yesNo(server.enabled)],
    ['metadata-ca', server.hasMetadataCaBundle ? 'own CA bundle and system store' : 'system store'],
    ['metadata-hosts', server.metadataHostAllowList.join(', ')],
    ['allow-http', yesNo(server.allowHttpMetadata)],
    ['created-at', server.createdAt],
    ['updated-at', server.updatedAt],
  ]);
  return [fields, keysSection(formatter, server.keys), metadataSection(formatter, server)].join('\n');
}

/** `refresh`: the outcome, the keys the server has now, and the download state. */
export function renderOAuthServerRefresh(formatter: OutputFormatter, server: OAuthServer): string {
  const outcome = `refresh of ${server.identity}: ${STATUS_WORDS[metadataStatusKind(server)]}\n`;
  return [outcome, keysSection(formatter, server.keys), metadataSection(formatter, server)].join('\n');
}

/** `remove`: one line naming what was removed. */
export function renderOAuthServerRemoved(server: Pick<OAuthServer, 'identity' | 'issuer'>): string {
  return `removed OAuth server ${server.identity} (issuer ${oneLine(server.issuer)})\n`;
}
