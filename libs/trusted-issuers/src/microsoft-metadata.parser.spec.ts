import { X509Certificate } from 'node:crypto';
import { OpenSslToolkit } from '@s2s/testing';
import { MetadataDocumentError } from './metadata-document.error.js';
import { certificateKey, type MicrosoftMetadata, parseMicrosoftMetadata } from './microsoft-metadata.parser.js';

/**
 * Partner metadata documents in the two shapes Microsoft servers publish (ms-s2s research 2.2 and
 * 2.3), filled with real certificates made by the openssl CLI. The expected `x5t` of every key is
 * computed by openssl too (`x509 -outform der | dgst -sha1 -binary`, base64url), never by our code.
 */

const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
const SHAREPOINT = '00000003-0000-0ff1-ce00-000000000000';
const SHAREPOINT_REALM = '3f2c4b8e-1d7a-4c55-9e0b-6a2f8d1c7e44';

interface MadeCertificate {
  certFile: string;
  certificatePem: string;
  /** base64 (not url) of the DER, as `keyvalue.value` carries it. */
  derBase64: string;
  /** What openssl says the `x5t` is. */
  x5t: string;
}

function refusal(fn: () => unknown): MetadataDocumentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MetadataDocumentError);
    return error as MetadataDocumentError;
  }
  throw new Error('expected a MetadataDocumentError');
}

