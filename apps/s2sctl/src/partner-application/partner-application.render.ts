import { toSingleLine } from '../common/cli-errors.js';
import { indentLines, type OutputFormatter } from '../common/output.formatter.js';
import type { PartnerApplication, PartnerApplicationList, PartnerKey } from './partner-application.dto.js';

/** Human renderings of partner applications (`-o json` prints the API body instead). */

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** Server text for a one-line place: control characters replaced, line breaks collapsed. */
function oneLine(text: string): string {
  return toSingleLine(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** How the last metadata download went: a changed issuer/realm to review, an error, or fine. */
export function metadataStatusKind(partner: Pick<PartnerApplication, 'metadataStatus'>): 'ok' | 'error' | 'review' {
  if (partner.metadataStatus.reviewReason !== null) return 'review';
  return partner.metadataStatus.lastError === null ? 'ok' : 'error';
}

/**
 * The STATUS cell of `list`: `review: <reason>` when the metadata now names another issuer or
 * realm (not applied), `error: <message>` when the last download failed (last known good keys
 * kept), else `ok`.
 */
export function formatMetadataStatus(partner: Pick<PartnerApplication, 'metadataStatus'>): string {
  const { reviewReason, lastError } = partner.metadataStatus;
  switch (metadataStatusKind(partner)) {
    case 'review':
      return `review: ${oneLine(reviewReason!)}`;
    case 'error':
      return `error: ${oneLine(lastError!)}`;
    default:
      return 'ok';
  }
}

/** The outcome in words, for `get` and `refresh`. */
const STATUS_WORDS = {
  ok: 'ok',
  error: 'error (the last known good keys were kept)',
  review: 'review needed (the new document was not applied; re-create the partner to accept it)',
} as const;

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
  return formatter.table(
    ['IDENTITY', 'APPLICATION ID', 'REALM', 'TRUST', 'ENABLED', 'KEYS', 'LAST SUCCESS', 'STATUS'],
    list.items.map((partner) => [
      partner.identity,
      partner.applicationIdentifier,
      partner.realm,
      partner.trustLevel,
      yesNo(partner.enabled),
      partner.keys.length,
      formatLastSuccess(partner),
      formatMetadataStatus(partner),
    ]),
  );
}

function keysSection(formatter: OutputFormatter, keys: readonly PartnerKey[], now: Date): string {
  if (keys.length === 0) return 'keys: (none)\n';
  return `keys:\n${indentLines(formatter.table(['X5T', 'NOT BEFORE', 'NOT AFTER'], keys.map((key) => [key.x5t, key.notBefore, formatNotAfter(key.notAfter, now)])))}`;
}

/** The metadata download state: what `refresh` reports and `get` ends with. */
function metadataSection(formatter: OutputFormatter, partner: PartnerApplication): string {
  if (partner.metadataUrl === null) return 'metadata: none (pinned certificates)\n';
  const { lastAttemptAt, lastSuccessAt, lastError, reviewReason } = partner.metadataStatus;
  return `metadata:\n${indentLines(
    formatter.keyValue([
      ['status', STATUS_WORDS[metadataStatusKind(partner)]],
      ['last-attempt', lastAttemptAt ?? 'never'],
      ['last-success', lastSuccessAt ?? 'never'],
      ['last-error', lastError === null ? null : oneLine(lastError)],
      ['review', reviewReason === null ? null : oneLine(reviewReason)],
    ]),
  )}`;
}

/** Key/value view of one partner, then its keys and metadata status: `get` and every change. */
export function renderPartnerApplication(formatter: OutputFormatter, partner: PartnerApplication, now: Date): string {
  const fields = formatter.keyValue([
    ['identity', partner.identity],
    ['application-id', partner.applicationIdentifier],
    ['realm', partner.realm],
    ['metadata-url', partner.metadataUrl],
    ['host-authority', partner.hostAuthority],
    ['trust-level', partner.trustLevel],
    ['accept-sid', yesNo(partner.acceptSecurityIdentifierInformation)],
    ['enabled', yesNo(partner.enabled)],
    ...(partner.metadataUrl === null
      ? []
      : ([
          ['metadata-ca', partner.hasMetadataCaBundle ? 'own CA bundle and system store' : 'system store'],
          ['metadata-hosts', partner.metadataHostAllowList.join(', ')],
          ['allow-http', yesNo(partner.allowHttpMetadata)],
        ] as const)),
    ['created-at', partner.createdAt],
    ['updated-at', partner.updatedAt],
  ]);
  return [fields, keysSection(formatter, partner.keys, now), metadataSection(formatter, partner)].join('\n');
}

/** `refresh`: the outcome, the keys the partner has now, and the download state. */
export function renderPartnerRefresh(formatter: OutputFormatter, partner: PartnerApplication, now: Date): string {
  const outcome = `refresh of ${partner.identity}: ${STATUS_WORDS[metadataStatusKind(partner)]}\n`;
  return [outcome, keysSection(formatter, partner.keys, now), metadataSection(formatter, partner)].join('\n');
}

/**
 * What `refresh` writes to stderr (after `warning: `) when the download recorded an error (the
 * review reason is recorded as the error too); `undefined` when it succeeded.
 */
export function refreshWarning(partner: Pick<PartnerApplication, 'metadataStatus'>): string | undefined {
  const text = partner.metadataStatus.lastError ?? partner.metadataStatus.reviewReason;
  return text === null ? undefined : oneLine(text);
}

/** `remove`: one line naming what was removed. */
export function renderPartnerRemoved(partner: Pick<PartnerApplication, 'identity' | 'applicationIdentifier' | 'realm'>): string {
  return `removed partner application ${partner.identity} (${partner.applicationIdentifier}@${partner.realm})\n`;
}
