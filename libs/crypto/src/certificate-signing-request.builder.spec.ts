import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateSigningRequest, type CertificateSigningRequestOptions } from './certificate-signing-request.builder.js';
import { generateRsaKeyPair, type RsaKeyPairPem } from './rsa-key.generator.js';

describe('createCertificateSigningRequest', () => {
  let dir: string;
  let keyPair: RsaKeyPairPem;

  beforeAll(async () => {
    keyPair = await generateRsaKeyPair(2048);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-csr-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function build(overrides: Partial<CertificateSigningRequestOptions> = {}): string {
    return createCertificateSigningRequest({
      privateKeyPem: keyPair.privateKeyPem,
      subject: 'CN=s2s.contoso.com, O=Contoso',
      dnsNames: ['s2s.contoso.com', 'S2S-Backup.Contoso.com', '*.apps.contoso.com'],
      ...overrides,
    });
  }

  function openssl(args: string[], csrPem: string): string {
    const file = join(dir, 'request.csr');
    writeFileSync(file, csrPem);
    return execFileSync('openssl', args.map((a) => (a === '$CSR' ? file : a)), { encoding: 'utf8', stdio: 'pipe' });
  }

  it('produces a PKCS#10 CSR whose self-signature openssl verifies', () => {
    const pem = build();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\r?\n/);
    // `-verify` prints to stderr; execFileSync throws when openssl exits non-zero.
    expect(() => openssl(['req', '-in', '$CSR', '-noout', '-verify'], pem)).not.toThrow();
  });

  it('fails openssl verification once the signed content is altered (the check above can fail)', () => {
    const pem = build();
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('s2s.contoso.com'));
    expect(at).toBeGreaterThan(0);
    der[at] = 't'.charCodeAt(0);
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(() => openssl(['req', '-in', '$CSR', '-noout', '-verify'], tampered)).toThrow();
  });

  it('carries the subject, SHA-256 RSA signature and a subjectAltName extension request with every DNS name', () => {
    const text = openssl(['req', '-in', '$CSR', '-noout', '-text', '-nameopt', 'RFC2253'], build());
    expect(text).toMatch(/Subject: CN=s2s\.contoso\.com,O=Contoso\n/);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Requested Extensions:');
    expect(text).toMatch(
      /X509v3 Subject Alternative Name: ?\s+DNS:s2s\.contoso\.com, DNS:s2s-backup\.contoso\.com, DNS:\*\.apps\.contoso\.com\n/,
    );
  });

  it('encodes all supported attributes in ASN.1 order with C as PrintableString', () => {
    const pem = build({ subject: 'CN=host.example.test, OU=Ops\\, Platform, O=Grüße AG, L=Zürich, ST=ZH, c=ch' });
    const subject = openssl(['req', '-in', '$CSR', '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], pem);
    expect(subject.trim()).toBe('subject=CN=host.example.test,OU=Ops\\, Platform,O=Grüße AG,L=Zürich,ST=ZH,C=CH');
    const oneline = openssl(['req', '-in', '$CSR', '-noout', '-subject', '-nameopt', 'oneline,show_type'], pem);
    expect(oneline).toContain('C = PRINTABLESTRING:CH');
    expect(oneline).toContain('CN = UTF8STRING:host.example.test');
  });

  it('embeds the public key of the signing key pair', () => {
    const pubkey = openssl(['req', '-in', '$CSR', '-noout', '-pubkey'], build());
    expect(pubkey.replace(/\r\n/g, '\n').trim()).toBe(keyPair.publicKeyPem.replace(/\r\n/g, '\n').trim());
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(pubkey.trim()).not.toBe(other.publicKey.trim());
  });

  it('accepts a PKCS#1 private key too', () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => openssl(['req', '-in', '$CSR', '-noout', '-verify'], build({ privateKeyPem: privateKey }))).not.toThrow();
  });

  it.each([
    ['unknown attribute type', 'CN=a.example, E=admin@example.com', /Unsupported subject attribute type "E"; allowed: CN, O, OU, L, ST, C/],
    ['OID attribute type', 'CN=a.example, 2.5.4.5=123', /Unsupported subject attribute type "2\.5\.4\.5"/],
    ['missing =', 'CN=a.example, Contoso', /must be TYPE=value/],
    ['multi-valued RDN', 'CN=a.example+O=Contoso', /Multi-valued RDNs are not supported/],
    ['empty value', 'CN=, O=Contoso', /CN must be 1 to 64 characters/],
    ['too long CN', `CN=${'a'.repeat(65)}`, /CN must be 1 to 64 characters/],
    ['three-letter country', 'CN=a.example, C=CHE', /C must be 1 to 2 characters/],
    ['non-letter country', 'CN=a.example, C=1A', /two-letter ISO 3166/],
    ['unescaped =', 'CN=a=b', /must be escaped/],
    ['empty subject', '  ', /non-empty distinguished name/],
  ])('rejects a subject with %s', (_name, subject, message) => {
    expect(() => build({ subject })).toThrow(message);
  });

  it('rejects bad DNS names, an empty list, and non-RSA or unreadable keys', () => {
    expect(() => build({ dnsNames: [] })).toThrow(/at least one DNS name/);
    expect(() => build({ dnsNames: ['bad_name.example'] })).toThrow(/Invalid DNS name/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(() => build({ privateKeyPem: ec.privateKey })).toThrow(/must be an RSA key/);
    expect(() => build({ privateKeyPem: 'not a key' })).toThrow(/not a readable unencrypted PEM private key/);
  });
});
