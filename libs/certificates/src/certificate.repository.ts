import type { CertificateRequest, StoredCertificate } from './stored-certificate.js';
import type { TokenIssuerAssignment } from './token-issuer-assignment.js';

/** Storage port of the certificate store (implemented by the persistence library). */
export abstract class CertificateRepository {
  /** Every stored certificate, newest first. */
  abstract list(): Promise<StoredCertificate[]>;
  /** By SHA-1 (40 hex) or SHA-256 (64 hex) uppercase thumbprint. */
  abstract find(thumbprint: string): Promise<StoredCertificate | null>;
  /** By SHA-1 thumbprints; missing ones are left out. */
  abstract findMany(thumbprints: string[]): Promise<StoredCertificate[]>;
  abstract insert(certificate: StoredCertificate): Promise<void>;
  abstract delete(thumbprint: string): Promise<void>;
}

/** Storage port of pending and completed certificate requests. */
export abstract class CertificateRequestRepository {
  /** Every request, newest first. */
  abstract list(): Promise<CertificateRequest[]>;
  abstract find(id: string): Promise<CertificateRequest | null>;
  abstract insert(request: CertificateRequest): Promise<void>;
  abstract update(request: CertificateRequest): Promise<void>;
  abstract delete(id: string): Promise<void>;
}

/** Storage port of the OAuth token-issuer slots (one row). */
export abstract class TokenIssuerAssignmentRepository {
  /** The stored slots; all empty before the first assignment. */
  abstract find(): Promise<TokenIssuerAssignment>;
  abstract save(assignment: TokenIssuerAssignment): Promise<void>;
}
