import { type CellValue, indentLines, type OutputFormatter } from '../common/output.formatter.js';
import {
  EXPIRY_WARNING_DAYS,
  type AssignedCertificate,
  type Certificate,
  type CertificateAssignment,
  type CertificateList,
  type CertificateRequest,
  type RolloverStatus,
} from './certificate.dto.js';

/**
 * Human renderings of the certificate resources (`-o json` prints the API body instead). Dates are
 * printed as the API's ISO strings. Warning lines start with `!` so they stand out under a table.
 */

/** `DAYS LEFT` cell: `300`, `45 (expires soon)` or `expired`. */
export function formatDaysLeft(certificate: Pick<Certificate, 'daysToExpiry' | 'expiresSoon'>): string {
  if (certificate.daysToExpiry < 0) return 'expired';
  return certificate.expiresSoon ? `${certificate.daysToExpiry} (expires soon)` : String(certificate.daysToExpiry);
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Warning lines under `certificate list`: how many certificates expire soon or have expired. */
export function expiryWarnings(certificates: readonly Pick<Certificate, 'daysToExpiry' | 'expiresSoon'>[]): string[] {
  const expired = certificates.filter((certificate) => certificate.daysToExpiry < 0).length;
  const soon = certificates.filter((certificate) => certificate.daysToExpiry >= 0 && certificate.expiresSoon).length;
  const lines: string[] = [];
  if (soon > 0) lines.push(`! ${plural(soon, 'certificate expires', 'certificates expire')} within ${EXPIRY_WARNING_DAYS} days`);
  if (expired > 0) lines.push(`! ${plural(expired, 'certificate has', 'certificates have')} expired`);
  return lines;
}

export function renderCertificateList(formatter: OutputFormatter, list: CertificateList): string {
  const table = formatter.table(
    ['THUMBPRINT', 'SUBJECT', 'DNS NAMES', 'NOT AFTER', 'DAYS LEFT', 'SLOT'],
    list.items.map((certificate) => [
      certificate.thumbprint,
      certificate.subject,
      certificate.dnsNames.join(','),
      certificate.notAfter,
      formatDaysLeft(certificate),
      certificate.assignment,
    ]),
  );
  return table + expiryWarnings(list.items).map((line) => `${line}\n`).join('');
}

/** Key/value view of one certificate: `show`, and the result of import, complete and new-self-signed. */
export function renderCertificate(formatter: OutputFormatter, certificate: Certificate): string {
  return formatter.keyValue([
    ['thumbprint', certificate.thumbprint],
    ['thumbprint-sha256', certificate.thumbprintSha256],
    ['x5t', certificate.x5t],
    ['subject', certificate.subject],
    ['issuer', certificate.issuer],
    ['serial-number', certificate.serialNumber],
    ['dns-names', certificate.dnsNames.join(', ')],
    ['not-before', certificate.notBefore],
    ['not-after', certificate.notAfter],
    ['days-left', formatDaysLeft(certificate)],
    ['key', `${certificate.keyAlgorithm} ${certificate.keySizeBits} bits`],
    ['has-private-key', certificate.hasPrivateKey ? 'yes' : 'no'],
    ['source', certificate.source],
    ['chain-length', certificate.chainLength],
    ['slot', certificate.assignment ?? '(none)'],
    ['created-at', certificate.createdAt],
  ]);
}

/** `certificate request`: the request's fields, then (unless written to a file) the CSR itself. */
export function renderCertificateRequest(formatter: OutputFormatter, request: CertificateRequest, options: { readonly csr: boolean }): string {
  const fields = formatter.keyValue([
    ['id', request.id],
    ['status', request.status],
    ['subject', request.subject],
    ['dns-names', request.dnsNames.join(', ')],
    ['key', `RSA ${request.keySizeBits} bits`],
    ['created-at', request.createdAt],
  ]);
  return options.csr ? `${fields}\n${withFinalNewline(request.csr)}` : fields;
}

export function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function slotRow(slot: 'current' | 'next' | 'previous', assigned: AssignedCertificate | null, effectiveDate: string | undefined): CellValue[] {
  if (!assigned) return [slot, '(empty)', null, null, null, null];
  return [slot, assigned.thumbprint, assigned.subject, assigned.notAfter, formatDaysLeft(assigned), effectiveDate];
}

/** `certificate status`: the slots, the staged roll (gate, deadline), the evidence per partner, unknown fetchers, renewal. */
export function renderRolloverStatus(formatter: OutputFormatter, status: RolloverStatus): string {
  const parts = [renderAssignment(formatter, status.slots)];
  const next = status.slots.next;
  if (next) {
    parts.push(
      `\nroll: ${status.rollState}\n` +
        formatter.keyValue([
          ['published-at', next.publishedAt],
          ['effective-date', next.effectiveDate],
          ['activate-when-fetched', next.activateWhenFetched ? 'yes' : 'no'],
          ['deadline', next.deadline],
          ['keep-previous', next.keepPrevious ? 'yes' : 'no'],
        ]),
    );
  }
  if (status.slots.previousRemovalAt) parts.push(`previous certificate removed automatically at ${status.slots.previousRemovalAt}\n`);
  if (status.evidence) {
    const { evidence } = status;
    parts.push(
      `\npartners that downloaded our metadata since ${evidence.since}:\n` +
        indentLines(
          formatter.table(
            ['PARTNER', 'FETCHED', 'LAST FETCH', 'DOWNLOADS', 'ADDRESSES', 'USER AGENTS'],
            evidence.partners.map((p) => [p.identity, p.fetched ? 'yes' : 'NO', p.lastFetchAt, p.downloads, p.addresses.join(' ') || p.addressProblem, p.userAgents.join('; ')]),
          ),
        ),
    );
    for (const partner of evidence.partners) if (partner.addressProblem) parts.push(`! ${partner.identity}: ${partner.addressProblem}\n`);
    parts.push(
      evidence.unknownFetchers.length === 0
        ? 'unknown fetchers: none\n'
        : 'unknown fetchers (addresses of no partner):\n' +
            indentLines(
              formatter.table(
                ['ADDRESS', 'USER AGENT', 'DOWNLOADS', 'DOCUMENTS', 'LAST'],
                evidence.unknownFetchers.map((u) => [u.sourceAddress, u.userAgent, u.downloads, u.documents.join(','), u.lastAt]),
              ),
            ),
    );
    if (!evidence.allPartnersFetched) parts.push('! not every enabled partner has fetched the metadata since the next key was published\n');
  }
  if (status.renewal) {
    const r = status.renewal;
    parts.push(`\nautomatic renewal (${r.mode}) of ${r.renewsThumbprint}: ${r.state}${r.requestId ? `, request ${r.requestId}` : ''}${r.successorThumbprint ? `, successor ${r.successorThumbprint}` : ''}\n`);
    if (r.state === 'waiting-for-certificate') parts.push(`! complete it: s2sctl certificate complete --request-id ${r.requestId} --cert <issued certificate>\n`);
  }
  return parts.join('');
}

/** Warnings under the assignment table: what would stop or soon stop token signing. */
export function assignmentWarnings(assignment: CertificateAssignment): string[] {
  const { current, next } = assignment;
  const lines: string[] = [];
  if (!current) {
    lines.push(`! no current certificate: nothing can be signed until one is assigned (s2sctl certificate assign --type ${assignment.type} --thumbprint <T>)`);
  } else if (current.daysToExpiry < 0) {
    lines.push('! the current certificate has expired');
  } else if (current.expiresSoon && !next) {
    lines.push(
      `! the current certificate expires in ${plural(current.daysToExpiry, 'day', 'days')}: stage its successor with ` +
        `s2sctl certificate assign --type ${assignment.type} --thumbprint <T> --roll --effective-date <time>`,
    );
  }
  if (next && next.daysToExpiry < 0) lines.push('! the next certificate has expired');
  else if (next?.expiresSoon) lines.push(`! the next certificate expires in ${plural(next.daysToExpiry, 'day', 'days')}`);
  return lines;
}

/** `certificate get` and the result of assign / remove --previous: one row per slot. */
export function renderAssignment(formatter: OutputFormatter, assignment: CertificateAssignment): string {
  const table = formatter.table(
    ['SLOT', 'THUMBPRINT', 'SUBJECT', 'NOT AFTER', 'DAYS LEFT', 'EFFECTIVE'],
    [
      slotRow('current', assignment.current, undefined),
      slotRow('next', assignment.next, assignment.next?.effectiveDate),
      slotRow('previous', assignment.previous, undefined),
    ],
  );
  return table + assignmentWarnings(assignment).map((line) => `${line}\n`).join('');
}
