import { Command, Help, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import { CliError } from '../common/cli-errors.js';
import { nonEmptyArgument } from '../common/option-argument.parser.js';
import type { ConnectivityReportDto, PartnerApplicationDto, PartnerTestDto, TrustStatusDto } from '../generated/admin-api.types.js';
import { renderPartnerApplication } from '../partner-application/partner-application.render.js';
import { partnerPath } from '../partner-application/partner-application.input.js';
import { identityArgument } from '../trusted-issuer/trusted-issuer.command.js';
import { httpUrlArgument, issuerPath } from '../trusted-issuer/trusted-issuer.input.js';
import { renderConnectivityReport, renderTrustStatus } from './lifecycle.render.js';

/** Exit code of a connectivity test with a failed step (the report is printed first). */
export const TEST_FAILED_EXIT_CODE = 1;

/** A test that ran but did not pass: the report is already on stdout, one summary line goes to stderr. */
class ConnectivityTestFailed extends CliError {
  constructor(report: ConnectivityReportDto) {
    super(`connectivity test of ${report.identity} failed at step ${report.failedStep}`, TEST_FAILED_EXIT_CODE);
  }
}

const TEST_HELP = [
  '',
  'Every step is shown with PASS, FAIL or SKIP, a reason code and, for a failure, a one-line hint. Exit code 0 only',
  'when no step failed; 1 when one did (the report is still printed, also with -o json); 2 for usage errors.',
];

/** `s2sctl partner-application test <identity>`: POST /admin/v1/partner-applications/{identity}/test. */
@SubCommand({
  name: 'test',
  ...identityArgument('name of the partner application to test'),
  description: 'Test the trust with a partner step by step, as Test-OAuthConnectivity does: DNS, TLS, download now, parse, issuer, keys, clock, tokens, probe',
})
export class PartnerApplicationTestCommand extends AdminCommandRunner {
  async run([identity]: string[], options: { user?: string; probeUrl?: string } = {}): Promise<void> {
    const path = partnerPath(identity, '/test');
    const body: PartnerTestDto = { ...(options.user === undefined ? {} : { user: options.user }), ...(options.probeUrl === undefined ? {} : { probeUrl: options.probeUrl }) };
    const { settings, client } = this.openSession();
    const report = await client.post<ConnectivityReportDto>(path, body);
    this.print(settings, report, (printed) => renderConnectivityReport(this.formatter, printed));
    if (!report.passed) throw new ConnectivityTestFailed(report);
  }

  @Help('after')
  examples(): string {
    return [
      ...TEST_HELP,
      'The probe presents the minted token (the outer token with --user) at --probe-url, or at the partner\'s /s2s/whoami',
      "when it is an s2s-trust installation, and shows the partner's verdict (status, WWW-Authenticate, X-S2S-Diagnostics).",
      '',
      'Examples:',
      '  s2sctl partner-application test microsoft.exchange --probe-url https://mail.contoso.com/ews/exchange.asmx',
      '  s2sctl partner-application test conferencing --user alice@contoso.com -o json',
    ].join('\n');
  }

  @Option({ flags: '--user <upn>', description: 'also mint an outer token for this user (when the trust level allows users) and present it' })
  parseUser(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Option({ flags: '--probe-url <url>', description: "where to present the token (on the partner's metadata host or host authority)" })
  parseProbeUrl(value: string): string {
    return httpUrlArgument(value, 'https://mail.contoso.com/ews/exchange.asmx');
  }
}

/** `s2sctl partner-application approve-keys <identity>`: POST /admin/v1/partner-applications/{identity}/approve-keys. */
@SubCommand({
  name: 'approve-keys',
  ...identityArgument('name of the partner application whose held keys to trust'),
  description: 'Trust the keys a partner with --key-change-policy review published and that are held for review (audited)',
})
export class PartnerApplicationApproveKeysCommand extends AdminCommandRunner {
  async run([identity]: string[]): Promise<void> {
    const path = partnerPath(identity, '/approve-keys');
    const { settings, client } = this.openSession();
    const partner = await client.post<PartnerApplicationDto>(path);
    this.print(settings, partner, (body) => renderPartnerApplication(this.formatter, body, new Date()));
  }
}

/** `s2sctl oauth-server test <identity>`: POST /admin/v1/oauth-servers/{identity}/test. */
@SubCommand({
  name: 'test',
  ...identityArgument('name of the OAuth server to test'),
  description: 'Test an OAuth server step by step: DNS, TLS, download now (and its JWKS), parse, issuer, keys, clock',
})
export class OAuthServerTestCommand extends AdminCommandRunner {
  async run([identity]: string[]): Promise<void> {
    const path = issuerPath('oauth-servers', identity, '/test', 'give the OAuth server identity (see s2sctl oauth-server list)');
    const { settings, client } = this.openSession();
    const report = await client.post<ConnectivityReportDto>(path, {});
    this.print(settings, report, (printed) => renderConnectivityReport(this.formatter, printed));
    if (!report.passed) throw new ConnectivityTestFailed(report);
  }

  @Help('after')
  examples(): string {
    return [...TEST_HELP, '', 'Example:', '  s2sctl oauth-server test microsoft.sts'].join('\n');
  }
}

/** `s2sctl status`: GET /admin/v1/status. */
@Command({
  name: 'status',
  description: 'The state of the trust at a glance: identity, own metadata via PUBLIC_URL, token-issuer slots, partners, OAuth servers, expiring credentials, database, instances',
})
export class StatusCommand extends AdminCommandRunner {
  async run(): Promise<void> {
    const { settings, client } = this.openSession();
    const status = await client.get<TrustStatusDto>('/status');
    this.print(settings, status, (body) => renderTrustStatus(this.formatter, body));
  }
}
