import { createRequire } from 'node:module';
import { addGlobalOptions, collectGlobalOptions, type CliCommand } from './global-options.js';

// nest-commander bundles its own commander major; test against that one, not the top-level package.
const requireFromHere = createRequire(import.meta.url);
const requireFromNestCommander = createRequire(requireFromHere.resolve('nest-commander'));
const { Command } = requireFromNestCommander('commander') as { Command: new (name?: string) => CliCommand };

/** s2sctl > group > leaf (leaf with its own --realm option), every level with the global options. */
function buildTree(): { root: CliCommand; leaf: () => CliCommand | undefined } {
  let ran: CliCommand | undefined;
  const root = new Command('s2sctl');
  const group = new Command('oauth-configuration');
  const leaf = new Command('set');
  leaf.option('--realm <realm>', 'realm');
  leaf.action(() => {
    ran = leaf;
  });
  group.addCommand(leaf);
  root.addCommand(group);
  for (const command of [root, group, leaf]) {
    addGlobalOptions(command);
    command.exitOverride();
    command.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  }
  return { root, leaf: () => ran };
}

async function parse(args: string[]): Promise<{ globals: ReturnType<typeof collectGlobalOptions>; leaf: CliCommand }> {
  const { root, leaf } = buildTree();
  await root.parseAsync(args, { from: 'user' });
  const ran = leaf();
  if (!ran) throw new Error('leaf command did not run');
  return { globals: collectGlobalOptions(ran), leaf: ran };
}

describe('global options', () => {
  it('are accepted before the subcommands', async () => {
    const { globals } = await parse(['--server', 'https://a', '-o', 'json', 'oauth-configuration', 'set', '--realm', 'r']);
    expect(globals).toEqual({ server: 'https://a', output: 'json' });
  });

  it('are accepted after the subcommand', async () => {
    const { globals } = await parse(['oauth-configuration', 'set', '--server', 'https://b', '-o', 'json', '--ca-file', 'ca.pem']);
    expect(globals).toEqual({ server: 'https://b', output: 'json', caFile: 'ca.pem' });
  });

  it('are accepted after an option of the subcommand', async () => {
    const { globals, leaf } = await parse(['oauth-configuration', 'set', '--realm', 'r', '--server', 'https://c', '--admin-key-file', 'k']);
    expect(globals).toEqual({ server: 'https://c', adminKeyFile: 'k' });
    expect(leaf.opts()).toMatchObject({ realm: 'r' });
  });

  it('are accepted on the intermediate group command', async () => {
    const { globals } = await parse(['oauth-configuration', '--admin-key', 'k1', 'set', '--realm', 'r']);
    expect(globals).toEqual({ adminKey: 'k1' });
  });

  it('prefer the value held by the most specific command', async () => {
    const { leaf } = await parse(['--server', 'https://root', 'oauth-configuration', 'set', '--realm', 'r']);
    leaf.setOptionValue('server', 'https://leaf');
    expect(collectGlobalOptions(leaf)).toEqual({ server: 'https://leaf' });
  });

  it('report nothing when none is given, so defaults come from the environment', async () => {
    const { globals } = await parse(['oauth-configuration', 'set', '--realm', 'r']);
    expect(globals).toEqual({});
  });

  it('reject an unknown output format as a usage error naming the option', async () => {
    const { root } = buildTree();
    await expect(root.parseAsync(['oauth-configuration', 'set', '-o', 'yaml'], { from: 'user' })).rejects.toMatchObject({
      code: 'commander.invalidArgument',
      message: expect.stringContaining("option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are table, json."),
    });
  });
});
