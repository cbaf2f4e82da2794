import { toSingleLine } from '../common/cli-errors.js';
import type { OutputFormatter } from '../common/output.formatter.js';
import type { TokenValidationResult } from './token-validation.dto.js';

/** Human rendering of `token validate` (`-o json` prints the API body instead). */

/** Server text for a one-line place: line breaks collapsed, control characters replaced. */
function oneLine(text: string): string {
  return toSingleLine(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** `valid (trusted as partner microsoft.exchange)`, `… via microsoft.sts` (through an OAuth server), or `invalid: <reason>: <message>`. */
export function validityLine(result: Pick<TokenValidationResult, 'valid' | 'reason' | 'message' | 'trust'>): string {
  if (result.valid) {
    if (result.trust === null) return 'valid';
    const via = result.trust.via === undefined ? '' : ` via ${oneLine(result.trust.via)}`;
    return `valid (trusted as ${oneLine(result.trust.kind)} ${oneLine(result.trust.id)}${via})`;
  }
  return ['invalid', result.reason, result.message].filter((part): part is string => part !== null && part !== '').map(oneLine).join(': ');
}

/** What follows `s2sctl: token is not valid` on stderr: the reason, else the message. */
export function invalidReason(result: Pick<TokenValidationResult, 'reason' | 'message'>): string {
  const reason = result.reason ?? result.message;
  return reason === null || reason === '' ? 'token is not valid' : `token is not valid: ${oneLine(reason)}`;
}

/** `upn=alice@contoso.com, sid=S-1-5-...`: the user the token acts for. */
export function formatUser(user: Readonly<Record<string, unknown>> | null): string | null {
  if (user === null) return null;
  const parts = Object.entries(user)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return parts.length === 0 ? null : parts.join(', ');
}

/** `key: <id> (found, <source>)`, or `key: none` when the token named no key. */
export function keyLine(key: TokenValidationResult['key']): string {
  if (key === null) return 'key: none';
  return `key: ${oneLine(key.id)} (${key.found ? 'found' : 'not found'}, ${oneLine(key.source)})`;
}

/** The `--explain` part: every check, then the key, the issuer metadata age and the clock difference. */
export function renderExplanation(formatter: OutputFormatter, result: TokenValidationResult): string {
  const checks =
    result.checks.length === 0
      ? 'checks: (none)\n'
      : formatter.table(
          ['CHECK', 'RESULT', 'DETAIL'],
          result.checks.map((check) => [check.check, check.passed ? 'pass' : 'FAIL', check.detail === null ? null : oneLine(check.detail)]),
        );
  const lines = [
    keyLine(result.key),
    `metadata fetched: ${result.issuerMetadataFetchedAt ?? 'never'}`,
    `clock difference: ${result.clockDifferenceSeconds === null ? 'unknown' : `${result.clockDifferenceSeconds} s`}`,
  ];
  return `${checks}${lines.join('\n')}\n`;
}

/**
 * The verdict on the first line; for a valid token who it is for (app id, roles, scopes, user);
 * with `explain`, after a blank line, {@link renderExplanation}.
 */
export function renderTokenValidation(formatter: OutputFormatter, result: TokenValidationResult, options: { readonly explain: boolean }): string {
  const verdict = `${validityLine(result)}\n`;
  const identity = result.valid
    ? formatter.keyValue([
        ['app-id', result.appId],
        ['roles', result.roles.join(', ')],
        ['scopes', result.scopes.join(', ')],
        ['user', formatUser(result.user)],
      ])
    : '';
  return options.explain ? `${verdict}${identity}\n${renderExplanation(formatter, result)}` : `${verdict}${identity}`;
}
