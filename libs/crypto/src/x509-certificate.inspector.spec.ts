import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair } from './rsa-key.generator.js';
import { createSelfSignedCertificate } from './x509-certificate.builder.js';
import { describeCertificate, privateKeyMatchesCertificate } from './x509-certificate.inspector.js';

describe('describeCertificate / privateKeyMatchesCertificate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-inspect-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Lets OpenSSL (an independent producer) make a certificate + key. */
  function opensslCertificate(name: string, keyArgs: string[], subject: string, san: string, days = '30'): { cert: string; key: string; certFile: string } {
    const certFile = join(dir, `${name}.crt`);
    const keyFile = join(dir, `${name}.key`);
    execFileSync(
      'openssl',
      ['req', '-x509', ...keyArgs, '-nodes', '-keyout', keyFile, '-out', certFile, '-days', days, '-subj', subject, '-addext', `subjectAltName=${san}`],
      { stdio: 'pipe' },
    );
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile };
  }

  const opensslField = (certFile: string, flag: string): string =>
    execFileSync('openssl', ['x509', '-in', certFile, '-noout', flag], { encoding: 'utf8' }).trim().replace(/^[a-zA-Z]+=/, '');

  it('describes an OpenSSL-made RSA certificate like OpenSSL does', () => {
    const { cert, certFile } = opensslCertificate(
      'rsa',
      ['-newkey', 'rsa:2048'],
      '/C=DE/O=Example, Inc/CN=svc.example.test',
      'DNS:svc.example.test,DNS:alt.example.test,IP:10.0.0.1,IP:2001:db8::1,email:ops@example.test',
    );
    const description = describeCertificate(cert);
    expect(description.subject).toBe('CN=svc.example.test, O=Example\\, Inc, C=DE');
    expect(description.issuer).toBe(description.subject);
    expect(description.serialNumberHex).toBe(opensslField(certFile, '-serial'));
    expect(description.notBefore).toEqual(new Date(opensslField(certFile, '-startdate')));
    expect(description.notAfter).toEqual(new Date(opensslField(certFile, '-enddate')));
    expect(description.notAfter.getTime() - description.notBefore.getTime()).toBe(30 * 86_400_000);
    expect(description.dnsNames).toEqual(['svc.example.test', 'alt.example.test']);
    expect(description.ipAddresses).toEqual(['10.0.0.1', '2001:DB8:0:0:0:0:0:1']);
    expect(description.publicKeyAlgorithm).toBe('RSA');
    expect(description.keySizeBits).toBe(2048);
  });

  it('reports EC keys with their curve size', () => {
    const { cert } = opensslCertificate('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], '/CN=ec.example.test', 'DNS:ec.example.test');
    const description = describeCertificate(Buffer.from(cert));
    expect(description.publicKeyAlgorithm).toBe('EC');
    expect(description.keySizeBits).toBe(384);
  });

  it('describes a certificate made by createSelfSignedCertificate', async () => {
    const { privateKeyPem } = await generateRsaKeyPair(2048);
    const notBefore = new Date('2030-06-15T08:00:00Z');
    const pem = createSelfSignedCertificate({
      privateKeyPem,
      subject: { commonName: 'localhost', organization: 'X' },
      dnsNames: ['localhost', 'a.example.test'],
      ipAddresses: ['127.0.0.1'],
      notBefore,
      validityDays: 365,
      extendedKeyUsage: ['serverAuth'],
    });
    const certFile = join(dir, 'own.crt');
    writeFileSync(certFile, pem);
    const description = describeCertificate(pem);
    expect(description).toEqual({
      subject: 'CN=localhost, O=X',
      issuer: 'CN=localhost, O=X',
      serialNumberHex: opensslField(certFile, '-serial'),
      notBefore,
      notAfter: new Date('2031-06-15T08:00:00Z'),
      dnsNames: ['localhost', 'a.example.test'],
      ipAddresses: ['127.0.0.1'],
      publicKeyAlgorithm: 'RSA',
      keySizeBits: 2048,
      rsaPublicExponent: 65537,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      keyUsage: ['digitalSignature', 'keyEncipherment'],
    });
  });

  it('reads the signature algorithm, key usage and exponent that openssl wrote', () => {
    const keyFile = join(dir, 'e3.key');
    const certFile = join(dir, 'e3.crt');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3', '-out', keyFile]);
    execFileSync('openssl', ['req', '-x509', '-key', keyFile, '-subj', '/CN=x', '-days', '2', '-sha1', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', certFile]);
    const description = describeCertificate(readFileSync(certFile, 'utf8'));
    expect(description).toMatchObject({ rsaPublicExponent: 3, signatureAlgorithm: 'sha1WithRSAEncryption', keyUsage: ['keyCertSign', 'cRLSign'] });
    const plain = join(dir, 'plain.crt');
    execFileSync('openssl', ['req', '-x509', '-key', keyFile, '-subj', '/CN=x', '-days', '2', '-out', plain]);
    expect(describeCertificate(readFileSync(plain, 'utf8')).keyUsage).toBeNull();
  });

  it('returns empty SAN lists for a certificate without subjectAltName', () => {
    const certFile = join(dir, 'nosan.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'nosan.key'), '-out', certFile, '-days', '1', '-subj', '/CN=nosan'], { stdio: 'pipe' });
    const description = describeCertificate(readFileSync(certFile, 'utf8'));
    expect(description.dnsNames).toEqual([]);
    expect(description.ipAddresses).toEqual([]);
  });

  it('checks whether a private key belongs to a certificate', () => {
    const first = opensslCertificate('m1', ['-newkey', 'rsa:2048'], '/CN=one', 'DNS:one');
    const second = opensslCertificate('m2', ['-newkey', 'rsa:2048'], '/CN=two', 'DNS:two');
    expect(privateKeyMatchesCertificate(first.key, first.cert)).toBe(true);
    expect(privateKeyMatchesCertificate(second.key, second.cert)).toBe(true);
    expect(privateKeyMatchesCertificate(second.key, first.cert)).toBe(false);
    expect(privateKeyMatchesCertificate(first.key, second.cert)).toBe(false);
  });

  it('throws, without echoing the key, when the private key cannot be read', () => {
    const { cert } = opensslCertificate('m3', ['-newkey', 'rsa:2048'], '/CN=three', 'DNS:three');
    const encryptedKeyFile = join(dir, 'encrypted.key');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes-256-cbc', '-pass', 'pass:topsecret', '-out', encryptedKeyFile], { stdio: 'pipe' });
    const encrypted = readFileSync(encryptedKeyFile, 'utf8');
    expect(() => privateKeyMatchesCertificate(encrypted, cert)).toThrow(/Not a readable unencrypted PEM private key/);
    try {
      privateKeyMatchesCertificate(encrypted, cert);
    } catch (error) {
      expect((error as Error).message).not.toContain(encrypted.split('\n')[1]);
    }
  });
});
