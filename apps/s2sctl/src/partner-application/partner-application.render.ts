import type { OutputFormatter } from '../common/output.formatter.js';
import { issuerListTable, issuerView, keysSection, metadataPolicyFields, metadataStatusWords, refreshOutcome, yesNo } from '../trusted-issuer/trusted-issuer.render.js';
import type { PartnerApplication, PartnerApplicationList, PartnerKey } from './partner-application.dto.js';

/** Human renderings of partner applications (`-o json` prints the API body instead); the metadata parts are the trusted-issuer ones. */

export { formatMetadataStatus, metadataStatusKind, refreshWarning } from '../trusted-issuer/trusted-issuer.render.js';

const STATUS_WORDS = metadataStatusWords('document', 'partner');

/** LAST SUCCESS: the time, `never` for a metadata partner never downloaded, `-` for pinned certificates. */
export function formatLastSuccess(partner: Pick<PartnerApplication, 'metadataUrl' | 'metadataStatus'>): string | null {
  if (partner.metadataStatus.lastSuccessAt !== null) return partner.metadataStatus.lastSuccessAt;
  return partner.metadataUrl === null ? null : 'never';
}

/** `2026-01-01T00:00:00.000Z`, followed by `(expired)` once `now` is past it. */
export function formatNotAfter(notAfter: string, now: Date): string {
  return Date.parse(notAfter) <= now.getTime() ? `${notAfter} (expired)` : notAfter;
}

export function renderPartnerApplicationList(formatter: OutputFormatter, list: PartnerApplicationList): string {
  const columns = ['APPLICATION ID', 'REALM', 'TRUST', 'ENABLED'];
  return issuerListTable(formatter, list.items, columns, (partner) => [partner.applicationIdentifier, partner.realm, partner.trustLevel, yesNo(partner.enabled)], formatLastSuccess);
}

function partnerKeys(formatter: OutputFormatter, keys: readonly PartnerKey[], now: Date): string {
  return keysSection(formatter, ['X5T', 'NOT BEFORE', 'NOT AFTER'], keys.map((key) => [key.x5t, key.notBefore, formatNotAfter(key.notAfter, now)]));
}

/** Key/value view of one partner, then its keys and metadata status: `get` and every change. */
export function renderPartnerApplication(formatter: OutputFormatter, partner: PartnerApplication, now: Date): string {
  const fields = formatter.keyValue([
    ['identity', partner.identity],
    ['application-id', partner.applicationIdentifier],
    ['realm', partner.realm],
    ...(partner.useOAuthServer === null ? [] : ([['use-oauth-server', partner.useOAuthServer]] as [string, string][])),
    ['metadata-url', partner.metadataUrl],
    ['host-authority', partner.hostAuthority],
    ['trust-level', partner.trustLevel],
    ['accept-sid', yesNo(partner.acceptSecurityIdentifierInformation)],
    ['source-address', partner.sourceAddresses.length ? partner.sourceAddresses.join(' ') : null],
    ['key-changes', partner.keyChangePolicy],
    ...(partner.acceptedDomains.length ? ([['accepted-domain', partner.acceptedDomains.join(' ')]] as [string, string][]) : []),
    ...(partner.pendingKeys.length ? ([['pending-keys', `${partner.pendingKeys.map((key) => key.x5t).join(', ')} (approve-keys to trust)`]] as [string, string][]) : []),
    ['enabled', yesNo(partner.enabled)],
    ...(partner.metadataUrl === null ? [] : metadataPolicyFields(partner)),
    ['created-at', partner.createdAt],
    ['updated-at', partner.updatedAt],
  ]);
  return issuerView(formatter, partner, fields, partnerKeys(formatter, partner.keys, now), STATUS_WORDS);
}

/** `refresh`: the outcome, the keys the partner has now, and the download state. */
export function renderPartnerRefresh(formatter: OutputFormatter, partner: PartnerApplication, now: Date): string {
  return issuerView(formatter, partner, refreshOutcome(partner, STATUS_WORDS), partnerKeys(formatter, partner.keys, now), STATUS_WORDS);
}

/** `remove`: one line naming what was removed. */
export function renderPartnerRemoved(partner: Pick<PartnerApplication, 'identity' | 'applicationIdentifier' | 'realm'>): string {
  return `removed partner application ${partner.identity} (${partner.applicationIdentifier}@${partner.realm})\n`;
}
