import { readFile } from 'node:fs/promises';
import { CliError } from './cli-errors.js';
import { describeFsError } from './cli-settings.js';

/** The bits of stdin the reader uses; a parameter so tests can feed a fake terminal. */
export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface ReadSecretOptions {
  /** Value of a `--...-file` option; when set, the secret is read from this file only. */
  readonly file?: string;
  /** Shown on a terminal before reading, e.g. "PFX password: ". */
  readonly promptText: string;
  readonly input?: SecretInput;
  /** Where the prompt goes; stderr by default so stdout stays clean for `-o json`. */
  readonly output?: NodeJS.WritableStream;
}

/**
 * Reads a secret (PFX password, client secret) without it appearing on the command line, in
 * `ps` output or in shell history: from a file, from piped stdin, or by prompting on a terminal
 * without echo. One trailing line break is removed (files and pipes usually end with one); other
 * whitespace is kept because it may be part of the secret.
 */
export async function readSecret(options: ReadSecretOptions): Promise<string> {
  if (options.file !== undefined) {
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read ${options.file}: ${describeFsError(error)}`);
    }
    return stripFinalNewline(text);
  }
  const input = options.input ?? (process.stdin as SecretInput);
  const output = options.output ?? process.stderr;
  if (input.isTTY && typeof input.setRawMode === 'function') return promptWithoutEcho(input, output, options.promptText);
  return stripFinalNewline(await readAll(input));
}

function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Raw mode turns echo off; we then do the minimal line editing ourselves. */
function promptWithoutEcho(input: SecretInput, output: NodeJS.WritableStream, promptText: string): Promise<string> {
  return new Promise((resolvePromise, rejectPromise) => {
    let secret = '';
    output.write(promptText);
    input.setRawMode?.(true);
    input.setEncoding('utf8');

    const finish = (error?: Error): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) rejectPromise(error);
      else resolvePromise(secret);
    };
    const onData = (data: string | Buffer): void => {
      for (const char of data.toString()) {
        switch (char) {
          case '\r':
          case '\n':
          case '\u0004': // Ctrl-D
            finish();
            return;
          case '\u0003': // Ctrl-C: raw mode swallows SIGINT, so abort explicitly
            finish(new CliError('aborted', 130));
            return;
          case '\u007f': // Backspace / Delete
          case '\b':
            secret = [...secret].slice(0, -1).join('');
            break;
          default:
            if (char >= ' ') secret += char;
        }
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
