/**
 * Shapes of the admin API's certificate resources (`/admin/v1/certificates`,
 * `/certificate-requests`, `/certificate-assignments`) as s2sctl reads and sends them. None of
 * them carries a private key: keys stay in the service (SPEC 5.2).
 */

export type CertificateSource = 'self-signed' | 'pfx' | 'pem' | 'request';
export type AssignmentSlot = 'current' | 'next' | 'previous';

/** Body of GET /certificates/{thumbprint}; list items lack `certificatePem`. */
export interface Certificate {
  /** SHA-1, 40 uppercase hex digits: what admins type. */
  readonly thumbprint: string;
  readonly thumbprintSha256: string;
  readonly x5t: string;
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whole days left; negative once expired. */
  readonly daysToExpiry: number;
  /** Fewer than {@link EXPIRY_WARNING_DAYS} days left. */
  readonly expiresSoon: boolean;
  readonly keyAlgorithm: string;
  readonly keySizeBits: number;
  readonly hasPrivateKey: boolean;
  readonly source: CertificateSource;
  readonly chainLength: number;
  readonly assignment: AssignmentSlot | null;
  readonly createdAt: string;
  /** Public certificate only; present on GET /certificates/{thumbprint} and create responses. */
  readonly certificatePem?: string;
}

export interface CertificateList {
  readonly items: readonly Certificate[];
}

/** A pending (or completed) certificate signing request: the key pair waits in the service. */
export interface CertificateRequest {
  readonly id: string;
  readonly status: 'pending' | 'completed';
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly keySizeBits: number;
  /** PKCS#10 PEM to hand to the CA. */
  readonly csr: string;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly certificateThumbprint: string | null;
}

/** A certificate as it appears in an assignment slot. */
export interface AssignedCertificate {
  readonly thumbprint: string;
  readonly thumbprintSha256: string;
  readonly x5t: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysToExpiry: number;
  readonly expiresSoon: boolean;
}

/** Body of GET/PUT/DELETE on /certificate-assignments/oauth-token-issuer[/previous]. */
export interface CertificateAssignment {
  readonly type: AssignmentType;
  readonly current: AssignedCertificate | null;
  /** Staged by a roll: published in metadata now, becomes current at `effectiveDate`. */
  readonly next: StagedCertificate | null;
  readonly previous: AssignedCertificate | null;
  /** When the previous certificate is removed automatically, or null. */
  readonly previousRemovalAt: string | null;
}

/** The next slot: the certificate and how its roll activates. */
export interface StagedCertificate extends AssignedCertificate {
  readonly effectiveDate: string;
  readonly publishedAt: string;
  readonly activateWhenFetched: boolean;
  readonly deadline: string | null;
  readonly keepPrevious: boolean;
}

/** One enabled partner in the rollover evidence. */
export interface PartnerFetchEvidence {
  readonly identity: string;
  readonly addresses: readonly string[];
  readonly addressProblem: string | null;
  readonly fetched: boolean;
  readonly lastFetchAt: string | null;
  readonly downloads: number;
  readonly userAgents: readonly string[];
}

/** Downloads from an address of no partner. */
export interface UnknownFetcher {
  readonly sourceAddress: string;
  readonly userAgent: string;
  readonly downloads: number;
  readonly documents: readonly string[];
  readonly firstAt: string;
  readonly lastAt: string;
}

/** Body of GET /certificate-assignments/oauth-token-issuer/status. */
export interface RolloverStatus {
  readonly slots: CertificateAssignment;
  readonly rollState: string;
  readonly evidence: {
    readonly since: string;
    readonly partners: readonly PartnerFetchEvidence[];
    readonly unknownFetchers: readonly UnknownFetcher[];
    readonly allPartnersFetched: boolean;
  } | null;
  readonly renewal: {
    readonly renewsThumbprint: string;
    readonly mode: string;
    readonly requestId: string | null;
    readonly successorThumbprint: string | null;
    readonly startedAt: string;
    readonly stagedAt: string | null;
    readonly state: string;
  } | null;
}

/** RSA key sizes the service generates (SPEC 5.2); it picks 2048 when none is given. */
export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export type RsaKeySize = (typeof RSA_KEY_SIZES)[number];

/** Certificate usages that can be assigned, spelled like `Set-CsCertificate -Type`. */
export const ASSIGNMENT_TYPES = ['OAuthTokenIssuer'] as const;
export type AssignmentType = (typeof ASSIGNMENT_TYPES)[number];

/** API path of each usage's assignment, relative to /admin/v1. */
export const ASSIGNMENT_PATHS: Readonly<Record<AssignmentType, string>> = {
  OAuthTokenIssuer: '/certificate-assignments/oauth-token-issuer',
};

/** The server flags certificates with fewer days left as `expiresSoon` (SPEC 5.2). */
export const EXPIRY_WARNING_DAYS = 60;

/** POST /certificate-requests; POST /certificates/self-signed adds `days`. Only given fields are sent. */
export interface NewKeyBody {
  readonly realms: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly keySize?: RsaKeySize;
  readonly subject?: string;
}

export interface SelfSignedBody extends NewKeyBody {
  readonly days?: number;
}

/** POST /certificates: a PKCS#12 file, or PEM certificate + key (+ chain). */
export type ImportBody =
  | { readonly pfx: string; readonly password: string }
  | { readonly certificate: string; readonly privateKey: string; readonly chain?: string };

/** POST /certificate-requests/{id}/complete. */
export interface CompletionBody {
  readonly certificate: string;
  readonly chain?: string;
}

/** PUT /certificate-assignments/oauth-token-issuer: assign now, or roll at `effectiveDate`. */
export interface AssignmentBody {
  readonly thumbprint: string;
  readonly roll?: true;
  readonly effectiveDate?: string;
  readonly force?: true;
  readonly reason?: string;
  readonly activateWhenFetched?: true;
  readonly deadline?: string;
  readonly keepPrevious?: true;
}
