import { x5tFromHex } from '@s2s/crypto';

/** How a certificate entered the store. */
export type CertificateSource = 'self-signed' | 'pfx' | 'pem' | 'request';

/**
 * A certificate with its private key, as stored (SPEC 5.2). The private key exists only sealed
 * (AES-256-GCM under the master key, bound to the SHA-256 thumbprint); nothing in this record is
 * secret once sealed, but only the public fields are ever mapped onto the wire.
 */
export interface StoredCertificate {
  /** SHA-1 of the DER, uppercase hex: what Windows admins call the thumbprint. */
  thumbprint: string;
  /** SHA-256 of the DER, uppercase hex. */
  thumbprintSha256: string;
  /** The certificate (PEM). */
  certificatePem: string;
  /** Intermediate/root certificates supplied with it (PEM), leaf's issuer first when given in order. */
  chainPems: string[];
  subject: string;
  issuer: string;
  serialNumber: string;
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  keyAlgorithm: string;
  keySizeBits: number;
  source: CertificateSource;
  /** `v1.<iv>.<ciphertext>.<tag>` of the PKCS#8 private key. */
  sealedPrivateKey: string;
  createdAt: Date;
}

/** A certificate request waiting for (or completed with) the CA-issued certificate. */
export interface CertificateRequest {
  id: string;
  status: 'pending' | 'completed';
  subject: string;
  dnsNames: string[];
  keySizeBits: number;
  csrPem: string;
  /** The pending key, sealed; null once the request is completed (the certificate holds it then). */
  sealedPrivateKey: string | null;
  createdAt: Date;
  completedAt: Date | null;
  certificateThumbprint: string | null;
}

/** Days before expiry from which a certificate is reported as expiring soon (SPEC 5.2). */
export const EXPIRY_WARNING_DAYS = 60;

const MS_PER_DAY = 86_400_000;

/** Whole days left until `notAfter` (negative once expired). */
export function daysToExpiry(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / MS_PER_DAY);
}

/** Still valid, but for fewer than EXPIRY_WARNING_DAYS days (an expired certificate is not "expiring soon"). */
export function expiresSoon(days: number): boolean {
  return days >= 0 && days < EXPIRY_WARNING_DAYS;
}

/** The `x5t` (base64url SHA-1) of a certificate, from its hex thumbprint. */
export const x5tOf = x5tFromHex;
