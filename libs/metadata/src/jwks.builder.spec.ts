import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, type JsonWebKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IssuerKey, x5tOf } from '@s2s/certificates';
import { certificateDerBase64, certificatePublicJwk, certificatePublicKey } from '@s2s/crypto';
import { buildJwks } from './jwks.builder.js';

/** What openssl says about one certificate, computed without the code under test. */
interface OpenSslFacts {
  keyFile: string;
  derBase64: string;
  x5t: string;
  x5tS256: string;
}

describe('buildJwks', () => {
  let dir: string;
  let caDerBase64: string;
  let current: IssuerKey;
  let next: IssuerKey;
  const facts = new Map<string, OpenSslFacts>();

  function openssl(args: string[]): Buffer {
    return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  }

  function hexFingerprint(file: string, digest: 'sha1' | 'sha256'): string {
    return openssl(['x509', '-in', file, '-noout', '-fingerprint', `-${digest}`]).toString().replace(/^.*=/, '').replace(/[:\s]/g, '');
  }

  /** An openssl certificate turned into an IssuerKey the way the key ring does. */
  function issuerKey(name: string, chainFiles: string[] = []): IssuerKey {
    const certFile = join(dir, `${name}.crt`);
    const keyFile = join(dir, `${name}.key`);
    const derFile = join(dir, `${name}.der`);
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${name}.contoso.com`]);
    openssl(['x509', '-in', certFile, '-outform', 'der', '-out', derFile]);
    facts.set(name, {
      keyFile,
      derBase64: readFileSync(derFile).toString('base64'),
      x5t: openssl(['dgst', '-sha1', '-binary', derFile]).toString('base64url'),
      x5tS256: openssl(['dgst', '-sha256', '-binary', derFile]).toString('base64url'),
    });
    const pem = readFileSync(certFile, 'utf8');
    return {
      thumbprint: hexFingerprint(certFile, 'sha1'),
      thumbprintSha256: hexFingerprint(certFile, 'sha256'),
      x5t: x5tOf(hexFingerprint(certFile, 'sha1')),
      x5tS256: x5tOf(hexFingerprint(certFile, 'sha256')),
      subject: `CN=${name}.contoso.com`,
      dnsNames: ['contoso.com'],
      notBefore: new Date('2026-11-01T00:00:00Z'),
      notAfter: new Date('2027-11-01T00:00:00Z'),
      x5c: [pem, ...chainFiles.map((file) => readFileSync(file, 'utf8'))].map(certificateDerBase64),
      publicJwk: certificatePublicJwk(pem),
      publicKey: certificatePublicKey(pem),
      privateKey: null,
    };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-jwks-'));
    const caFile = join(dir, 'ca.crt');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', caFile, '-days', '30', '-subj', '/CN=Contoso CA']);
    caDerBase64 = openssl(['x509', '-in', caFile, '-outform', 'der']).toString('base64');
    current = issuerKey('current', [caFile]);
    next = issuerKey('next');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes every key in the given order with kid = x5t, x5t#S256, x5c, use sig and alg RS256', () => {
    const jwks = buildJwks([current, next]);
    const currentFacts = facts.get('current')!;
    const nextFacts = facts.get('next')!;
    expect(jwks).toEqual({
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          alg: 'RS256',
          kid: currentFacts.x5t,
          x5t: currentFacts.x5t,
          'x5t#S256': currentFacts.x5tS256,
          x5c: [currentFacts.derBase64, caDerBase64],
          n: current.publicJwk.n,
          e: 'AQAB',
        },
        {
          kty: 'RSA',
          use: 'sig',
          alg: 'RS256',
          kid: nextFacts.x5t,
          x5t: nextFacts.x5t,
          'x5t#S256': nextFacts.x5tS256,
          x5c: [nextFacts.derBase64],
          n: next.publicJwk.n,
          e: 'AQAB',
        },
      ],
    });
    expect(buildJwks([next, current]).keys.map((key) => key.kid)).toEqual([nextFacts.x5t, currentFacts.x5t]);
  });

  it('publishes an empty set when no key is assigned', () => {
    expect(buildJwks([])).toEqual({ keys: [] });
  });

  it('publishes a key whose n/e are those of the certificate in x5c[0]', () => {
    const [jwk] = buildJwks([current]).keys;
    const fromX5c = new X509Certificate(Buffer.from(jwk!.x5c[0]!, 'base64')).publicKey.export({ format: 'jwk' });
    expect({ kty: jwk!.kty, n: jwk!.n, e: jwk!.e }).toEqual(fromX5c);
    // x5c[0] is the leaf, not the CA.
    expect(new X509Certificate(Buffer.from(jwk!.x5c[0]!, 'base64')).subject).toBe('CN=current.contoso.com');
  });

  it('verifies an RS256 signature made with the certificate private key, and rejects one made with another key', () => {
    const [jwk] = JSON.parse(JSON.stringify(buildJwks([current]))).keys as (JsonWebKey & { kid: string })[];
    // The published JWK as a JSON consumer sees it, extra members (kid, x5c, …) included.
    const publicKey = createPublicKey({ key: jwk!, format: 'jwk' });
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: jwk!.kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: '00000005-0000-0000-c000-000000000000@contoso.com' })).toString('base64url');
    const signingInput = Buffer.from(`${header}.${payload}`);

    const signature = sign('sha256', signingInput, createPrivateKey(readFileSync(facts.get('current')!.keyFile)));
    expect(verify('sha256', signingInput, publicKey, signature)).toBe(true);

    const otherSignature = sign('sha256', signingInput, createPrivateKey(readFileSync(facts.get('next')!.keyFile)));
    expect(verify('sha256', signingInput, publicKey, otherSignature)).toBe(false);
  });
});
