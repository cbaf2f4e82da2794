import { ApiProperty } from '@nestjs/swagger';
import { TokenIssuerAssignmentDto } from '@s2s/certificates';
import type { MetadataDownloadSummary } from './metadata-download.js';
import type { PartnerFetchEvidence, RolloverEvidence } from './rollover-evidence.service.js';
import type { TokenIssuerRenewal } from './token-issuer-renewal.js';

/** One enabled partner: did it download our metadata since the next key was published? */
export class PartnerFetchEvidenceDto {
  @ApiProperty() identity!: string;
  @ApiProperty({ type: [String], description: 'Addresses counted as the partner’s: its metadata host name resolved now, plus its sourceAddresses.' }) addresses!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'Why addresses may be missing (host name did not resolve; none known).' }) addressProblem!: string | null;
  @ApiProperty({ description: 'A download of the metadata, discovery document or JWKS from one of its addresses since publication.' }) fetched!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastFetchAt!: string | null;
  @ApiProperty({ description: 'Downloads counted in the hourly records that have one after publication (the hour of publication may also count earlier ones).' })
  downloads!: number;
  @ApiProperty({ type: [String] }) userAgents!: string[];

  static from(evidence: PartnerFetchEvidence): PartnerFetchEvidenceDto {
    return { ...evidence, lastFetchAt: evidence.lastFetchAt?.toISOString() ?? null };
  }
}

/** Downloads from an address that belongs to no partner. */
export class UnknownFetcherDto {
  @ApiProperty() sourceAddress!: string;
  @ApiProperty() userAgent!: string;
  @ApiProperty() downloads!: number;
  @ApiProperty({ type: [String], enum: ['metadata', 'discovery', 'jwks'] }) documents!: string[];
  @ApiProperty({ format: 'date-time' }) firstAt!: string;
  @ApiProperty({ format: 'date-time' }) lastAt!: string;

  static from(summary: MetadataDownloadSummary): UnknownFetcherDto {
    return {
      sourceAddress: summary.sourceAddress,
      userAgent: summary.userAgent,
      downloads: summary.count,
      documents: summary.documents,
      firstAt: summary.firstAt.toISOString(),
      lastAt: summary.lastAt.toISOString(),
    };
  }
}

/** Who fetched our metadata since the next key was published. */
export class RolloverEvidenceDto {
  @ApiProperty({ format: 'date-time', description: 'When the next key was published; downloads count from here.' }) since!: string;
  @ApiProperty({ type: [PartnerFetchEvidenceDto], description: 'Every enabled partner.' }) partners!: PartnerFetchEvidenceDto[];
  @ApiProperty({ type: [UnknownFetcherDto] }) unknownFetchers!: UnknownFetcherDto[];
  @ApiProperty({ description: 'Every enabled partner fetched (true when there is none).' }) allPartnersFetched!: boolean;

  static from(evidence: RolloverEvidence): RolloverEvidenceDto {
    return {
      since: evidence.since.toISOString(),
      partners: evidence.partners.map((partner) => PartnerFetchEvidenceDto.from(partner)),
      unknownFetchers: evidence.unknownFetchers.map((summary) => UnknownFetcherDto.from(summary)),
      allPartnersFetched: evidence.allPartnersFetched,
    };
  }
}

/** Automatic renewal of the current certificate. */
export class TokenIssuerRenewalDto {
  @ApiProperty() renewsThumbprint!: string;
  @ApiProperty({ enum: ['self-signed', 'csr'] }) mode!: string;
  @ApiProperty({ nullable: true, type: String, description: 'csr mode: the certificate request to complete.' }) requestId!: string | null;
  @ApiProperty({ nullable: true, type: String }) successorThumbprint!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) stagedAt!: string | null;
  @ApiProperty({ enum: ['waiting-for-certificate', 'staged'] }) state!: string;

  static from(renewal: TokenIssuerRenewal): TokenIssuerRenewalDto {
    return {
      renewsThumbprint: renewal.renewsThumbprint,
      mode: renewal.mode,
      requestId: renewal.requestId,
      successorThumbprint: renewal.successorThumbprint,
      startedAt: renewal.startedAt.toISOString(),
      stagedAt: renewal.stagedAt?.toISOString() ?? null,
      state: renewal.stagedAt ? 'staged' : 'waiting-for-certificate',
    };
  }
}

/** `GET /admin/v1/certificate-assignments/oauth-token-issuer/status`. */
export class TokenIssuerRolloverStatusDto {
  @ApiProperty({ type: TokenIssuerAssignmentDto }) slots!: TokenIssuerAssignmentDto;
  @ApiProperty({
    enum: ['none', 'staged', 'waiting-for-partners'],
    description: 'none: nothing staged; staged: a next certificate waits for its effective date; waiting-for-partners: a gated roll is past its effective date and waits (alert).',
  })
  rollState!: string;
  @ApiProperty({ type: RolloverEvidenceDto, nullable: true, description: 'Downloads since the next key was published; null when nothing is staged.' })
  evidence!: RolloverEvidenceDto | null;
  @ApiProperty({ type: TokenIssuerRenewalDto, nullable: true, description: 'Automatic renewal of the current certificate, once started.' })
  renewal!: TokenIssuerRenewalDto | null;
}
