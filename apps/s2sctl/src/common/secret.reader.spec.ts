import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CliError } from './cli-errors.js';
import { readSecret, type SecretInput } from './secret.reader.js';

/** A PassThrough that claims to be a terminal, recording raw-mode switches. */
function fakeTerminal(): SecretInput & PassThrough & { setRawMode: jest.Mock<(mode: boolean) => unknown> } {
  const input = new PassThrough() as PassThrough & SecretInput & { setRawMode: jest.Mock<(mode: boolean) => unknown> };
  input.isTTY = true;
  input.setRawMode = jest.fn<(mode: boolean) => unknown>();
  return input;
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('readSecret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's2sctl-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, dropping one final line break but keeping other whitespace', async () => {
    writeFileSync(join(dir, 'pw'), ' pa ss \r\n');
    const input = fakeTerminal();
    await expect(readSecret({ file: join(dir, 'pw'), promptText: 'Password: ', input })).resolves.toBe(' pa ss ');
    // The file wins; the terminal is not touched.
    expect(input.setRawMode).not.toHaveBeenCalled();
  });

  it('reports an unreadable file as a CliError', async () => {
    await expect(readSecret({ file: join(dir, 'missing'), promptText: 'x' })).rejects.toThrow(new CliError(`cannot read ${join(dir, 'missing')}: no such file`));
  });

  it('reads all of stdin when it is not a terminal, without prompting', async () => {
    const output = collect();
    const input = Readable.from([Buffer.from('sec'), Buffer.from('ret\n')]) as Readable & SecretInput;
    await expect(readSecret({ promptText: 'Password: ', input, output: output.stream })).resolves.toBe('secret');
    expect(output.text()).toBe('');
  });

  it('prompts on a terminal with echo off, supports backspace and restores the terminal', async () => {
    const input = fakeTerminal();
    const output = collect();
    const secret = readSecret({ promptText: 'PFX password: ', input, output: output.stream });
    input.write('pa');
    input.write('x\u007fss');
    input.write('\r');
    await expect(secret).resolves.toBe('pass');
    expect(input.setRawMode.mock.calls).toEqual([[true], [false]]);
    // Only the prompt and the final newline are written: the typed characters are never echoed.
    expect(output.text()).toBe('PFX password: \n');
  });

  it('aborts on Ctrl-C with a CliError and restores the terminal', async () => {
    const input = fakeTerminal();
    const output = collect();
    const secret = readSecret({ promptText: 'Secret: ', input, output: output.stream });
    input.write('abc\u0003');
    await expect(secret).rejects.toThrow('aborted');
    expect(input.setRawMode.mock.calls).toEqual([[true], [false]]);
  });
});
