import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MultiLineText, Nullable } from '@s2s/http';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { type PartnerApplication, TRUST_LEVELS } from './partner-application.js';

const MAX_PEM = 65_536;

/** Body of `POST /admin/v1/partner-applications` (New-CsPartnerApplication). */
export class CreatePartnerApplicationDto {
  @ApiProperty({ example: 'microsoft.exchange' }) @IsString() @MaxLength(128) identity!: string;
  @ApiPropertyOptional({ example: 'https://mail.contoso.com/autodiscover/metadata/json/1' }) @IsOptional() @IsString() @MaxLength(2048) metadataUrl?: string;
  @ApiPropertyOptional({ description: 'Principal id (GUID), with realm and certificates, when there is no metadata URL.' }) @IsOptional() @IsString() @MaxLength(64) applicationIdentifier?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(253) realm?: string;
  @MultiLineText() @ApiPropertyOptional({ type: [String], description: 'Pinned certificates (PEM or base64 DER).' })
  @IsOptional() @IsArray() @ArrayMaxSize(5) @IsString({ each: true }) @MaxLength(MAX_PEM, { each: true })
  certificates?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String, example: 'mail.contoso.com', description: 'Host authority for the audience of tokens we send it.' })
  @IsOptional() @IsString() @MaxLength(260)
  hostAuthority?: string | null;
  @ApiPropertyOptional({ enum: TRUST_LEVELS, default: 'Application' }) @IsOptional() @IsIn(TRUST_LEVELS) trustLevel?: PartnerApplication['trustLevel'];
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() acceptSecurityIdentifierInformation?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Nullable() @MultiLineText() @ApiPropertyOptional({ nullable: true, type: String, description: 'CA certificates (PEM) trusted for the metadata URL, in addition to the system store.' })
  @IsOptional() @IsString() @MaxLength(MAX_PEM)
  metadataCaBundle?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Hosts the metadata may come from (default: the URL host). An IP literal also allows that loopback/link-local address.' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true })
  metadataHostAllowList?: string[];
  @ApiPropertyOptional({ default: false, description: 'Lab only: accept http:// metadata.' }) @IsOptional() @IsBoolean() allowHttpMetadata?: boolean;
}

/** Body of `PATCH /admin/v1/partner-applications/{identity}` (Set-CsPartnerApplication). */
export class UpdatePartnerApplicationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2048) metadataUrl?: string;
  @ApiPropertyOptional({ description: 'Cannot change (remove and re-create); accepted only when equal.' }) @IsOptional() @IsString() @MaxLength(64) applicationIdentifier?: string;
  @ApiPropertyOptional({ description: 'Cannot change (remove and re-create); accepted only when equal.' }) @IsOptional() @IsString() @MaxLength(253) realm?: string;
  @MultiLineText() @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(5) @IsString({ each: true }) @MaxLength(MAX_PEM, { each: true }) certificates?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(260) hostAuthority?: string | null;
  @ApiPropertyOptional({ enum: TRUST_LEVELS }) @IsOptional() @IsIn(TRUST_LEVELS) trustLevel?: PartnerApplication['trustLevel'];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() acceptSecurityIdentifierInformation?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @Nullable() @MultiLineText() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(MAX_PEM) metadataCaBundle?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true }) metadataHostAllowList?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowHttpMetadata?: boolean;
}

export class PartnerKeyDto {
  @ApiProperty() x5t!: string;
  @ApiProperty({ format: 'date-time' }) notBefore!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;
}

/** A partner application with its keys and metadata status. */
export class PartnerApplicationDto {
  @ApiProperty() identity!: string;
  @ApiProperty() applicationIdentifier!: string;
  @ApiProperty() realm!: string;
  @ApiProperty({ nullable: true, type: String }) metadataUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) hostAuthority!: string | null;
  @ApiProperty({ enum: TRUST_LEVELS }) trustLevel!: string;
  @ApiProperty() acceptSecurityIdentifierInformation!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() hasMetadataCaBundle!: boolean;
  @ApiProperty({ type: [String] }) metadataHostAllowList!: string[];
  @ApiProperty() allowHttpMetadata!: boolean;
  @ApiProperty({ type: [PartnerKeyDto] }) keys!: PartnerKeyDto[];
  @ApiProperty() metadataStatus!: { lastAttemptAt: string | null; lastSuccessAt: string | null; lastError: string | null; reviewReason: string | null };
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(partner: PartnerApplication): PartnerApplicationDto {
    const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
    return {
      identity: partner.identity,
      applicationIdentifier: partner.applicationIdentifier,
      realm: partner.realm,
      metadataUrl: partner.metadataUrl,
      hostAuthority: partner.hostAuthority,
      trustLevel: partner.trustLevel,
      acceptSecurityIdentifierInformation: partner.acceptSecurityIdentifierInformation,
      enabled: partner.enabled,
      hasMetadataCaBundle: partner.metadataCaBundle !== null,
      metadataHostAllowList: partner.metadataHostAllowList,
      allowHttpMetadata: partner.allowHttpMetadata,
      keys: partner.keys.map((key) => ({ x5t: key.x5t, notBefore: key.notBefore.toISOString(), notAfter: key.notAfter.toISOString() })),
      metadataStatus: {
        lastAttemptAt: iso(partner.metadataStatus.lastAttemptAt),
        lastSuccessAt: iso(partner.metadataStatus.lastSuccessAt),
        lastError: partner.metadataStatus.lastError,
        reviewReason: partner.metadataStatus.reviewReason,
      },
      createdAt: partner.createdAt.toISOString(),
      updatedAt: partner.updatedAt.toISOString(),
    };
  }
}

export class PartnerApplicationListDto {
  @ApiProperty({ type: [PartnerApplicationDto] }) items!: PartnerApplicationDto[];
}
