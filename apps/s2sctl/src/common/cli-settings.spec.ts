import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, UsageError } from './cli-errors.js';
import { normaliseServerUrl, resolveCliSettings, type CliEnvironment } from './cli-settings.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('resolveCliSettings', () => {
  let cwd: string;
  const environment = (env: Record<string, string | undefined> = {}): CliEnvironment => ({ env, cwd });

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 's2sctl-settings-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const writeBootstrapKey = (dataDir: string, content: string): void => {
    mkdirSync(join(cwd, dataDir), { recursive: true });
    writeFileSync(join(cwd, dataDir, 'bootstrap-admin.key'), content);
  };

  it('defaults to https://localhost:8443, table output and no key when nothing is configured', () => {
    const settings = resolveCliSettings({}, environment());
    expect(settings).toEqual({
      serverUrl: 'https://localhost:8443',
      adminKey: undefined,
      adminKeySource: undefined,
      bootstrapKeyFile: join(cwd, 'data', 'bootstrap-admin.key'),
      ca: undefined,
      output: 'table',
    });
  });

  it('trusts the server-generated localhost certificate by default only for a loopback server', () => {
    mkdirSync(join(cwd, 'certs'), { recursive: true });
    writeFileSync(join(cwd, 'certs', 'localhost-tls.crt'), PEM);
    expect(resolveCliSettings({}, environment()).ca?.toString()).toBe(PEM);
    expect(resolveCliSettings({ server: 'https://s2s.contoso.com' }, environment()).ca).toBeUndefined();
    mkdirSync(join(cwd, 'other'), { recursive: true });
    writeFileSync(join(cwd, 'other', 'ca.pem'), PEM.replace('MIIB', 'MIIC'));
    expect(resolveCliSettings({}, environment({ S2S_CA_FILE: 'other/ca.pem' })).ca?.toString()).toContain('MIIC');
    expect(resolveCliSettings({}, environment({ CERTS_DIR: 'nowhere' })).ca).toBeUndefined();
  });

  it('takes the server from S2S_SERVER, and --server over it', () => {
    expect(resolveCliSettings({}, environment({ S2S_SERVER: 'https://s2s.contoso.com/' })).serverUrl).toBe('https://s2s.contoso.com');
    expect(resolveCliSettings({ server: 'https://flag.example:9443' }, environment({ S2S_SERVER: 'https://env.example' })).serverUrl).toBe(
      'https://flag.example:9443',
    );
  });

  it('ignores empty environment variables like the server does', () => {
    writeBootstrapKey('data', 'boot');
    const settings = resolveCliSettings({}, environment({ S2S_SERVER: '  ', S2S_ADMIN_KEY: '' }));
    expect(settings.serverUrl).toBe('https://localhost:8443');
    expect(settings.adminKey).toBe('boot');
  });

  it('reads the bootstrap key file from ./data relative to the given cwd, trimmed', () => {
    writeBootstrapKey('data', '  s2sk.bootstrap\n');
    const settings = resolveCliSettings({}, environment());
    expect(settings.adminKey).toBe('s2sk.bootstrap');
    expect(settings.adminKeySource).toBe('bootstrap key file');
  });

  it('honours DATA_DIR for the bootstrap key file', () => {
    writeBootstrapKey('data', 'wrong');
    writeBootstrapKey('state', 's2sk.state');
    expect(resolveCliSettings({}, environment({ DATA_DIR: 'state' })).adminKey).toBe('s2sk.state');
    expect(resolveCliSettings({}, environment({ DATA_DIR: join(cwd, 'state') })).bootstrapKeyFile).toBe(join(cwd, 'state', 'bootstrap-admin.key'));
  });

  it('treats an empty bootstrap key file as no key', () => {
    writeBootstrapKey('data', '\n');
    expect(resolveCliSettings({}, environment()).adminKey).toBeUndefined();
  });

  it('prefers --admin-key, then --admin-key-file, then S2S_ADMIN_KEY, then the bootstrap file', () => {
    writeBootstrapKey('data', 'from-bootstrap');
    writeFileSync(join(cwd, 'key.txt'), 'from-file\n');
    const env = environment({ S2S_ADMIN_KEY: 'from-env' });
    expect(resolveCliSettings({ adminKey: 'from-flag' }, env)).toMatchObject({ adminKey: 'from-flag', adminKeySource: '--admin-key' });
    expect(resolveCliSettings({ adminKeyFile: 'key.txt' }, env)).toMatchObject({ adminKey: 'from-file', adminKeySource: '--admin-key-file' });
    expect(resolveCliSettings({}, env)).toMatchObject({ adminKey: 'from-env', adminKeySource: 'S2S_ADMIN_KEY' });
    expect(resolveCliSettings({}, environment())).toMatchObject({ adminKey: 'from-bootstrap', adminKeySource: 'bootstrap key file' });
  });

  it('rejects --admin-key together with --admin-key-file', () => {
    expect(() => resolveCliSettings({ adminKey: 'a', adminKeyFile: 'b' }, environment())).toThrow(UsageError);
  });

  it('reports an unreadable --admin-key-file without echoing any key', () => {
    const call = (): unknown => resolveCliSettings({ adminKeyFile: 'missing.key' }, environment());
    expect(call).toThrow(CliError);
    expect(call).toThrow(`cannot read admin key file ${join(cwd, 'missing.key')}: no such file`);
  });

  it('loads --ca-file relative to cwd and requires PEM content', () => {
    writeFileSync(join(cwd, 'ca.pem'), PEM);
    writeFileSync(join(cwd, 'ca.der'), Buffer.from([0x30, 0x82, 0x01]));
    expect(resolveCliSettings({ caFile: 'ca.pem' }, environment()).ca?.toString('utf8')).toBe(PEM);
    expect(() => resolveCliSettings({ caFile: 'ca.der' }, environment())).toThrow('contains no PEM certificate');
    expect(() => resolveCliSettings({ caFile: 'none.pem' }, environment())).toThrow(`cannot read CA file ${join(cwd, 'none.pem')}: no such file`);
  });

  it('accepts json output and rejects unknown formats', () => {
    expect(resolveCliSettings({ output: 'json' }, environment()).output).toBe('json');
    expect(() => resolveCliSettings({ output: 'yaml' }, environment())).toThrow(UsageError);
  });
});

describe('normaliseServerUrl', () => {
  it('keeps origin and base path without trailing slash', () => {
    expect(normaliseServerUrl('https://s2s.contoso.com:8443/', 'x')).toBe('https://s2s.contoso.com:8443');
    expect(normaliseServerUrl('https://proxy.contoso.com/s2s/', 'x')).toBe('https://proxy.contoso.com/s2s');
  });

  it('allows plain http only to loopback hosts', () => {
    expect(normaliseServerUrl('http://localhost:8080', 'x')).toBe('http://localhost:8080');
    expect(normaliseServerUrl('http://127.0.0.1:8080', 'x')).toBe('http://127.0.0.1:8080');
    expect(() => normaliseServerUrl('http://s2s.contoso.com', '--server')).toThrow(/plain http to a non-loopback host/);
  });

  it.each(['localhost:8443', 'ftp://host', 'https://user:pw@host', 'https://host/?a=1', 'not a url'])('rejects %s', (raw) => {
    expect(() => normaliseServerUrl(raw, '--server')).toThrow(UsageError);
  });
});
