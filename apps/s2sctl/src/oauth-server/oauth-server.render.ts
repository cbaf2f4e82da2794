import type { OutputFormatter } from '../common/output.formatter.js';
import { issuerListTable, issuerView, keysSection, metadataPolicyFields, metadataStatusWords, oneLine, refreshOutcome, yesNo } from '../trusted-issuer/trusted-issuer.render.js';
import type { OAuthServer, OAuthServerKey, OAuthServerList } from './oauth-server.dto.js';

/**
 * Human renderings of OAuth servers (`-o json` prints the API body instead). The metadata status
 * reads as for partner applications (`ok`, `error: ...`, `review: ...`), with the same helpers.
 */

export { formatMetadataStatus, refreshWarning } from '../trusted-issuer/trusted-issuer.render.js';

const STATUS_WORDS = metadataStatusWords('metadata', 'OAuth server');

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
  const columns = ['TYPE', 'ISSUER', 'AUDIENCES', 'TENANT'];
  return issuerListTable(formatter, list.items, columns, (server) => [server.type, server.issuer, server.audiences.join(', '), restriction(server.tenantId, 'any')], formatLastSuccess);
}

function serverKeys(formatter: OutputFormatter, keys: readonly OAuthServerKey[]): string {
  return keysSection(formatter, ['KID', 'X5T', 'ALG', 'KTY'], keys.map((key) => [key.kid, key.x5t, key.alg, key.kty]));
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
    ...(server.issuanceEndpoint === null ? [] : ([['issuance', server.issuanceEndpoint]] as [string, string][])),
    ['tenant-id', restriction(server.tenantId, 'any')],
    ...(server.allowedTenants.length ? ([['tenants', server.allowedTenants.join(' ')]] as [string, string][]) : []),
    ...(server.allowAnyTenant ? ([['tenants', 'ANY (allow-any-tenant)']] as [string, string][]) : []),
    ['allowed-app-ids', restriction(server.allowedApplicationIds, 'any')],
    ['allowed-object-ids', restriction(server.allowedObjectIds, 'any')],
    ['required-role', restriction(server.requiredRole, 'none')],
    ['enabled', yesNo(server.enabled)],
    ...metadataPolicyFields(server),
    ['created-at', server.createdAt],
    ['updated-at', server.updatedAt],
  ]);
  return issuerView(formatter, server, fields, serverKeys(formatter, server.keys), STATUS_WORDS);
}

/** `refresh`: the outcome, the keys the server has now, and the download state. */
export function renderOAuthServerRefresh(formatter: OutputFormatter, server: OAuthServer): string {
  return issuerView(formatter, server, refreshOutcome(server, STATUS_WORDS), serverKeys(formatter, server.keys), STATUS_WORDS);
}

/** `remove`: one line naming what was removed. */
export function renderOAuthServerRemoved(server: Pick<OAuthServer, 'identity' | 'issuer'>): string {
  return `removed OAuth server ${server.identity} (issuer ${oneLine(server.issuer)})\n`;
}
