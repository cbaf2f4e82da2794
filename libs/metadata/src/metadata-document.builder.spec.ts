import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IssuerKey, x5tOf } from '@s2s/certificates';
import { certificateDerBase64, certificatePublicJwk, certificatePublicKey } from '@s2s/crypto';
import { buildMetadataDocument, METADATA_NAME } from './metadata-document.builder.js';

const PUBLIC_URL = 'https://s2s.contoso.com';

/** What openssl says about one certificate file. */
interface OpenSslFacts {
  pem: string;
  derBase64: string;
  /** base64url of the SHA-1 of the DER. */
  x5t: string;
}

describe('buildMetadataDocument', () => {
  let dir: string;
  let current: IssuerKey;
  let next: IssuerKey;
  let previous: IssuerKey;
  const facts = new Map<string, OpenSslFacts>();

  function openssl(args: string[]): Buffer {
    return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  }

  function hexFingerprint(file: string, digest: 'sha1' | 'sha256'): string {
    return openssl(['x509', '-in', file, '-noout', '-fingerprint', `-${digest}`]).toString().replace(/^.*=/, '').replace(/[:\s]/g, '');
  }

  /** A self-signed certificate made by openssl, turned into an IssuerKey the way the key ring does. */
  function issuerKey(name: string, chainFiles: string[] = []): IssuerKey {
    const certFile = join(dir, `${name}.crt`);
    const derFile = join(dir, `${name}.der`);
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${name}.key`), '-out', certFile, '-days', '30', '-subj', `/CN=${name}.contoso.com`]);
    openssl(['x509', '-in', certFile, '-outform', 'der', '-out', derFile]);
    const pem = readFileSync(certFile, 'utf8');
    const thumbprint = hexFingerprint(certFile, 'sha1');
    facts.set(name, {
      pem,
      derBase64: readFileSync(derFile).toString('base64'),
      x5t: openssl(['dgst', '-sha1', '-binary', derFile]).toString('base64url'),
    });
    const chainPems = chainFiles.map((file) => readFileSync(file, 'utf8'));
    return {
      thumbprint,
      thumbprintSha256: hexFingerprint(certFile, 'sha256'),
      x5t: x5tOf(thumbprint),
      x5tS256: x5tOf(hexFingerprint(certFile, 'sha256')),
      subject: `CN=${name}.contoso.com`,
      dnsNames: ['contoso.com'],
      notBefore: new Date('2026-11-01T00:00:00Z'),
      notAfter: new Date('2027-11-01T00:00:00Z'),
      x5c: [pem, ...chainPems].map(certificateDerBase64),
      publicJwk: certificatePublicJwk(pem),
      publicKey: certificatePublicKey(pem),
      privateKey: null,
    };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-metadata-'));
    const caFile = join(dir, 'ca.crt');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', caFile, '-days', '30', '-subj', '/CN=Contoso CA']);
    current = issuerKey('current', [caFile]);
    next = issuerKey('next');
    previous = issuerKey('previous');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function expectedKey(name: string): unknown {
    const fact = facts.get(name)!;
    return { usage: 'signing', keyinfo: { x5t: fact.x5t }, keyvalue: { type: 'x509Certificate', value: fact.derBase64 } };
  }

  it('builds the Exchange-shaped document with the keys in the given order', () => {
    const document = buildMetadataDocument({ serviceName: '00000005-0000-0000-c000-000000000000', realm: 'contoso.com', publicUrl: PUBLIC_URL, keys: [current, next, previous] });
    expect(document).toEqual({
      id: '_00000005-0000-0000-c000-000000000000',
      version: '1.0',
      name: METADATA_NAME,
      realm: 'contoso.com',
      serviceName: '00000005-0000-0000-c000-000000000000',
      issuer: '00000005-0000-0000-c000-000000000000@contoso.com',
      allowedAudiences: ['00000005-0000-0000-c000-000000000000@contoso.com'],
      keys: [expectedKey('current'), expectedKey('next'), expectedKey('previous')],
      endpoints: [
        { location: 'https://s2s.contoso.com/metadata/json/1', protocol: 'OAuth2', usage: 'metadata' },
        { location: 'https://s2s.contoso.com/oauth2/token', protocol: 'OAuth2', usage: 'issuance' },
      ],
    });
    expect(METADATA_NAME).toBe('s2s-trust');
  });

  it('publishes x5t as the 27-character base64url SHA-1 of the DER, and only the leaf in keyvalue (not the chain)', () => {
    const document = buildMetadataDocument({ serviceName: 'svc', realm: 'contoso.com', publicUrl: PUBLIC_URL, keys: [current] });
    const [key] = document.keys;
    expect(key!.keyinfo.x5t).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(key!.keyinfo.x5t).toBe(facts.get('current')!.x5t);
    expect(key!.keyvalue.value).toBe(facts.get('current')!.derBase64);
    expect(current.x5c).toHaveLength(2);
    expect(key!.keyvalue.value).not.toBe(current.x5c[1]);
  });

  it('keeps the order it is given (previous-first stays previous-first)', () => {
    const document = buildMetadataDocument({ serviceName: 'svc', realm: 'contoso.com', publicUrl: PUBLIC_URL, keys: [previous, current] });
    expect(document.keys.map((key) => key.keyinfo.x5t)).toEqual([facts.get('previous')!.x5t, facts.get('current')!.x5t]);
  });

  it('has a null issuer and no audiences while no realm is configured', () => {
    const document = buildMetadataDocument({ serviceName: 'svc', realm: null, publicUrl: PUBLIC_URL, keys: [] });
    expect(document.realm).toBeNull();
    expect(document.issuer).toBeNull();
    expect(document.allowedAudiences).toEqual([]);
    expect(document.keys).toEqual([]);
    expect(document.id).toBe('_svc');
  });

  it('does not double the slash when PUBLIC_URL ends with one', () => {
    const document = buildMetadataDocument({ serviceName: 'svc', realm: 'contoso.com', publicUrl: 'https://s2s.contoso.com:8443/base//', keys: [] });
    expect(document.endpoints.map((endpoint) => endpoint.location)).toEqual([
      'https://s2s.contoso.com:8443/base/metadata/json/1',
      'https://s2s.contoso.com:8443/base/oauth2/token',
    ]);
  });
});
