/**
 * Durations on the command line (`90`, `90s`, `5m`, `12h`, `1d`) and their display. The admin API
 * takes whole seconds, so that is what parsing produces.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
const DURATION_PATTERN = /^(\d+)([smhd]?)$/;

export const DURATION_SYNTAX = 'a whole number with an optional unit s, m, h or d, e.g. 90, 90s, 5m, 12h, 1d';

/** Integer seconds for `text`, or `undefined` when it is not a duration (the caller names the option). */
export function parseDurationSeconds(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** Shortest exact rendering: 43200 -> "12h", 300 -> "5m", 90 -> "90s". */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) return `${seconds}s`;
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
