import type { ConnectivityReportDto, TrustStatusDto } from '../generated/admin-api.types.js';
import type { OutputFormatter } from '../common/output.formatter.js';

/** A connectivity test for humans: one line per step (status, step, reason, detail) and the hint under a failure. */
export function renderConnectivityReport(formatter: OutputFormatter, report: ConnectivityReportDto): string {
  const rows = report.steps.map((entry) => [entry.status.toUpperCase(), entry.step, entry.reason ?? '', entry.detail]);
  let text = `${report.kind} ${report.identity}: ${report.passed ? 'every step passed' : `FAILED at ${report.failedStep}`}\n`;
  text += formatter.table(['RESULT', 'STEP', 'REASON', 'DETAIL'], rows);
  for (const entry of report.steps) if (entry.status === 'fail' && entry.hint) text += `hint (${entry.step}): ${entry.hint}\n`;
  if (report.probe) {
    text += `probe: ${report.probe.url} → HTTP ${report.probe.status}\n`;
    if (report.probe.wwwAuthenticate) text += `  WWW-Authenticate: ${report.probe.wwwAuthenticate}\n`;
    if (report.probe.diagnostics) text += `  X-S2S-Diagnostics: ${report.probe.diagnostics}\n`;
    if (report.probe.body) text += `  body: ${report.probe.body.replace(/\s+/g, ' ').slice(0, 300)}\n`;
  }
  return text;
}

/** `s2sctl status` for humans. */
export function renderTrustStatus(formatter: OutputFormatter, status: TrustStatusDto): string {
  const lines: string[] = [];
  lines.push(`realm ${status.realm ?? '(not set)'}, service name ${status.serviceName}, public URL ${status.publicUrl}`);
  lines.push(`own metadata via PUBLIC_URL: ${status.selfMetadata.ok ? 'ok' : `FAILING (${status.selfMetadata.reason})`}: ${status.selfMetadata.detail}`);
  let text = `${lines.join('\n')}\n\ntoken-issuer certificate:\n`;
  text += status.tokenIssuer.length
    ? formatter.table(['SLOT', 'THUMBPRINT', 'NOT AFTER', 'DAYS LEFT', 'EFFECTIVE'], status.tokenIssuer.map((slot) => [slot.slot, slot.thumbprint, slot.notAfter, slot.daysLeft, slot.effectiveDate]))
    : '  none assigned: tokens cannot be issued\n';
  const issuers = (title: string, list: TrustStatusDto['partners']): string =>
    `\n${title}:\n` +
    (list.length
      ? formatter.table(
          ['IDENTITY', 'STATE', 'ENABLED', 'LAST GOOD FETCH', 'EARLIEST KEY EXPIRY', 'PENDING KEYS', 'PROBLEM'],
          list.map((issuer) => [issuer.identity, issuer.state, issuer.enabled, issuer.lastGoodFetchAgeSeconds === null ? null : `${issuer.lastGoodFetchAgeSeconds} s ago`, issuer.earliestKeyExpiry, issuer.pendingKeys, issuer.problem]),
        )
      : '  none\n');
  text += issuers('partner applications', status.partners);
  text += issuers('OAuth servers', status.oauthServers);
  text += `\ncredentials inside their warning window (${status.credentialWarningDays.join('/')} days):\n`;
  text += status.credentialWarnings.length
    ? formatter.table(['KIND', 'ID', 'THUMBPRINT', 'EXPIRES', 'DAYS LEFT', 'TIER'], status.credentialWarnings.map((warning) => [warning.kind, warning.id, warning.thumbprint, warning.expiresAt, warning.daysLeft, warning.tier === 0 ? 'EXPIRED' : `${warning.tier} d`]))
    : '  none\n';
  const database = status.database;
  text += `\ndatabase: ${database.kind}, ${database.reachable ? 'reachable' : `UNREACHABLE (${database.error})`}${database.pendingMigrations.length ? `, pending migrations ${database.pendingMigrations.join(', ')}` : ''}\n`;
  text += '\ninstances sharing the database:\n';
  text += formatter.table(['INSTANCE', 'HOST', 'PID', 'STARTED', 'LAST SEEN', ''], status.instances.map((instance) => [instance.instanceId, instance.hostName, instance.processId, instance.startedAt, instance.lastSeenAt, [instance.self ? 'this one' : '', instance.stale ? 'STALE' : ''].filter(Boolean).join(', ')]));
  return text;
}
