import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MultiLineText } from '@s2s/http';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { KEY_SIZES, MAX_VALIDITY_DAYS } from './certificate-input.rules.js';
import type { CertificateView } from './certificate-store.service.js';
import { type CertificateRequest, daysToExpiry, EXPIRY_WARNING_DAYS, expiresSoon, type StoredCertificate, x5tOf } from './stored-certificate.js';
import type { TokenIssuerAssignmentView } from './token-issuer-assignment.service.js';

/** Upload caps: far above any real certificate, far below the body limit (SPEC 6: oversized uploads are refused). */
const MAX_PEM_CHARS = 65_536;
const MAX_PFX_BASE64_CHARS = 262_144;
const MAX_NAMES = 50;

/** Body of `POST /admin/v1/certificates`: a PFX with its password, or a PEM certificate with its key. */
export class ImportCertificateDto {
  @MultiLineText() @ApiPropertyOptional({ description: 'Base64 of a PKCS#12 (.pfx/.p12) file. Give `password` with it.' })
  @IsOptional() @IsString() @MaxLength(MAX_PFX_BASE64_CHARS)
  pfx?: string;

  @ApiPropertyOptional({ description: 'Password of the PFX (may be empty). Never stored, logged or echoed.', writeOnly: true })
  @IsOptional() @IsString() @MaxLength(1024)
  password?: string;

  @MultiLineText() @ApiPropertyOptional({ description: 'The certificate: PEM (leaf first; more blocks count as chain) or base64 DER (.cer).' })
  @IsOptional() @IsString() @MaxLength(MAX_PEM_CHARS)
  certificate?: string;

  @MultiLineText() @ApiPropertyOptional({ description: 'Unencrypted PEM private key of the certificate (PKCS#8, PKCS#1 or SEC 1).', writeOnly: true })
  @IsOptional() @IsString() @MaxLength(MAX_PEM_CHARS)
  privateKey?: string;

  @MultiLineText() @ApiPropertyOptional({ description: 'Intermediate/root certificates (PEM), published in `x5c` after the certificate.' })
  @IsOptional() @IsString() @MaxLength(MAX_PEM_CHARS)
  chain?: string;
}

/** Realms, extra names, key size and subject shared by self-signed certificates and requests. */
class NewKeyDto {
  @ApiProperty({ type: [String], example: ['contoso.com'], description: 'Realms: become SAN DNS names (the first one is the default CN).' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_NAMES) @IsString({ each: true }) @MaxLength(253, { each: true })
  realms!: string[];

  @ApiPropertyOptional({ type: [String], description: 'Extra SAN DNS names.' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_NAMES) @IsString({ each: true }) @MaxLength(253, { each: true })
  dnsNames?: string[];

  @ApiPropertyOptional({ enum: KEY_SIZES, default: 2048, description: 'RSA key size in bits.' })
  @IsOptional() @IsIn(KEY_SIZES)
  keySize?: number;

  @ApiPropertyOptional({ example: 'CN=s2s.contoso.com, O=Contoso', description: 'Subject DN; default `CN=<first realm>`.' })
  @IsOptional() @IsString() @MaxLength(512)
  subject?: string;
}

/** Body of `POST /admin/v1/certificates/self-signed`. */
export class CreateSelfSignedCertificateDto extends NewKeyDto {
  @ApiPropertyOptional({ default: 365, minimum: 1, maximum: MAX_VALIDITY_DAYS, description: 'Validity in days.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_VALIDITY_DAYS)
  days?: number;
}

/** Body of `POST /admin/v1/certificate-requests`. */
export class CreateCertificateRequestDto extends NewKeyDto {}

/** Body of `POST /admin/v1/certificate-requests/{id}/complete`. */
export class CompleteCertificateRequestDto {
  @MultiLineText() @ApiProperty({ description: 'The CA-issued certificate: PEM or base64 DER (.cer).' })
  @IsString() @MaxLength(MAX_PEM_CHARS)
  certificate!: string;

  @MultiLineText() @ApiPropertyOptional({ description: 'Intermediate/root certificates (PEM).' })
  @IsOptional() @IsString() @MaxLength(MAX_PEM_CHARS)
  chain?: string;
}

/** Body of `PUT /admin/v1/certificate-assignments/oauth-token-issuer`. */
export class AssignTokenIssuerCertificateDto {
  @ApiProperty({ description: 'SHA-1 (or SHA-256) thumbprint, any case, spaces/colons allowed.' })
  @IsString() @MaxLength(200)
  thumbprint!: string;

  @ApiPropertyOptional({ description: 'Stage as next, to become current at `effectiveDate` (Set-CsCertificate -Roll).' })
  @IsOptional() @IsBoolean()
  roll?: boolean;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-31T00:00:00Z', description: 'ISO-8601 with a time zone; only with `roll`.' })
  @IsOptional() @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'effectiveDate must be an ISO-8601 date-time with a time zone, e.g. 2027-01-31T00:00:00Z' })
  effectiveDate?: string;

  @ApiPropertyOptional({ description: 'Allow an effective date closer than the minimum roll lead (oauth-configuration minimumRollLeadSeconds); needs `reason`.' })
  @IsOptional() @IsBoolean()
  force?: boolean;

  @ApiPropertyOptional({ description: 'Why the minimum roll lead is overridden (with `force`, 1-500 characters); recorded in the audit log.' })
  @IsOptional() @IsString() @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ description: 'Activation gate (with `roll`): at the effective date become current only once every enabled partner has downloaded our metadata since publication; at `deadline` anyway.' })
  @IsOptional() @IsBoolean()
  activateWhenFetched?: boolean;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-02-07T00:00:00Z', description: 'With `activateWhenFetched`: when the roll activates anyway (default: 7 days after the effective date, at most 1 h before either certificate expires).' })
  @IsOptional() @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'deadline must be an /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/-8601 date-time with a time zone, e.g. 2027-02-07T00:00:00Z' })
  deadline?: string;

  @ApiPropertyOptional({ description: 'Keep the certificate this change retires in the previous slot until removed by hand (default: removed automatically once every token it signed has expired).' })
  @IsOptional() @IsBoolean()
  keepPrevious?: boolean;
}

