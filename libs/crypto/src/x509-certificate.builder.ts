import { createPublicKey, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { encodeIpAddress } from './ip-address.encoder.js';
import { normalizeDnsName } from './dns-name.normalizer.js';
import { readRsaPrivateKey } from './rsa-private-key.reader.js';

/** Extended key usage purposes (RFC 5280 4.2.1.12): id-kp-serverAuth / id-kp-clientAuth. */
export type ExtendedKeyUsagePurpose = 'serverAuth' | 'clientAuth';

/** Key usage bits (RFC 5280 4.2.1.3). `encipherOnly`/`decipherOnly` are left out: they only apply to key agreement keys, never RSA. */
export type KeyUsageFlag =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign';

/** Subject (and, for a self-signed certificate, issuer) distinguished name. */
export interface CertificateSubject {
  /** CN; 1–64 characters (RFC 5280 Appendix A `ub-common-name`). */
  commonName: string;
  /** O; 1–64 characters (`ub-organization-name`). */
  organization?: string;
}

/** Input of {@link createSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** Unencrypted RSA private key, PKCS#8 or PKCS#1 PEM. The public key is derived from it. */
  privateKeyPem: string;
  /** Subject DN; the issuer DN is the same (self-signed). */
  subject: CertificateSubject;
  /** dNSName SAN entries: LDH host names, optionally with a leftmost `*.` wildcard label; IDNs as A-labels. */
  dnsNames: string[];
  /** iPAddress SAN entries (IPv4 or IPv6 literals). */
  ipAddresses?: string[];
  /** Start of validity, used as given (callers backdate it to tolerate clock skew). */
  notBefore: Date;
  /** Validity period in whole days, counted from `notBefore`. */
  validityDays: number;
  /** EKU purposes; an empty list omits the extension. */
  extendedKeyUsage: ExtendedKeyUsagePurpose[];
  /**
   * Key usage bits. Default: `digitalSignature` + `keyEncipherment`
   * (RSA TLS server key: RFC 5246 7.4.2, RFC 8446 4.4.2.2), plus `keyCertSign`
   * and `cRLSign` when `isCa` is true.
   */
  keyUsage?: KeyUsageFlag[];
  /** Marks the certificate as a CA (basicConstraints cA=TRUE). Default false. */
  isCa?: boolean;
}

const UTF8_STRING_TAG = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
const MS_PER_DAY = 86_400_000;

/**
 * Builds and signs a self-signed X.509 v3 certificate (RFC 5280) with node-forge.
 *
 * - Signature: sha256WithRSAEncryption (RFC 4055 / RFC 8017 PKCS#1 v1.5).
 * - Serial: 16 random octets, forced positive and non-zero-leading so the DER
 *   INTEGER is exactly 16 octets (RFC 5280 4.1.2.2: positive, ≤ 20 octets; the
 *   CA/Browser Forum baseline requirements ask for ≥ 64 bits of CSPRNG output).
 * - Extensions: basicConstraints (critical), keyUsage (critical),
 *   extendedKeyUsage, subjectAltName, subjectKeyIdentifier (RFC 5280 4.2.1.2 method 1).
 * - DN attributes are UTF8String (RFC 5280 4.1.2.4) and ordered O, CN so the
 *   RFC 4514 rendering reads "CN=…, O=…".
 *
 * @param options - see {@link SelfSignedCertificateOptions}.
 * @returns the certificate as PEM.
 * @throws TypeError / RangeError on invalid input (non-RSA or encrypted key, bad host name or IP, bad dates).
 */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions): string {
  const privateKey = readRsaPrivateKey(options.privateKeyPem);
  const isCa = options.isCa ?? false;
  const keyUsage = options.keyUsage ?? defaultKeyUsage(isCa);
  if (keyUsage.includes('keyCertSign') && !isCa) {
    // RFC 5280 4.2.1.3: if keyCertSign is asserted, cA in basicConstraints MUST be asserted too.
    throw new TypeError('keyUsage keyCertSign requires isCa: true (RFC 5280 4.2.1.3)');
  }
  const notBefore = options.notBefore;
  if (!(notBefore instanceof Date) || Number.isNaN(notBefore.getTime())) {
    throw new TypeError('notBefore must be a valid Date');
  }
  if (!Number.isInteger(options.validityDays) || options.validityDays < 1) {
    throw new RangeError(`validityDays must be a positive integer; got ${String(options.validityDays)}`);
  }
  const dnsNames = options.dnsNames.map(normalizeDnsName);
  const ipAddresses = (options.ipAddresses ?? []).map((ip) => ({ ip, bytes: encodeIpAddress(ip) }));

  const cert = forge.pki.createCertificate();
  cert.version = 2; // v3 (RFC 5280 4.1.2.1): required for extensions.
  cert.publicKey = forge.pki.publicKeyFromPem(
    createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = randomSerialNumberHex();
  cert.validity.notBefore = new Date(notBefore.getTime());
  cert.validity.notAfter = new Date(notBefore.getTime() + options.validityDays * MS_PER_DAY);

  const name = distinguishedName(options.subject);
  cert.setSubject(name);
  cert.setIssuer(name);

  const extensions: object[] = [
    // RFC 5280 4.2.1.9: MUST be critical in CA certificates; marking it critical on
    // end-entity certificates as well is allowed and keeps verifiers strict.
    { name: 'basicConstraints', critical: true, cA: isCa },
    { name: 'keyUsage', critical: true, ...Object.fromEntries(keyUsage.map((flag) => [flag, true])) },
  ];
  if (options.extendedKeyUsage.length > 0) {
    extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(options.extendedKeyUsage.map((p) => [p, true])) });
  }
  if (dnsNames.length + ipAddresses.length > 0) {
    extensions.push({
      name: 'subjectAltName',
      altNames: [
        // GeneralName [2] dNSName IA5String, [7] iPAddress OCTET STRING (RFC 5280 4.2.1.6).
        ...dnsNames.map((value) => ({ type: 2, value })),
        ...ipAddresses.map(({ bytes }) => ({ type: 7, value: bytes.toString('binary') })),
      ],
    });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(extensions);

  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  cert.sign(forgeKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

function defaultKeyUsage(isCa: boolean): KeyUsageFlag[] {
  const usage: KeyUsageFlag[] = ['digitalSignature', 'keyEncipherment'];
  return isCa ? [...usage, 'keyCertSign', 'cRLSign'] : usage;
}

function distinguishedName(subject: CertificateSubject): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [];
  if (subject.organization !== undefined) {
    attributes.push({ shortName: 'O', value: checkedAttribute('organization', subject.organization), valueTagClass: UTF8_STRING_TAG });
  }
  attributes.push({ shortName: 'CN', value: checkedAttribute('commonName', subject.commonName), valueTagClass: UTF8_STRING_TAG });
  return attributes;
}

function checkedAttribute(field: string, value: string): string {
  // RFC 5280 Appendix A upper bounds: ub-common-name = ub-organization-name = 64.
  if (typeof value !== 'string' || value.length < 1 || value.length > 64) {
    throw new RangeError(`subject.${field} must be 1 to 64 characters`);
  }
  return value;
}

function randomSerialNumberHex(): string {
  const serial = randomBytes(16);
  // Clear the sign bit (positive INTEGER) and set the next one so the first octet
  // is never 0x00, which DER would otherwise require to be stripped.
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  return serial.toString('hex');
}
