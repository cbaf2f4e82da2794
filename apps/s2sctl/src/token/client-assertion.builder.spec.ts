import { execFileSync } from 'node:child_process';
import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSelfSignedCertificate, type SelfSignedCertificate } from '../../test/tls-stub.server.js';
import type { InputFile } from '../certificate/certificate.input.js';
import { UsageError } from '../common/cli-errors.js';
import { ASSERTION_LIFETIME_SECONDS, buildClientAssertion, certificateX5t, loadAssertionSigner } from './client-assertion.builder.js';

const CLIENT_ID = '6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b';
const ISSUER = 'https://s2s.contoso.com';
/** 2025-01-31T12:00:00Z, frozen. */
const NOW = new Date('2025-01-31T12:00:00.000Z');

function file(option: string, path: string): InputFile {
  return { option, path, bytes: readFileSync(path) };
}

/** The JSON of a base64url segment. */
function segment(text: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('client assertion (private_key_jwt)', () => {
  /** Certificate and RSA key made by the openssl CLI, not by the code under test. */
  let issued: SelfSignedCertificate;
  let other: SelfSignedCertificate;

  beforeAll(() => {
    issued = generateSelfSignedCertificate('daemon.contoso.com');
    other = generateSelfSignedCertificate('other.contoso.com');
  });
  afterAll(() => {
    for (const made of [issued, other]) if (made) rmSync(made.dir, { recursive: true, force: true });
  });

  it('x5t is the base64url SHA-1 of the DER, as openssl computes it', () => {
    const opensslDigest = execFileSync('sh', ['-c', `openssl x509 -in "${issued.certFile}" -outform der | openssl dgst -sha1 -binary`]);
    expect(opensslDigest).toHaveLength(20);
    const der = new X509Certificate(issued.cert).raw;
    expect(certificateX5t(der)).toBe(opensslDigest.toString('base64url'));
  });

  it('is an RS256 JWT that verifies with the certificate public key (node:crypto) and carries iss = sub = client id, aud = issuer', async () => {
    const signer = loadAssertionSigner(file('--cert', issued.certFile), file('--key', issued.keyFile));
    const assertion = await buildClientAssertion({ clientId: CLIENT_ID, audience: ISSUER, signer, now: NOW, jti: 'jti-1' });

    const [header, payload, signature, ...rest] = assertion.split('.');
    expect(rest).toHaveLength(0);
    const publicKey = createPublicKey(issued.cert);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    // A changed payload no longer verifies: the check above can fail.
    const tampered = Buffer.from(JSON.stringify({ ...segment(payload), sub: 'someone-else' })).toString('base64url');
    expect(verify('sha256', Buffer.from(`${header}.${tampered}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(false);

    const opensslX5t = execFileSync('sh', ['-c', `openssl x509 -in "${issued.certFile}" -outform der | openssl dgst -sha1 -binary`]).toString('base64url');
    expect(segment(header)).toEqual({ alg: 'RS256', typ: 'JWT', x5t: opensslX5t, kid: opensslX5t });
    const claims = segment(payload);
    expect(claims).toEqual({
      jti: 'jti-1',
      iss: CLIENT_ID,
      sub: CLIENT_ID,
      aud: ISSUER,
      iat: NOW.getTime() / 1000,
      exp: NOW.getTime() / 1000 + ASSERTION_LIFETIME_SECONDS,
    });
    // A single string, not an array: the server compares it with its issuer identifier (SPEC 5.9).
    expect(typeof claims.aud).toBe('string');
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(300);
  });

  it('uses a fresh random jti and the current time when none is given', async () => {
    const signer = loadAssertionSigner(file('--cert', issued.certFile), file('--key', issued.keyFile));
    const before = Math.floor(Date.now() / 1000);
    const [first, second] = await Promise.all([
      buildClientAssertion({ clientId: CLIENT_ID, audience: ISSUER, signer }),
      buildClientAssertion({ clientId: CLIENT_ID, audience: ISSUER, signer }),
    ]);
    const [a, b] = [segment(first.split('.')[1]), segment(second.split('.')[1])];
    expect(a.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.jti).not.toBe(b.jti);
    expect(a.iat).toBeGreaterThanOrEqual(before);
    expect(a.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('accepts the certificate as DER and takes the first certificate of a PEM bundle', () => {
    const derFile = join(issued.dir, 'daemon.cer');
    execFileSync('openssl', ['x509', '-in', issued.certFile, '-outform', 'DER', '-out', derFile]);
    const bundle = join(issued.dir, 'bundle.pem');
    writeFileSync(bundle, `${issued.cert}${other.cert}`);
    const fromDer = loadAssertionSigner(file('--cert', derFile), file('--key', issued.keyFile));
    const fromBundle = loadAssertionSigner(file('--cert', bundle), file('--key', issued.keyFile));
    expect(fromDer.certificateDer).toEqual(readFileSync(derFile));
    expect(fromBundle.certificateDer).toEqual(readFileSync(derFile));
  });

  it('refuses a key that does not belong to the certificate, naming both files', () => {
    expect(() => loadAssertionSigner(file('--cert', issued.certFile), file('--key', other.keyFile))).toThrow(
      new UsageError(`--key ${other.keyFile} is not the private key of --cert ${issued.certFile}`),
    );
  });

  it('refuses a non-RSA key, an encrypted key and a file that is not a key, without quoting them', () => {
    const ecKey = join(issued.dir, 'ec.key');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', ecKey]);
    expect(() => loadAssertionSigner(file('--cert', issued.certFile), file('--key', ecKey))).toThrow(
      new UsageError(`--key ${ecKey} is not an RSA key; client assertions are signed with RS256`),
    );

    const encrypted = join(issued.dir, 'encrypted.key');
    execFileSync('openssl', ['pkey', '-in', issued.keyFile, '-aes256', '-passout', 'pass:secret', '-out', encrypted]);
    const error = (() => {
      try {
        loadAssertionSigner(file('--cert', issued.certFile), file('--key', encrypted));
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toMatch(new RegExp(`^--key ${encrypted} is password-protected`));

    expect(() => loadAssertionSigner(file('--cert', issued.certFile), file('--key', issued.certFile))).toThrow(new UsageError(`--key ${issued.certFile} holds no PEM private key`));
    expect(() => loadAssertionSigner(file('--cert', issued.keyFile), file('--key', issued.keyFile))).toThrow(new UsageError(`--cert ${issued.keyFile} holds no PEM certificate`));

    const broken = join(issued.dir, 'broken.key');
    const label = ['PRIVATE', 'KEY'].join(' ');
    writeFileSync(broken, `-----BEGIN ${label}-----\nbm90IGEga2V5\n-----END ${label}-----\n`);
    const brokenError = (() => {
      try {
        loadAssertionSigner(file('--cert', issued.certFile), file('--key', broken));
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(brokenError).toEqual(new UsageError(`--key ${broken} could not be read as a private key`));
    expect(brokenError?.message).not.toContain('bm90IGEga2V5');
  });
});
