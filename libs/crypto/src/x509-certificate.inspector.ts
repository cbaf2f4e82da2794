import { createPrivateKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** Public key algorithm of a certificate, as shown to admins. */
export type PublicKeyAlgorithm = 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'UNKNOWN';

/** A human- and log-friendly summary of an X.509 certificate. Contains no secrets. */
export interface CertificateDescription {
  /** Subject DN in RFC 4514 order (most specific RDN first), e.g. `"CN=localhost, O=X"`. */
  subject: string;
  /** Issuer DN in RFC 4514 order. */
  issuer: string;
  /** Serial number, uppercase hex. */
  serialNumberHex: string;
  /** Start of validity. */
  notBefore: Date;
  /** End of validity. */
  notAfter: Date;
  /** dNSName subjectAltName entries, in certificate order. */
  dnsNames: string[];
  /** iPAddress subjectAltName entries as Node renders them (IPv6 uncompressed, e.g. `0:0:0:0:0:0:0:1`). */
  ipAddresses: string[];
  /** Algorithm of the subject public key. */
  publicKeyAlgorithm: PublicKeyAlgorithm;
  /** RSA/DSA modulus length or EC curve size in bits; null when unknown. */
  keySizeBits: number | null;
  /** RSA public exponent; null for other key types. */
  rsaPublicExponent: number | null;
  /** Signature algorithm of the certificate, e.g. `sha256WithRSAEncryption` (the OID when unnamed). */
  signatureAlgorithm: string;
  /** Key usage bits (RFC 5280 4.2.1.3) by name; null when the extension is absent (any use allowed). */
  keyUsage: string[] | null;
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
const KEY_USAGE_OID = '2.5.29.15';

const KEY_TYPES: Record<string, PublicKeyAlgorithm> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  dsa: 'DSA',
};

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
};

/**
 * Describes a certificate using `node:crypto.X509Certificate` (OpenSSL's
 * parser) rather than a JavaScript ASN.1 parser.
 *
 * @param certificate - PEM (first certificate is used) or DER.
 * @returns subject/issuer, serial, validity, SANs and key parameters.
 * @throws Error when the input is not a parsable certificate.
 */
export function describeCertificate(certificate: string | Buffer): CertificateDescription {
  const x509 = new X509Certificate(certificate);
  const { dnsNames, ipAddresses } = parseSubjectAltName(x509.subjectAltName);
  const keyType = x509.publicKey.asymmetricKeyType ?? '';
  const details = x509.publicKey.asymmetricKeyDetails ?? {};
  let keySizeBits: number | null = null;
  if (details.modulusLength !== undefined) {
    keySizeBits = details.modulusLength;
  } else if (details.namedCurve !== undefined) {
    keySizeBits = CURVE_BITS[details.namedCurve] ?? null;
  }
  return {
    subject: toRfc4514(x509.subject),
    issuer: toRfc4514(x509.issuer),
    serialNumberHex: x509.serialNumber.toUpperCase(),
    notBefore: parseOpenSslTime(x509.validFrom),
    notAfter: parseOpenSslTime(x509.validTo),
    dnsNames,
    ipAddresses,
    publicKeyAlgorithm: KEY_TYPES[keyType] ?? 'UNKNOWN',
    keySizeBits,
    rsaPublicExponent: details.publicExponent !== undefined && keyType === 'rsa' ? Number(details.publicExponent) : null,
    ...signatureAndKeyUsage(x509.raw),
  };
}

/**
 * Reads the signature algorithm and the keyUsage extension from the DER with node-forge's ASN.1
 * parser (Node 20's X509Certificate exposes neither). Parsing only: no signature is checked here.
 */
