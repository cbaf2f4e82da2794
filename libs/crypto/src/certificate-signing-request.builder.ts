import { createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { parseDistinguishedName } from './distinguished-name.parser.js';
import { normalizeDnsName } from './dns-name.normalizer.js';
import { readRsaPrivateKey } from './rsa-private-key.reader.js';

/** Input of {@link createCertificateSigningRequest}. */
export interface CertificateSigningRequestOptions {
  /** Unencrypted RSA private key, PKCS#8 or PKCS#1 PEM. The CSR carries its public key and is signed with it. */
  privateKeyPem: string;
  /**
   * Subject DN as an RFC 4514 string, most specific RDN first, e.g.
   * `"CN=s2s.contoso.com, O=Contoso"`. Attribute types: CN, O, OU, L, ST, C.
   */
  subject: string;
  /** dNSName entries of the requested subjectAltName (at least one; RFC 5280 4.2.1.6 GeneralNames SIZE (1..MAX)). */
  dnsNames: string[];
}

const UTF8_STRING_TAG = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
const PRINTABLE_STRING_TAG = forge.asn1.Type.PRINTABLESTRING as unknown as forge.asn1.Class;

/**
 * Builds a PKCS#10 certificate signing request (RFC 2986) with node-forge.
 *
 * - Signature: sha256WithRSAEncryption (RFC 4055 / RFC 8017 PKCS#1 v1.5),
 *   made with `privateKeyPem` (proof of possession, RFC 2986 3).
 * - Attributes: one PKCS#9 extensionRequest (RFC 2985 5.4.2) holding a
 *   subjectAltName extension with the DNS names (RFC 5280 4.2.1.6).
 * - DN: CN/O/OU/L/ST as UTF8String, C as PrintableString (RFC 5280 4.1.2.4),
 *   encoded in ASN.1 order (reverse of the RFC 4514 string order).
 *
 * @param options - see {@link CertificateSigningRequestOptions}.
 * @returns the CSR as PEM (`CERTIFICATE REQUEST`).
 * @throws TypeError on a non-RSA or unreadable key, an unsupported or malformed subject, or an invalid/empty DNS name list.
 */
export function createCertificateSigningRequest(options: CertificateSigningRequestOptions): string {
  const privateKey = readRsaPrivateKey(options.privateKeyPem);
  const subject = parseDistinguishedName(options.subject).map(
    ({ type, value }): forge.pki.CertificateField => ({
      shortName: type,
      value,
      valueTagClass: type === 'C' ? PRINTABLE_STRING_TAG : UTF8_STRING_TAG,
    }),
  );
  if (!Array.isArray(options.dnsNames) || options.dnsNames.length === 0) {
    throw new TypeError('dnsNames must contain at least one DNS name (RFC 5280 4.2.1.6)');
  }
  const dnsNames = [...new Set(options.dnsNames.map(normalizeDnsName))];

  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(
    createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  );
  csr.setSubject(subject);
  csr.setAttributes([
    {
      name: 'extensionRequest',
      // GeneralName [2] dNSName IA5String (RFC 5280 4.2.1.6).
      extensions: [{ name: 'subjectAltName', altNames: dnsNames.map((value) => ({ type: 2, value })) }],
    } as forge.pki.CertificateField,
  ]);
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  csr.sign(forgeKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}
