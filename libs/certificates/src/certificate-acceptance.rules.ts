import type { CertificateDescription } from '@s2s/crypto';
import { CertificateRejectedError } from './certificate-rejected.error.js';

/**
 * A certificate that starts this little in the future is accepted: a CA whose clock runs slightly
 * ahead stamps `notBefore` = its "now" (same tolerance as the default clock skew, SPEC 5.1).
 */
export const NOT_BEFORE_TOLERANCE_MS = 5 * 60_000;

/** Smallest RSA modulus accepted for a token-issuer key (SPEC 5.2; Skype and SharePoint require ≥ 2048). */
export const MIN_RSA_KEY_BITS = 2048;

/**
 * Whether a certificate can sign tokens at `now`: inside its validity period (`notBefore` up to 5
 * minutes ahead is tolerated), with an RSA key of
 * at least 2048 bits and exponent 65537 (RS256 is what every S2S partner verifies, SPEC 4.1), not
 * signed with MD5/SHA-1, and a key usage (when present) that includes digitalSignature.
 *
 * @throws CertificateRejectedError naming the first broken rule.
 */
export function checkCertificateUsable(certificate: CertificateDescription, now: Date, field = 'certificate'): void {
  if (certificate.notAfter <= now) {
    throw new CertificateRejectedError('certificate_expired', `the certificate expired on ${certificate.notAfter.toISOString()}`, field);
  }
  if (certificate.notBefore.getTime() > now.getTime() + NOT_BEFORE_TOLERANCE_MS) {
    throw new CertificateRejectedError('certificate_not_yet_valid', `the certificate is not valid before ${certificate.notBefore.toISOString()}`, field);
  }
  if (certificate.publicKeyAlgorithm !== 'RSA') {
    throw new CertificateRejectedError(
      'unsupported_key_type',
      `the certificate has a ${certificate.publicKeyAlgorithm} key; S2S tokens are signed with RS256, which needs an RSA key`,
      field,
    );
  }
  if ((certificate.keySizeBits ?? 0) < MIN_RSA_KEY_BITS) {
    throw new CertificateRejectedError(
      'weak_key',
      `the certificate's RSA key has ${certificate.keySizeBits ?? 'unknown'} bits; at least ${MIN_RSA_KEY_BITS} are required`,
      field,
    );
  }
  // Security catalogue I08: the usual exponent, a collision-resistant signature, and a key usage that allows signing.
  if (certificate.rsaPublicExponent !== 65537) {
    throw new CertificateRejectedError('weak_key', `the RSA public exponent is ${certificate.rsaPublicExponent ?? 'unknown'}; 65537 is required`, field);
  }
  if (/^(md2|md4|md5|sha1)/i.test(certificate.signatureAlgorithm)) {
    throw new CertificateRejectedError(
      'weak_signature',
      `the certificate is signed with ${certificate.signatureAlgorithm}; MD5 and SHA-1 signatures are refused`,
      field,
    );
  }
  if (certificate.keyUsage && !certificate.keyUsage.includes('digitalSignature')) {
    throw new CertificateRejectedError(
      'unsuitable_key_usage',
      `the certificate's key usage (${certificate.keyUsage.join(', ')}) does not include digitalSignature, which signing tokens needs`,
      field,
    );
  }
}

/**
 * Whether the certificate's SAN DNS names cover `realm` (exact, case-insensitive match: a wildcard
 * `*.contoso.com` does not cover `contoso.com`, RFC 6125 6.4.3). The service refuses to issue for
 * a realm its certificate does not name (SPEC 1).
 *
 * @throws CertificateRejectedError `realm_not_covered`.
 */
export function checkRealmCovered(dnsNames: readonly string[], realm: string, field = 'certificate'): void {
  if (!coversRealm(dnsNames, realm)) {
    const names = dnsNames.length ? dnsNames.join(', ') : 'none';
    throw new CertificateRejectedError(
      'realm_not_covered',
      `the certificate's subject alternative names (${names}) do not include the configured realm ${realm}`,
      field,
    );
  }
}

/** True when one of `dnsNames` is `realm`. */
export function coversRealm(dnsNames: readonly string[], realm: string): boolean {
  return dnsNames.some((name) => name.toLowerCase() === realm);
}
