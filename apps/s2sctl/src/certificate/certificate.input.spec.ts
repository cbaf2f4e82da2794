import { UsageError } from '../common/cli-errors.js';
import {
  buildAssignmentBody,
  buildCompletionBody,
  buildNewKeyBody,
  buildPemImportBody,
  buildSelfSignedBody,
  certificateFromFile,
  chainFromFile,
  detectCertificateEncoding,
  importKind,
  pfxFromFile,
  privateKeyFromFile,
  type InputFile,
} from './certificate.input.js';

// Synthetic PEM blocks: the helpers look at armour and the first DER byte, not at ASN.1 contents.
const pem = (label: string, body: string, eol = '\n'): string => `-----BEGIN ${label}-----${eol}${body}${eol}-----END ${label}-----`;
const LEAF = pem('CERTIFICATE', 'TEFBRg==');
const INTERMEDIATE = pem('CERTIFICATE', 'SU5URVI=');
const ROOT = pem('CERTIFICATE', 'Uk9PVA==');
const KEY = pem('PRIVATE KEY', 'S0VZLXNlY3JldA==');
const RSA_KEY = pem('RSA PRIVATE KEY', 'UlNBLXNlY3JldA==');
const DER = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x01]);

const file = (option: string, content: string | Buffer, path = `${option.slice(2)}.file`): InputFile => ({
  option,
  path,
  bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
});

