import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, UsageError } from './cli-errors.js';
import { MAX_INPUT_FILE_BYTES, readInputFile } from './input-file.reader.js';

describe('readInputFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's2sctl-input-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the bytes of a file up to the limit', async () => {
    const bytes = Buffer.from([0x30, 0x82, 0x00, 0xff]);
    writeFileSync(join(dir, 'cert.der'), bytes);
    await expect(readInputFile(join(dir, 'cert.der'), '--cert')).resolves.toEqual(bytes);
    writeFileSync(join(dir, 'exact'), Buffer.alloc(16, 1));
    await expect(readInputFile(join(dir, 'exact'), '--cert', 16)).resolves.toHaveLength(16);
  });

  it('accepts exactly 1 MiB by default and refuses one byte more, naming the option and the path', async () => {
    expect(MAX_INPUT_FILE_BYTES).toBe(1024 * 1024);
    writeFileSync(join(dir, 'max'), Buffer.alloc(MAX_INPUT_FILE_BYTES, 0x41));
    await expect(readInputFile(join(dir, 'max'), '--pfx')).resolves.toHaveLength(MAX_INPUT_FILE_BYTES);
    writeFileSync(join(dir, 'big'), Buffer.alloc(MAX_INPUT_FILE_BYTES + 1, 0x41));
    const error = await readInputFile(join(dir, 'big'), '--pfx').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`--pfx ${join(dir, 'big')} is larger than 1 MiB; is it the right file?`);
  });

  it('refuses an empty file', async () => {
    writeFileSync(join(dir, 'empty'), '');
    await expect(readInputFile(join(dir, 'empty'), '--key')).rejects.toThrow(new UsageError(`--key ${join(dir, 'empty')} is empty`));
  });

  it('reports a missing file or a directory as a CliError in plain words', async () => {
    await expect(readInputFile(join(dir, 'missing.pem'), '--cert')).rejects.toThrow(new CliError(`cannot read --cert ${join(dir, 'missing.pem')}: no such file`));
    mkdirSync(join(dir, 'sub'));
    await expect(readInputFile(join(dir, 'sub'), '--chain')).rejects.toThrow(new CliError(`cannot read --chain ${join(dir, 'sub')}: is a directory`));
  });

  it('never puts the file contents in its messages', async () => {
    const label = ['PRIVATE', 'KEY'].join(' ');
    const secret = `-----BEGIN ${label}-----\nc2VjcmV0\n-----END ${label}-----\n`;
    writeFileSync(join(dir, 'key.pem'), secret);
    const error = await readInputFile(join(dir, 'key.pem'), '--key', 8).catch((caught: unknown) => caught);
    expect((error as Error).message).not.toContain('PRIVATE');
    expect((error as Error).message).not.toContain('c2VjcmV0');
  });
});