/** A stored certificate (never its private key). */
export class CertificateDto {
  @ApiProperty({ description: 'SHA-1 thumbprint, uppercase hex (as Windows shows it).' }) thumbprint!: string;
  @ApiProperty({ description: 'SHA-256 thumbprint, uppercase hex.' }) thumbprintSha256!: string;
  @ApiProperty({ description: '`x5t`: base64url SHA-1 of the DER, as in token headers and metadata.' }) x5t!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty({ description: 'Serial number, uppercase hex.' }) serialNumber!: string;
  @ApiProperty({ type: [String] }) dnsNames!: string[];
  @ApiProperty({ format: 'date-time' }) notBefore!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;
  @ApiProperty({ description: 'Whole days until expiry (negative once expired).' }) daysToExpiry!: number;
  @ApiProperty({ description: `True when the certificate is still valid but fewer than ${EXPIRY_WARNING_DAYS} days are left (false once expired: see daysToExpiry).` }) expiresSoon!: boolean;
  @ApiProperty({ example: 'RSA' }) keyAlgorithm!: string;
  @ApiProperty() keySizeBits!: number;
  @ApiProperty({ description: 'Always true: certificates without their private key are refused.' }) hasPrivateKey!: boolean;
  @ApiProperty({ enum: ['self-signed', 'pfx', 'pem', 'request'] }) source!: string;
  @ApiProperty({ description: 'Number of chain certificates stored with it.' }) chainLength!: number;
  @ApiProperty({ enum: ['current', 'next', 'previous'], nullable: true, type: String, description: 'OAuth token-issuer slot.' })
  assignment!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ description: 'The public certificate (PEM); on single-certificate responses.' }) certificatePem?: string;

  static from(view: CertificateView, now: Date, options: { withPem?: boolean } = {}): CertificateDto {
    const { certificate } = view;
    const days = daysToExpiry(certificate.notAfter, now);
    return {
      thumbprint: certificate.thumbprint,
      thumbprintSha256: certificate.thumbprintSha256,
      x5t: x5tOf(certificate.thumbprint),
      subject: certificate.subject,
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
      dnsNames: certificate.dnsNames,
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      daysToExpiry: days,
      expiresSoon: expiresSoon(days),
      keyAlgorithm: certificate.keyAlgorithm,
      keySizeBits: certificate.keySizeBits,
      hasPrivateKey: certificate.sealedPrivateKey.length > 0,
      source: certificate.source,
      chainLength: certificate.chainPems.length,
      assignment: view.slot,
      createdAt: certificate.createdAt.toISOString(),
      ...(options.withPem ? { certificatePem: certificate.certificatePem } : {}),
    };
  }
}

