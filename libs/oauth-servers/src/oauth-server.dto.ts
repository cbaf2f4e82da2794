import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MultiLineText, Nullable } from '@s2s/http';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import type { OAuthServer } from './oauth-server.js';

/** Body of `POST /admin/v1/oauth-servers` (New-CsOAuthServer). */
export class CreateOAuthServerDto {
  @ApiProperty({ example: 'microsoft.sts' }) @IsString() @MaxLength(128) identity!: string;
  @ApiProperty({ description: 'ACS-style JSON metadata or OIDC discovery URL.' }) @IsString() @MaxLength(2048) metadataUrl!: string;
  @ApiProperty({ type: [String], description: 'Accepted `aud` values (ServiceAuthAudience).' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(512, { each: true })
  audiences!: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String, description: 'Required `tid` (ServiceAuthTenantId).' }) @IsOptional() @IsString() @MaxLength(128) tenantId?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Allowed calling applications (ServiceApplicationIds).' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true })
  allowedApplicationIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Allowed `oid` values (ServiceObjectIds).' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true })
  allowedObjectIds?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String, description: 'Required app role (ServiceAuthRole).' }) @IsOptional() @IsString() @MaxLength(120) requiredRole?: string | null;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Nullable() @MultiLineText() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(65_536) metadataCaBundle?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true }) metadataHostAllowList?: string[];
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() allowHttpMetadata?: boolean;
}

export class UpdateOAuthServerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2048) metadataUrl?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(512, { each: true }) audiences?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(128) tenantId?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true }) allowedApplicationIds?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true }) allowedObjectIds?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(120) requiredRole?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @Nullable() @MultiLineText() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(65_536) metadataCaBundle?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true }) metadataHostAllowList?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowHttpMetadata?: boolean;
}

export class OAuthServerDto {
  @ApiProperty() identity!: string;
  @ApiProperty() metadataUrl!: string;
  @ApiProperty({ enum: ['oidc', 'acs'] }) type!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty({ nullable: true, type: String }) jwksUri!: string | null;
  @ApiProperty({ type: [String] }) audiences!: string[];
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty({ type: [String] }) allowedApplicationIds!: string[];
  @ApiProperty({ type: [String] }) allowedObjectIds!: string[];
  @ApiProperty({ nullable: true, type: String }) requiredRole!: string | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() hasMetadataCaBundle!: boolean;
  @ApiProperty({ type: [String] }) metadataHostAllowList!: string[];
  @ApiProperty() allowHttpMetadata!: boolean;
  @ApiProperty() keys!: { kid: string | null; x5t: string | null; alg: string | null; kty: string }[];
  @ApiProperty() metadataStatus!: { lastAttemptAt: string | null; lastSuccessAt: string | null; lastError: string | null; reviewReason: string | null };
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(server: OAuthServer): OAuthServerDto {
    const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
    return {
      identity: server.identity,
      metadataUrl: server.metadataUrl,
      type: server.type,
      issuer: server.issuer,
      jwksUri: server.jwksUri,
      audiences: server.audiences,
      tenantId: server.tenantId,
      allowedApplicationIds: server.allowedApplicationIds,
      allowedObjectIds: server.allowedObjectIds,
      requiredRole: server.requiredRole,
      enabled: server.enabled,
      hasMetadataCaBundle: server.metadataCaBundle !== null,
      metadataHostAllowList: server.metadataHostAllowList,
      allowHttpMetadata: server.allowHttpMetadata,
      keys: server.keys.map(({ kid, x5t, alg, kty }) => ({ kid, x5t, alg, kty })),
      metadataStatus: {
        lastAttemptAt: iso(server.metadataStatus.lastAttemptAt),
        lastSuccessAt: iso(server.metadataStatus.lastSuccessAt),
        lastError: server.metadataStatus.lastError,
        reviewReason: server.metadataStatus.reviewReason,
      },
      createdAt: server.createdAt.toISOString(),
      updatedAt: server.updatedAt.toISOString(),
    };
  }
}

export class OAuthServerListDto {
  @ApiProperty({ type: [OAuthServerDto] }) items!: OAuthServerDto[];
}