describe('parseMicrosoftMetadata', () => {
  const openssl = new OpenSslToolkit();
  let good: MadeCertificate;
  let second: MadeCertificate;
  let weak: MadeCertificate;
  let lowExponent: MadeCertificate;
  let ec: MadeCertificate;

  const make = (made: { certFile: string; certificatePem: string }): MadeCertificate => ({
    certFile: made.certFile,
    certificatePem: made.certificatePem,
    derBase64: openssl.runBinary(['x509', '-in', made.certFile, '-outform', 'der']).toString('base64'),
    x5t: openssl.x5t(made.certFile),
  });

  /** The Exchange shape, field names exactly as emitted (lowercase keyinfo/keyvalue). */
  const exchangeDocument = (keys: unknown[], realm = 'contoso.com'): Record<string, unknown> => ({
    id: '_6ba8e2f0-5b1f-4e7a-9d44-0c3d2e1f7a55',
    version: '1.0',
    name: 'Exchange',
    realm,
    serviceName: EXCHANGE,
    issuer: `${EXCHANGE}@${realm}`,
    allowedAudiences: [`${EXCHANGE}@${realm}`],
    keys,
    endpoints: [{ location: 'https://mail.contoso.com:443/autodiscover/metadata/json/1', protocol: 'OAuth2', usage: 'metadata' }],
  });
  const exchangeKey = (certificate: MadeCertificate, x5t: string = certificate.x5t): Record<string, unknown> => ({
    usage: 'signing',
    keyinfo: { x5t },
    keyvalue: { type: 'x509Certificate', value: certificate.derBase64 },
  });

  /** The SharePoint shape (Rapid7 capture): camelCase keyValue, "Signing", "x509certificate", no realm. */
  const sharePointDocument = (keys: unknown[], issuer = `${SHAREPOINT}@${SHAREPOINT_REALM}`): Record<string, unknown> => ({
    issuer,
    keys,
    name: SHAREPOINT,
    serviceName: SHAREPOINT,
  });
  const sharePointKey = (certificate: MadeCertificate, usage = 'Signing'): Record<string, unknown> => ({
    keyValue: { type: 'x509certificate', value: certificate.derBase64 },
    usage,
  });

  beforeAll(() => {
    good = make(openssl.selfSigned({ cn: 'exchange.contoso.com', dnsNames: ['contoso.com'] }));
    second = make(openssl.selfSigned({ cn: 'next.contoso.com', dnsNames: ['contoso.com'] }));
    weak = make(openssl.selfSigned({ cn: 'weak.contoso.com', keyAlgorithm: 'rsa:1024' }));
    ec = make(openssl.selfSigned({ cn: 'ec.contoso.com', keyAlgorithm: 'ec' }));
    const e3Key = openssl.path('e3.key');
    openssl.run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3', '-out', e3Key]);
    const e3Cert = openssl.path('e3.crt');
    openssl.run(['req', '-x509', '-new', '-key', e3Key, '-subj', '/CN=e3.contoso.com', '-days', '30', '-out', e3Cert]);
    lowExponent = make({ certFile: e3Cert, certificatePem: openssl.read('e3.crt') });
  });

  afterAll(() => openssl.dispose());

  it('computes x5t the way openssl does: base64url SHA-1 of the DER', () => {
    // Independent re-computation from the openssl DER bytes, no project code involved.
    const der = Buffer.from(good.derBase64, 'base64');
    expect(good.x5t).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(new X509Certificate(der).fingerprint.replace(/:/g, '')).toBe(Buffer.from(good.x5t, 'base64url').toString('hex').toUpperCase());
    expect(certificateKey(good.derBase64).x5t).toBe(good.x5t);
    expect(certificateKey(good.certificatePem).x5t).toBe(good.x5t);
  });

  describe('the Exchange shape (ms-s2s 2.2)', () => {
    it('reads serviceName, realm, issuer and every signing key, checking the published x5t', () => {
      const metadata = parseMicrosoftMetadata(exchangeDocument([exchangeKey(good), exchangeKey(second)]));
      expect(metadata).toEqual<MicrosoftMetadata>({
        serviceName: EXCHANGE,
        realm: 'contoso.com',
        issuer: `${EXCHANGE}@contoso.com`,
        // The Exchange document lists only a metadata endpoint: no issuance endpoint.
        issuanceEndpoint: null,
        keys: [
          { x5t: good.x5t, certificatePem: expect.stringContaining('-----BEGIN CERTIFICATE-----'), notBefore: expect.any(Date), notAfter: expect.any(Date) },
          { x5t: second.x5t, certificatePem: expect.any(String), notBefore: expect.any(Date), notAfter: expect.any(Date) },
        ],
      });
      const x509 = new X509Certificate(good.certificatePem);
      expect(new X509Certificate(metadata.keys[0]!.certificatePem).raw.equals(x509.raw)).toBe(true);
      expect(metadata.keys[0]!.notBefore).toEqual(new Date(x509.validFrom));
      expect(metadata.keys[0]!.notAfter).toEqual(new Date(x509.validTo));
    });

    it('matches property names case-insensitively (the C# consumer classes use keyValue/keyInfo)', () => {
      const metadata = parseMicrosoftMetadata({
        Issuer: `${EXCHANGE}@contoso.com`,
        SERVICENAME: EXCHANGE.toUpperCase(),
        Realm: 'contoso.com',
        Keys: [{ Usage: 'SIGNING', KeyInfo: { X5T: good.x5t }, KeyValue: { Type: 'X509CERTIFICATE', Value: good.derBase64 } }],
      });
      expect(metadata.serviceName).toBe(EXCHANGE);
      expect(metadata.realm).toBe('contoso.com');
      expect(metadata.keys.map((key) => key.x5t)).toEqual([good.x5t]);
    });

    it('skips a key whose published x5t does not match its certificate, keeping the others', () => {
      const metadata = parseMicrosoftMetadata(exchangeDocument([exchangeKey(good, second.x5t), exchangeKey(second)]));
      expect(metadata.keys.map((key) => key.x5t)).toEqual([second.x5t]);
    });

    it('refuses the document when the only key has a mismatching x5t', () => {
      expect(refusal(() => parseMicrosoftMetadata(exchangeDocument([exchangeKey(good, second.x5t)]))).message).toMatch(/no usable signing certificate.*x5t does not match/);
    });

    it('skips a 1024-bit RSA key but keeps the good one next to it', () => {
      const metadata = parseMicrosoftMetadata(exchangeDocument([exchangeKey(weak), exchangeKey(good)]));
      expect(metadata.keys.map((key) => key.x5t)).toEqual([good.x5t]);
    });

    it.each([
      ['a 1024-bit RSA key', (): MadeCertificate => weak, /at least 2048 bits/],
      ['an RSA key with exponent 3', (): MadeCertificate => lowExponent, /exponent 65537/],
      ['an EC key', (): MadeCertificate => ec, /RSA key/],
    ])('refuses the document when its only key is %s', (_name, certificate, message) => {
      const error = refusal(() => parseMicrosoftMetadata(exchangeDocument([exchangeKey(certificate())])));
      expect(error.message).toMatch(/no usable signing certificate/);
      expect(error.message).toMatch(message);
    });

    it('skips keys whose usage is not signing, and entries that are not certificates', () => {
      const metadata = parseMicrosoftMetadata(
        exchangeDocument([
          { ...exchangeKey(second), usage: 'encryption' },
          { usage: 'signing', keyvalue: { type: 'x509Certificate', value: 'bm90IGEgY2VydGlmaWNhdGU=' } },
          { usage: 'signing', keyvalue: { type: 'rsa', value: good.derBase64 } },
          'not an object',
          null,
          exchangeKey(good),
        ]),
      );
      expect(metadata.keys.map((key) => key.x5t)).toEqual([good.x5t]);
    });

    it('refuses a document whose only key is for encryption', () => {
      expect(refusal(() => parseMicrosoftMetadata(exchangeDocument([{ ...exchangeKey(good), usage: 'encryption' }]))).message).toMatch(/no usable signing certificate/);
    });

    it('accepts a key without usage (seen in the corpus)', () => {
      const { usage: _usage, ...withoutUsage } = exchangeKey(good);
      expect(parseMicrosoftMetadata(exchangeDocument([withoutUsage])).keys.map((key) => key.x5t)).toEqual([good.x5t]);
    });

    it('refuses the wildcard realm * (Exchange Online / empty on-prem realm)', () => {
      expect(refusal(() => parseMicrosoftMetadata(exchangeDocument([exchangeKey(good)], '*'))).message).toBe('a wildcard realm (*) is not accepted');
    });
  });

  describe('the SharePoint shape (ms-s2s 2.3)', () => {
    it('takes the realm from the issuer after @ and computes x5t from the certificate', () => {
      const metadata = parseMicrosoftMetadata(sharePointDocument([sharePointKey(good)]));
      expect(metadata).toEqual({
        serviceName: SHAREPOINT,
        realm: SHAREPOINT_REALM,
        issuer: `${SHAREPOINT}@${SHAREPOINT_REALM}`,
        issuanceEndpoint: null,
        keys: [{ x5t: good.x5t, certificatePem: expect.any(String), notBefore: expect.any(Date), notAfter: expect.any(Date) }],
      });
    });

    it('takes the service name from the issuer when serviceName is absent, lowercased', () => {
      const { serviceName: _s, name: _n, ...document } = sharePointDocument([sharePointKey(good)], `${SHAREPOINT.toUpperCase()}@${SHAREPOINT_REALM}`);
      const metadata = parseMicrosoftMetadata(document);
      expect(metadata.serviceName).toBe(SHAREPOINT);
      expect(metadata.realm).toBe(SHAREPOINT_REALM);
    });

    it('splits the issuer at the last @', () => {
      expect(parseMicrosoftMetadata(sharePointDocument([sharePointKey(good)], `${SHAREPOINT}@evil@${SHAREPOINT_REALM}`)).realm).toBe(SHAREPOINT_REALM);
    });

    it('skips a 1024-bit key and usage "Encryption" but keeps the good signing key', () => {
      const metadata = parseMicrosoftMetadata(sharePointDocument([sharePointKey(weak), sharePointKey(second, 'Encryption'), sharePointKey(good)]));
      expect(metadata.keys.map((key) => key.x5t)).toEqual([good.x5t]);
    });

    it('refuses the wildcard issuer realm @*', () => {
      expect(refusal(() => parseMicrosoftMetadata(sharePointDocument([sharePointKey(good)], `${SHAREPOINT}@*`))).message).toMatch(/wildcard realm/);
    });

    it('refuses a document with an issuer but no realm part', () => {
      const { serviceName: _s, ...document } = sharePointDocument([sharePointKey(good)], SHAREPOINT);
      expect(refusal(() => parseMicrosoftMetadata(document)).message).toMatch(/no usable issuer, serviceName or realm/);
    });
  });

  describe('documents that are not metadata', () => {
    it.each<[string, unknown, RegExp]>([
      ['an HTML error page (a string)', '<html><body>Service Unavailable</body></html>', /not a JSON object/],
      ['an array', [{ issuer: `${EXCHANGE}@contoso.com` }], /not a JSON object/],
      ['null', null, /not a JSON object/],
      ['a number', 42, /not a JSON object/],
      ['an object without issuer', { keys: [] }, /no usable issuer/],
      ['an object without keys', { issuer: `${EXCHANGE}@contoso.com` }, /no keys array/],
      ['keys that are not an array', { issuer: `${EXCHANGE}@contoso.com`, keys: { 0: {} } }, /no keys array/],
      ['an empty keys array', { issuer: `${EXCHANGE}@contoso.com`, keys: [] }, /no usable signing certificate/],
      ['an issuer that is not a string', { issuer: 7, realm: 'contoso.com', serviceName: EXCHANGE, keys: [] }, /no usable issuer/],
    ])('refuses %s', (_name, document, message) => {
      expect(refusal(() => parseMicrosoftMetadata(document)).message).toMatch(message);
    });
  });

  describe('certificateKey (pinned certificates)', () => {
    it('accepts PEM and base64 DER and refuses garbage, weak keys and a wrong x5t', () => {
      expect(certificateKey(good.certificatePem, good.x5t).x5t).toBe(good.x5t);
      expect(refusal(() => certificateKey('not a certificate')).message).toBe('a key is not a valid X.509 certificate');
      expect(refusal(() => certificateKey(weak.certificatePem)).message).toMatch(/at least 2048 bits/);
      expect(refusal(() => certificateKey(good.certificatePem, second.x5t)).message).toBe('a published x5t does not match its certificate');
    });
  });
});
