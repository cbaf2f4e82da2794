import { Injectable } from '@nestjs/common';

/** What a table or key/value cell may hold; `null`/`undefined` render as `-`. */
export type CellValue = string | number | boolean | null | undefined;

const COLUMN_GAP = '  ';
const EMPTY_CELL = '-';

/**
 * Renders command results: aligned tables and key/value lists for humans, pretty JSON for
 * `-o json`. Returns text (always newline-terminated) instead of writing it, so it is trivially
 * testable and commands decide the stream.
 */
@Injectable()
export class OutputFormatter {
  /** The API body as-is, 2-space indented; the only thing `-o json` puts on stdout. */
  json(value: unknown): string {
    // An empty response (204) still yields valid JSON for scripts.
    return `${JSON.stringify(value ?? null, null, 2)}\n`;
  }

  /** Columns separated by two spaces, padded to the widest cell; no trailing spaces. */
  table(headers: readonly string[], rows: readonly (readonly CellValue[])[]): string {
    const cells = [headers.map(cell), ...rows.map((row) => headers.map((_, i) => cell(row[i])))];
    const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    return cells.map((row) => alignRow(row, widths)).join('');
  }

  /** `key  value` lines with the values aligned. */
  keyValue(entries: readonly (readonly [string, CellValue])[]): string {
    const width = Math.max(0, ...entries.map(([key]) => key.length));
    return entries.map(([key, value]) => alignRow([cell(key), cell(value)], [width, 0])).join('');
  }
}

function alignRow(row: readonly string[], widths: readonly number[]): string {
  return `${row.map((text, i) => (i === row.length - 1 ? text : text.padEnd(widths[i]))).join(COLUMN_GAP).trimEnd()}\n`;
}

/**
 * Values come from the server (names chosen by other admins); control characters are replaced so
 * they cannot break the layout or smuggle terminal escape sequences.
 */
function cell(value: CellValue): string {
  if (value === null || value === undefined || value === '') return EMPTY_CELL;
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Two spaces before every non-empty line: a table shown under a `heading:` line. */
export function indentLines(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}
