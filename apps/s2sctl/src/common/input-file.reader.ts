import { open } from 'node:fs/promises';
import { CliError, UsageError } from './cli-errors.js';
import { describeFsError } from './cli-settings.js';

/**
 * Upper bound for files uploaded by a command (certificates, keys, chains, PFX). They are a few
 * KiB; anything near this size is the wrong file, better refused before it is read and sent.
 */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/**
 * Reads a file named by an option (`--cert`, `--pfx`, ...) to send it to the server. At most
 * `maxBytes` are read: a larger (or endless) input is refused with a usage error rather than
 * loaded into memory. Pipes work too (`--cert <(...)`), since nothing relies on the file size.
 *
 * Messages name the option and the path, never the contents: the file may hold a private key.
 */
export async function readInputFile(path: string, option: string, maxBytes: number = MAX_INPUT_FILE_BYTES): Promise<Buffer> {
  const unreadable = (error: unknown): CliError => new CliError(`cannot read ${option} ${path}: ${describeFsError(error)}`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(error);
  }
  // One byte more than allowed tells "exactly the limit" from "over it".
  const buffer = Buffer.alloc(maxBytes + 1);
  let length = 0;
  try {
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
  } catch (error) {
    throw unreadable(error);
  } finally {
    await handle.close();
  }
  try {
    if (length > maxBytes) throw new UsageError(`${option} ${path} is larger than ${formatBytes(maxBytes)}; is it the right file?`);
    if (length === 0) throw new UsageError(`${option} ${path} is empty`);
    return Buffer.from(buffer.subarray(0, length));
  } finally {
    // The copy returned is all the caller needs; do not leave key material in a spare buffer.
    buffer.fill(0);
  }
}

function formatBytes(bytes: number): string {
  const mebibyte = 1024 * 1024;
  return bytes % mebibyte === 0 ? `${bytes / mebibyte} MiB` : `${bytes} bytes`;
}
