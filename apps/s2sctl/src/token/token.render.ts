import { indentLines } from '../common/output.formatter.js';
import type { DecodedJwt, DecodedTokenView, JsonObject } from './jwt.decoder.js';

/** Human rendering of `token decode` (`-o json` prints the {@link DecodedTokenView} instead). */

/** The time claims shown as ISO 8601 under the payload, in the order a token's life runs. */
export const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;
/** Microsoft S2S tokens may carry times as decimal strings (SPEC 5.9); accepted for display only. */
const DECIMAL_SECONDS = /^[0-9]{1,12}$/;

export const SIGNATURE_NOT_VERIFIED_LINE = 'signature: not verified (decode only)';

/** Seconds since the epoch from a numeric (or decimal-string) claim; `undefined` otherwise. */
export function claimSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && DECIMAL_SECONDS.test(value)) return Number(value);
  return undefined;
}

/** `exp: 2025-01-01T00:00:00.000Z (expired)` lines for the time claims the payload has. */
export function timeClaimLines(payload: JsonObject, now: Date): string[] {
  const lines: string[] = [];
  for (const claim of TIME_CLAIMS) {
    const seconds = claimSeconds(payload[claim]);
    if (seconds === undefined) continue;
    const time = new Date(seconds * 1000);
    if (Number.isNaN(time.getTime())) continue;
    let remark = '';
    if (claim === 'exp' && time.getTime() <= now.getTime()) remark = ' (expired)';
    if (claim === 'nbf' && time.getTime() > now.getTime()) remark = ' (not yet valid)';
    lines.push(`${claim}: ${time.toISOString()}${remark}`);
  }
  return lines;
}

function renderJwt(token: DecodedJwt, now: Date): string {
  const lines = [
    'header:',
    JSON.stringify(token.header, null, 2),
    'payload:',
    JSON.stringify(token.payload, null, 2),
    ...timeClaimLines(token.payload, now),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `header:` and `payload:` as pretty JSON, the time claims in ISO 8601, the nested actor token (if
 * any) indented under `actortoken:`, and a last line saying that nothing was verified.
 */
export function renderDecodedToken(view: DecodedTokenView, now: Date): string {
  const actor = view.actortoken === undefined ? '' : `actortoken:\n${indentLines(renderJwt(view.actortoken, now))}`;
  return `${renderJwt(view, now)}${actor}${SIGNATURE_NOT_VERIFIED_LINE}\n`;
}
