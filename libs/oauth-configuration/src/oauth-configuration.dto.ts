import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Nullable } from '@s2s/http';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { AUTO_RENEW_MODES, type AutoRenewMode, type OAuthConfiguration } from './oauth-configuration.js';

/** The OAuth configuration on the wire. */
export class OAuthConfigurationDto {
  @ApiProperty({ description: 'Principal id of this installation (lowercase GUID).', example: '8f5e2c1a-3b4d-4e6f-9a0b-1c2d3e4f5a6b' })
  serviceName!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Default realm (lowercase DNS name or GUID).', example: 'contoso.com' })
  realm!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Host authority partners address us by; null = host of PUBLIC_URL.' })
  publicHost!: string | null;
  @ApiProperty({ description: 'Actor token lifetime in seconds (60-86400).' }) actorTokenLifetimeSeconds!: number;
  @ApiProperty({ description: 'Outer token lifetime in seconds (60-3600).' }) outerTokenLifetimeSeconds!: number;
  @ApiProperty({ description: 'RFC 9068 access token lifetime in seconds (60-86400).' }) accessTokenLifetimeSeconds!: number;
  @ApiProperty({ description: 'Allowed clock skew for nbf/exp in seconds (0-900).' }) clockSkewSeconds!: number;
  @ApiProperty({ description: 'Partner metadata refresh interval in seconds (60-604800).' }) metadataRefreshIntervalSeconds!: number;
  @ApiProperty({ description: 'Shortest lead between staging a roll and its effective date, in seconds (0-2592000, default 86400 = 24 h); a shorter one needs force and a reason.' })
  minimumRollLeadSeconds!: number;
  @ApiProperty({ enum: AUTO_RENEW_MODES, description: 'Automatic renewal of the token-issuer certificate: off, self-signed (made here), csr (a request for a CA).' })
  autoRenew!: AutoRenewMode;
  @ApiProperty({ description: 'How long before the current certificate expires automatic renewal starts, in seconds (86400-31536000, default 2592000 = 30 days).' })
  renewBeforeSeconds!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(configuration: OAuthConfiguration): OAuthConfigurationDto {
    return { ...configuration, updatedAt: configuration.updatedAt.toISOString() };
  }
}

/**
 * Body of `PUT /admin/v1/oauth-configuration`: only the fields to change (like
 * `Set-CsOAuthConfiguration`). Formats and ranges are checked by the domain rules, which name the
 * field in a 422.
 */
export class UpdateOAuthConfigurationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  serviceName?: string;

  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @ValidateIf((_o, v) => v !== null) @IsOptional() @IsString() @MaxLength(253)
  realm?: string | null;

  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @ValidateIf((_o, v) => v !== null) @IsOptional() @IsString() @MaxLength(260)
  publicHost?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsInt() actorTokenLifetimeSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() outerTokenLifetimeSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() accessTokenLifetimeSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() clockSkewSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() metadataRefreshIntervalSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() minimumRollLeadSeconds?: number;
  @ApiPropertyOptional({ enum: AUTO_RENEW_MODES }) @IsOptional() @IsIn(AUTO_RENEW_MODES) autoRenew?: AutoRenewMode;
  @ApiPropertyOptional() @IsOptional() @IsInt() renewBeforeSeconds?: number;
}

/** Query string of the PUT: `force=true` allows a service name or realm change that breaks trust. */
export class UpdateOAuthConfigurationQueryDto {
  @ApiPropertyOptional({ description: 'Required to change the service name or realm once certificates or partners depend on them.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  force?: boolean;
}