export class CertificateListDto {
  @ApiProperty({ type: [CertificateDto] }) items!: CertificateDto[];
}

/** A certificate request with its CSR (the pending private key stays inside). */
export class CertificateRequestDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['pending', 'completed'] }) status!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ type: [String] }) dnsNames!: string[];
  @ApiProperty() keySizeBits!: number;
  @ApiProperty({ description: 'PKCS#10 CSR (PEM) to give to the CA.' }) csr!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) certificateThumbprint!: string | null;

  static from(request: CertificateRequest): CertificateRequestDto {
    return {
      id: request.id,
      status: request.status,
      subject: request.subject,
      dnsNames: request.dnsNames,
      keySizeBits: request.keySizeBits,
      csr: request.csrPem,
      createdAt: request.createdAt.toISOString(),
      completedAt: request.completedAt?.toISOString() ?? null,
      certificateThumbprint: request.certificateThumbprint,
    };
  }
}

export class CertificateRequestListDto {
  @ApiProperty({ type: [CertificateRequestDto] }) items!: CertificateRequestDto[];
}

/** One token-issuer slot. */
export class AssignedCertificateDto {
  @ApiProperty() thumbprint!: string;
  @ApiProperty() thumbprintSha256!: string;
  @ApiProperty() x5t!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ type: [String] }) dnsNames!: string[];
  @ApiProperty({ format: 'date-time' }) notBefore!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;
  @ApiProperty() daysToExpiry!: number;
  @ApiProperty() expiresSoon!: boolean;

  static from(certificate: StoredCertificate, now: Date): AssignedCertificateDto {
    const days = daysToExpiry(certificate.notAfter, now);
    return {
      thumbprint: certificate.thumbprint,
      thumbprintSha256: certificate.thumbprintSha256,
      x5t: x5tOf(certificate.thumbprint),
      subject: certificate.subject,
      dnsNames: certificate.dnsNames,
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      daysToExpiry: days,
      expiresSoon: expiresSoon(days),
    };
  }
}

export class StagedCertificateDto extends AssignedCertificateDto {
  @ApiProperty({ format: 'date-time', description: 'When it becomes current.' }) effectiveDate!: string;
  @ApiProperty({ format: 'date-time', description: 'When it was staged and published in the metadata.' }) publishedAt!: string;
  @ApiProperty({ description: 'Activation gate: current only once every enabled partner fetched the metadata since publication (or at the deadline).' }) activateWhenFetched!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Gated roll: when it becomes current anyway; null when not gated.' }) deadline!: string | null;
  @ApiProperty({ description: 'The certificate this roll retires stays until removed by hand.' }) keepPrevious!: boolean;
}

/** `GET /admin/v1/certificate-assignments/oauth-token-issuer`. */
export class TokenIssuerAssignmentDto {
  @ApiProperty({ enum: ['OAuthTokenIssuer'] }) type!: 'OAuthTokenIssuer';
  @ApiProperty({ type: AssignedCertificateDto, nullable: true }) current!: AssignedCertificateDto | null;
  @ApiProperty({ type: StagedCertificateDto, nullable: true }) next!: StagedCertificateDto | null;
  @ApiProperty({ type: AssignedCertificateDto, nullable: true }) previous!: AssignedCertificateDto | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the previous certificate is removed automatically (every token it signed has expired); null when it is not.' })
  previousRemovalAt!: string | null;

  static from(view: TokenIssuerAssignmentView, now: Date): TokenIssuerAssignmentDto {
    const roll = view.roll;
    return {
      type: 'OAuthTokenIssuer',
      current: view.current ? AssignedCertificateDto.from(view.current, now) : null,
      next:
        view.next && view.nextEffectiveAt && roll
          ? {
              ...AssignedCertificateDto.from(view.next, now),
              effectiveDate: view.nextEffectiveAt.toISOString(),
              publishedAt: roll.publishedAt.toISOString(),
              activateWhenFetched: roll.activateWhenFetched,
              deadline: roll.activateWhenFetched ? roll.deadline.toISOString() : null,
              keepPrevious: roll.keepPrevious,
            }
          : null,
      previous: view.previous ? AssignedCertificateDto.from(view.previous, now) : null,
      previousRemovalAt: view.previousRemovalAt?.toISOString() ?? null,
    };
  }
}