/** Runs `fn` expecting a UsageError and returns its message. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('detectCertificateEncoding', () => {
  it.each([
    ['PEM', Buffer.from(`${LEAF}\n`), 'pem'],
    ['PEM with CRLF line ends and text before the armour', Buffer.from(`Subject: CN=x\r\n${pem('CERTIFICATE', 'TEFBRg==', '\r\n')}\r\n`), 'pem'],
    ['DER (.cer), by its leading SEQUENCE byte', DER, 'der'],
    ['base64 of DER without armour', Buffer.from(`${DER.toString('base64')}\n`), 'base64-der'],
    ['PEM that holds only a CSR', Buffer.from(pem('CERTIFICATE REQUEST', 'Q1NS')), 'pem-without-certificate'],
    ['PEM that holds only a key', Buffer.from(KEY), 'pem-without-certificate'],
    ['text', Buffer.from('hello'), 'unknown'],
    ['binary that is not ASN.1', Buffer.from([0x00, 0x01]), 'unknown'],
  ] as const)('%s -> %s', (_case, bytes, expected) => {
    expect(detectCertificateEncoding(bytes)).toBe(expected);
  });
});

describe('certificateFromFile', () => {
  it('sends a PEM certificate as PEM text', () => {
    expect(certificateFromFile(file('--cert', `${LEAF}\n`))).toEqual({ certificate: `${LEAF}\n` });
  });

  it('sends DER as base64, and base64 DER without its line breaks', () => {
    expect(certificateFromFile(file('--cert', DER))).toEqual({ certificate: DER.toString('base64') });
    const wrapped = `${DER.toString('base64').slice(0, 4)}\r\n${DER.toString('base64').slice(4)}\n`;
    expect(certificateFromFile(file('--cert', wrapped))).toEqual({ certificate: DER.toString('base64') });
  });

  it('splits a fullchain file: the first certificate, then the rest as the chain', () => {
    expect(certificateFromFile(file('--cert', `${LEAF}\n${INTERMEDIATE}\n${ROOT}\n`))).toEqual({
      certificate: `${LEAF}\n`,
      chainInFile: `${INTERMEDIATE}\n${ROOT}\n`,
    });
  });

  it('takes only the certificate blocks of a file that also holds the private key', () => {
    const result = certificateFromFile(file('--cert', `${KEY}\n${LEAF}\n`));
    expect(result).toEqual({ certificate: `${LEAF}\n` });
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });

  it('refuses a CSR with a hint, and other PEM or unknown content, without quoting the file', () => {
    expect(usageMessage(() => certificateFromFile(file('--cert', pem('CERTIFICATE REQUEST', 'Q1NS'), 's2s.csr')))).toBe(
      '--cert s2s.csr is a certificate request (CSR), not a certificate: give the certificate the CA issued for it',
    );
    const keyOnly = usageMessage(() => certificateFromFile(file('--cert', KEY, 'key.pem')));
    expect(keyOnly).toBe('--cert key.pem holds no PEM certificate');
    expect(usageMessage(() => certificateFromFile(file('--cert', 'hello', 'notes.txt')))).toBe('--cert notes.txt is neither a PEM nor a DER certificate');
  });
});

describe('chainFromFile', () => {
  it('keeps every certificate and drops anything else', () => {
    expect(chainFromFile(file('--chain', `${INTERMEDIATE}\n${KEY}\n${ROOT}`))).toBe(`${INTERMEDIATE}\n${ROOT}\n`);
  });

  it('refuses a file without PEM certificates (DER chains are not accepted by the API)', () => {
    expect(usageMessage(() => chainFromFile(file('--chain', DER, 'ca.der')))).toBe(
      '--chain ca.der holds no PEM certificate (a chain file is PEM, one or more certificates)',
    );
  });
});

describe('privateKeyFromFile', () => {
  it.each([
    ['PKCS#8', KEY],
    ['PKCS#1 (RSA)', RSA_KEY],
  ])('returns the %s key block alone', (_case, key) => {
    expect(privateKeyFromFile(file('--key', `${LEAF}\n${key}\n`))).toBe(`${key}\n`);
  });

  const refusals: readonly (readonly [string, string | Buffer, string])[] = [
    ['an encrypted PKCS#8 key', pem('ENCRYPTED PRIVATE KEY', 'RU5D'), 'is password-protected'],
    ['a legacy encrypted PEM key', pem('RSA PRIVATE KEY', 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nRU5D'), 'is password-protected'],
    ['a DER key', DER, 'looks like a DER key; convert it to PEM first'],
    ['a certificate', LEAF, 'holds no PEM private key'],
    ['two keys', `${KEY}\n${RSA_KEY}`, 'holds 2 private keys'],
  ];
  it.each(refusals)('refuses %s without quoting the key', (_case, content, reason) => {
    const message = usageMessage(() => privateKeyFromFile(file('--key', content, 'k.pem')));
    expect(message).toContain(`--key k.pem ${reason}`);
    expect(message).not.toMatch(/PRIVATE KEY|S0VZ|UlNB|RU5D/);
  });
});

describe('pfxFromFile', () => {
  it('base64-encodes the PKCS#12 bytes', () => {
    expect(pfxFromFile(file('--pfx', DER))).toBe(DER.toString('base64'));
  });

  it('refuses PEM (pointing at --cert/--key) and non-ASN.1 content', () => {
    expect(usageMessage(() => pfxFromFile(file('--pfx', `${LEAF}\n${KEY}`, 'both.pem')))).toBe(
      '--pfx both.pem is a PEM file, not a PFX; import PEM files with --cert and --key',
    );
    expect(usageMessage(() => pfxFromFile(file('--pfx', 'password123', 'x.pfx')))).toBe('--pfx x.pfx is not a PKCS#12 (PFX) file');
  });
});

describe('importKind', () => {
  it('accepts --pfx [--password-file] and --cert --key [--chain]', () => {
    expect(importKind({ pfx: 'a.pfx' })).toBe('pfx');
    expect(importKind({ pfx: 'a.pfx', passwordFile: 'pw' })).toBe('pfx');
    expect(importKind({ cert: 'c.pem', key: 'k.pem' })).toBe('pem');
    expect(importKind({ cert: 'c.pem', key: 'k.pem', chain: 'ca.pem' })).toBe('pem');
  });

  it.each([
    [{}, 'nothing to import: give --pfx <file>, or --cert <file> with --key <file> (see s2sctl certificate import --help)'],
    [{ pfx: 'a.pfx', cert: 'c.pem' }, '--pfx cannot be combined with --cert: a PFX already holds the certificate, its key and chain'],
    [{ pfx: 'a.pfx', key: 'k.pem', chain: 'ca.pem' }, '--pfx cannot be combined with --key, --chain: a PFX already holds the certificate, its key and chain'],
    [{ key: 'k.pem' }, '--key needs --cert: give the certificate that goes with the key'],
    [{ cert: 'c.pem' }, '--cert needs --key: import takes a certificate with its private key (to finish a CSR made here, use s2sctl certificate complete)'],
    [{ cert: 'c.pem', key: 'k.pem', passwordFile: 'pw' }, '--password-file goes with --pfx; --key takes an unencrypted PEM key, which has no password'],
  ])('refuses %j', (options, message) => {
    expect(usageMessage(() => importKind(options))).toBe(message);
  });
});

describe('buildPemImportBody and buildCompletionBody', () => {
  it('builds {certificate, privateKey} and adds chain only when there is one', () => {
    expect(buildPemImportBody({ cert: file('--cert', LEAF), key: file('--key', KEY) })).toEqual({ certificate: `${LEAF}\n`, privateKey: `${KEY}\n` });
    expect(buildPemImportBody({ cert: file('--cert', DER), key: file('--key', KEY), chain: file('--chain', INTERMEDIATE) })).toEqual({
      certificate: DER.toString('base64'),
      privateKey: `${KEY}\n`,
      chain: `${INTERMEDIATE}\n`,
    });
  });

  it('accepts one file holding key, certificate and chain as both --cert and --key', () => {
    const bundle = `${KEY}\n${LEAF}\n${INTERMEDIATE}\n`;
    expect(buildPemImportBody({ cert: file('--cert', bundle), key: file('--key', bundle) })).toEqual({
      certificate: `${LEAF}\n`,
      privateKey: `${KEY}\n`,
      chain: `${INTERMEDIATE}\n`,
    });
  });

  it('refuses a chain both inside --cert and in --chain', () => {
    expect(usageMessage(() => buildCompletionBody({ cert: file('--cert', `${LEAF}\n${INTERMEDIATE}`, 'full.pem'), chain: file('--chain', ROOT) }))).toBe(
      '--cert full.pem holds several certificates and --chain was given too: give the certificate alone with --cert',
    );
  });

  it('completion bodies carry no key', () => {
    expect(buildCompletionBody({ cert: file('--cert', DER) })).toEqual({ certificate: DER.toString('base64') });
    expect(buildCompletionBody({ cert: file('--cert', LEAF), chain: file('--chain', `${INTERMEDIATE}\n${ROOT}`) })).toEqual({
      certificate: `${LEAF}\n`,
      chain: `${INTERMEDIATE}\n${ROOT}\n`,
    });
  });
});

describe('buildNewKeyBody and buildSelfSignedBody', () => {
  it('sends the realms and only the optional fields given', () => {
    expect(buildNewKeyBody({ realm: ['contoso.com'] })).toEqual({ realms: ['contoso.com'] });
    expect(buildNewKeyBody({ realm: ['contoso.com', 'fabrikam.com'], dnsName: ['s2s.contoso.com'], keySize: 4096, subject: 'CN=s2s, O=Contoso' })).toEqual({
      realms: ['contoso.com', 'fabrikam.com'],
      dnsNames: ['s2s.contoso.com'],
      keySize: 4096,
      subject: 'CN=s2s, O=Contoso',
    });
    expect(buildSelfSignedBody({ realm: ['contoso.com'], days: 30 })).toEqual({ realms: ['contoso.com'], days: 30 });
    expect(buildSelfSignedBody({ realm: ['contoso.com'] })).toEqual({ realms: ['contoso.com'] });
  });

  it('needs at least one realm', () => {
    expect(usageMessage(() => buildNewKeyBody({ dnsName: ['x'] }))).toMatch(/^give at least one --realm/);
  });
});

describe('buildAssignmentBody', () => {
  const thumbprint = '9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01';

  it('assigns now with the thumbprint alone', () => {
    expect(buildAssignmentBody({ thumbprint })).toEqual({ thumbprint });
  });

  it('rolls with roll: true and the effective date', () => {
    expect(buildAssignmentBody({ thumbprint, roll: true, effectiveDate: '2025-03-01T08:00:00.000Z' })).toEqual({
      thumbprint,
      roll: true,
      effectiveDate: '2025-03-01T08:00:00.000Z',
    });
  });

  it('refuses --roll without --effective-date and the reverse', () => {
    expect(usageMessage(() => buildAssignmentBody({ thumbprint, roll: true }))).toMatch(/^--roll needs --effective-date/);
    expect(usageMessage(() => buildAssignmentBody({ thumbprint, effectiveDate: '2025-03-01T08:00:00.000Z' }))).toMatch(/^--effective-date needs --roll/);
  });
});
