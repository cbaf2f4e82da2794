/**
 * A failure meant for the user. The CLI prints it as exactly one line, `s2sctl: <message>`, and
 * exits with {@link CliError.exitCode}; no stack trace, since the user cannot act on one.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** The text after `s2sctl: `; subclasses add context such as the API error code. */
  describe(): string {
    return this.message;
  }
}

/** The command line itself is wrong (bad or missing option); exit code 2 like commander's own. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/**
 * Thrown from an option's value parser. commander recognises the `code` and reports
 * "option '--x <v>' argument 'y' is invalid. <message>", which names the option for the user.
 */
export class InvalidOptionArgumentError extends UsageError {
  readonly code = 'commander.invalidArgument';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidOptionArgumentError';
  }
}

export const USAGE_EXIT_CODE = 2;
const PREFIX = 's2sctl: ';

/** Collapses whitespace runs containing newlines so a message can never span several lines. */
export function toSingleLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * The message of anything thrown. Duck-typed rather than `instanceof Error`: errors raised by
 * Node internals can come from another realm (e.g. under jest's VM modules).
 */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}

/** The one stderr line (with trailing newline) reporting `error`. */
export function formatErrorLine(error: unknown): string {
  const text = error instanceof CliError ? error.describe() : errorMessage(error);
  return `${PREFIX}${toSingleLine(text)}\n`;
}

/**
 * Rewrites commander's usage messages ("error: unknown option '--x'\n(Did you mean --y?)") into
 * the CLI's one-line format.
 */
export function formatUsageErrorLine(commanderText: string): string {
  const text = toSingleLine(commanderText).replace(/^error:\s*/i, '');
  return `${PREFIX}${text}\n`;
}

/**
 * commander signals usage errors and help/version display by throwing a `CommanderError` (we
 * install `exitOverride()`); its message has already been written by commander itself.
 */
export function isCommanderExit(error: unknown): error is Error & { exitCode: number; code: string } {
  const candidate = error as { name?: unknown; exitCode?: unknown } | null | undefined;
  return candidate?.name === 'CommanderError' && typeof candidate.exitCode === 'number';
}
