import { toSingleLine } from '../common/cli-errors.js';
import { type CellValue, indentLines, type OutputFormatter } from '../common/output.formatter.js';
import type { MetadataStatusDto } from '../generated/admin-api.types.js';

/**
 * Human renderings both trusted-issuer kinds share (partner applications, OAuth servers): the
 * metadata status (`ok`, `error: ...`, `review: ...`), the `metadata:` and `keys:` sections, the
 * outcome line of `refresh` and its stderr warning. `-o json` prints the API body instead.
 */

/** The status of the last metadata download, as the admin API returns it (both kinds). */
export type MetadataStatusView = MetadataStatusDto;

/** What every trusted issuer's API body has that these renderings read. */
export interface TrustedIssuerView {
  readonly identity: string;
  readonly metadataUrl: string | null;
  readonly enabled: boolean;
  readonly hasMetadataCaBundle: boolean;
  readonly metadataHostAllowList: readonly string[];
  readonly allowHttpMetadata: boolean;
  readonly metadataStatus: MetadataStatusView;
}

/** How the last metadata download went: a changed issuer to review, an error, or fine. */
export type MetadataStatusKind = 'ok' | 'error' | 'review';

/** The outcome in words, for `get` and `refresh`, by status kind. */
export type MetadataStatusWords = Readonly<Record<MetadataStatusKind, string>>;

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** Server text for a one-line place: control characters replaced, line breaks collapsed. */
export function oneLine(text: string): string {
  return toSingleLine(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** The outcome words of a kind: `what` is re-created to accept a document under review. */
export function metadataStatusWords(document: string, what: string): MetadataStatusWords {
  return {
    ok: 'ok',
    error: 'error (the last known good keys were kept)',
    review: `review needed (the new ${document} was not applied; re-create the ${what} to accept it)`,
  };
}

/** How the last metadata download went: a changed issuer/realm to review, an error, or fine. */
export function metadataStatusKind(issuer: { readonly metadataStatus: MetadataStatusView }): MetadataStatusKind {
  if (issuer.metadataStatus.reviewReason !== null) return 'review';
  return issuer.metadataStatus.lastError === null ? 'ok' : 'error';
}

/**
 * The STATUS cell of `list`: `review: <reason>` when the metadata now names another issuer or
 * realm (not applied), `error: <message>` when the last download failed (last known good keys
 * kept), else `ok`.
 */
export function formatMetadataStatus(issuer: { readonly metadataStatus: MetadataStatusView }): string {
  const { reviewReason, lastError } = issuer.metadataStatus;
  switch (metadataStatusKind(issuer)) {
    case 'review':
      return `review: ${oneLine(reviewReason!)}`;
    case 'error':
      return `error: ${oneLine(lastError!)}`;
    default:
      return 'ok';
  }
}

/**
 * What `refresh` writes to stderr (after `warning: `) when the download recorded an error (the
 * review reason is recorded as the error too); `undefined` when it succeeded.
 */
export function refreshWarning(issuer: { readonly metadataStatus: MetadataStatusView }): string | undefined {
  const text = issuer.metadataStatus.lastError ?? issuer.metadataStatus.reviewReason;
  return text === null ? undefined : oneLine(text);
}

/**
 * The table of `list`: IDENTITY, the kind's own columns, then KEYS, LAST SUCCESS and STATUS (see
 * {@link formatMetadataStatus}); `lastSuccess` says how a kind shows a time never reached.
 */
export function issuerListTable<T extends TrustedIssuerView & { readonly keys: readonly unknown[] }>(
  formatter: OutputFormatter,
  items: readonly T[],
  columns: readonly string[],
  cells: (issuer: T) => readonly CellValue[],
  lastSuccess: (issuer: T) => CellValue,
): string {
  return formatter.table(
    ['IDENTITY', ...columns, 'KEYS', 'LAST SUCCESS', 'STATUS'],
    items.map((issuer) => [issuer.identity, ...cells(issuer), issuer.keys.length, lastSuccess(issuer), formatMetadataStatus(issuer)]),
  );
}

/** The download-policy lines of the key/value view (CA bundle, hosts, http). */
export function metadataPolicyFields(issuer: TrustedIssuerView): [string, CellValue][] {
  return [
    ['metadata-ca', issuer.hasMetadataCaBundle ? 'own CA bundle and system store' : 'system store'],
    ['metadata-hosts', issuer.metadataHostAllowList.join(', ')],
    ['allow-http', yesNo(issuer.allowHttpMetadata)],
  ];
}

/** `keys:` and a table of them, or `keys: (none)`. */
export function keysSection(formatter: OutputFormatter, headers: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  if (rows.length === 0) return 'keys: (none)\n';
  return `keys:\n${indentLines(formatter.table(headers, rows))}`;
}

/** The metadata download state: what `refresh` reports and `get` ends with. */
export function metadataSection(formatter: OutputFormatter, issuer: TrustedIssuerView, words: MetadataStatusWords): string {
  if (issuer.metadataUrl === null) return 'metadata: none (pinned certificates)\n';
  const { lastAttemptAt, lastSuccessAt, lastError, reviewReason } = issuer.metadataStatus;
  return `metadata:\n${indentLines(
    formatter.keyValue([
      ['status', words[metadataStatusKind(issuer)]],
      ['last-attempt', lastAttemptAt ?? 'never'],
      ['last-success', lastSuccessAt ?? 'never'],
      ['last-error', lastError === null ? null : oneLine(lastError)],
      ['review', reviewReason === null ? null : oneLine(reviewReason)],
    ]),
  )}`;
}

/**
 * A view of one issuer: `head` (its settings, or the outcome of `refresh`), its `keys:` section,
 * then its metadata download state. What `get`, every change and `refresh` print.
 */
export function issuerView(formatter: OutputFormatter, issuer: TrustedIssuerView, head: string, keys: string, words: MetadataStatusWords): string {
  return [head, keys, metadataSection(formatter, issuer, words)].join('\n');
}

/** The first line of `refresh`: the outcome in words. */
export function refreshOutcome(issuer: TrustedIssuerView, words: MetadataStatusWords): string {
  return `refresh of ${issuer.identity}: ${words[metadataStatusKind(issuer)]}\n`;
}