function signatureAndKeyUsage(der: Buffer): { signatureAlgorithm: string; keyUsage: string[] | null } {
  const certificate = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const [tbs, algorithm] = certificate.value as forge.asn1.Asn1[];
  const oid = forge.asn1.derToOid(((algorithm!.value as forge.asn1.Asn1[])[0]!.value as string));
  const signatureAlgorithm = (forge.pki.oids as Record<string, string>)[oid] ?? oid;
  let keyUsage: string[] | null = null;
  // Extensions are the [3] EXPLICIT element of TBSCertificate (RFC 5280 4.1).
  const extensions = (tbs!.value as forge.asn1.Asn1[]).find((part) => part.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && part.type === 3);
  for (const extension of ((extensions?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value as forge.asn1.Asn1[] | undefined) ?? []) {
    const fields = extension.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(fields[0]!.value as string) !== KEY_USAGE_OID) continue;
    const octets = fields[fields.length - 1]!.value as string;
    const bitString = forge.asn1.fromDer(forge.util.createBuffer(octets)).value as string;
    // BIT STRING content: first octet = unused bits, then the bits, most significant first.
    const bits = [...bitString.slice(1)].flatMap((char) => [...char.charCodeAt(0).toString(2).padStart(8, '0')].map((bit) => bit === '1'));
    keyUsage = KEY_USAGE_BITS.filter((_name, index) => bits[index] === true);
  }
  return { signatureAlgorithm, keyUsage };
}

/**
 * Tells whether a private key is the counterpart of a certificate's public key
 * (OpenSSL `X509_check_private_key` via `X509Certificate.checkPrivateKey`).
 *
 * @param privateKeyPem - unencrypted PEM private key (PKCS#8, PKCS#1 or SEC 1).
 * @param certificatePem - PEM certificate (the first one is used, i.e. the leaf of a chain file).
 * @returns true when they match, false otherwise.
 * @throws Error when either input cannot be parsed (e.g. an encrypted key); the message never contains key material.
 */
export function privateKeyMatchesCertificate(privateKeyPem: string, certificatePem: string): boolean {
  let key;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch (error) {
    throw new Error(`Not a readable unencrypted PEM private key: ${(error as Error).message}`, { cause: error });
  }
  return new X509Certificate(certificatePem).checkPrivateKey(key);
}

/**
 * Node prints DNs one RDN per line in ASN.1 order, with RFC 2253 escaping
 * (so values never contain a raw newline). RFC 4514 2.1 lists RDNs in
 * reverse order, separated by commas, as Windows and .NET also show them.
 */
function toRfc4514(nodeDn: string): string {
  return nodeDn
    .split('\n')
    .filter((rdn) => rdn.length > 0)
    .reverse()
    .join(', ');
}

/**
 * Parses Node's subjectAltName rendering: entries joined by ", ", each
 * `Type:value`; since Node 17.3.1 (CVE-2021-44532) a value containing
 * special characters is a JSON string literal, so commas inside it are safe.
 */
function parseSubjectAltName(rendered: string | undefined): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  let rest = rendered ?? '';
  while (rest.length > 0) {
    const colon = rest.indexOf(':');
    if (colon < 0) break;
    const type = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
    let value: string;
    if (rest.startsWith('"')) {
      const end = endOfJsonString(rest);
      value = JSON.parse(rest.slice(0, end)) as string;
      rest = rest.slice(end);
    } else {
      const comma = rest.indexOf(', ');
      value = comma < 0 ? rest : rest.slice(0, comma);
      rest = comma < 0 ? '' : rest.slice(comma);
    }
    rest = rest.startsWith(', ') ? rest.slice(2) : rest;
    if (type === 'DNS') dnsNames.push(value);
    else if (type === 'IP Address') ipAddresses.push(value);
  }
  return { dnsNames, ipAddresses };
}

function endOfJsonString(text: string): number {
  for (let i = 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  throw new Error('Unterminated quoted subjectAltName value');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Parses OpenSSL's `ASN1_TIME_print` form ("Nov 21 23:34:31 2026 GMT"), which
 * is what `validFrom`/`validTo` contain on Node 20 (`validFromDate` only
 * arrived in Node 22.10). Parsed explicitly because `Date.parse` of this
 * format is implementation-defined.
 */
function parseOpenSslTime(text: string): Date {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4,}) GMT$/.exec(text);
  const month = match ? MONTHS.indexOf(match[1]!) : -1;
  if (!match || month < 0) {
    throw new Error(`Unrecognized certificate time: ${JSON.stringify(text)}`);
  }
  const [, , day, hour, minute, second, year] = match.map(Number) as number[];
  return new Date(Date.UTC(year!, month, day!, hour!, minute!, second!));
}
