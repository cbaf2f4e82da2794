import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MultiLineText, Nullable } from '@s2s/http';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import type { MetadataStatus } from './metadata-status.js';
import type { TrustedIssuer } from './trusted-issuer.js';

/** The longest PEM text a trusted issuer's body may carry (a CA bundle, a pinned certificate). */
export const MAX_PEM = 65_536;

/** The longest metadata URL (`metadataUrl` of both kinds, on POST and PATCH). */
export const MAX_METADATA_URL = 2048;

/**
 * The enabled flag and metadata download policy of `POST /admin/v1/<kind>` (SPEC 5.5, 5.9), the
 * same for partner applications and OAuth servers. A kind's create body extends it; its own fields
 * are validated (and reported) first, these last.
 */
export class CreateTrustedIssuerDto {
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Nullable() @MultiLineText() @ApiPropertyOptional({ nullable: true, type: String, description: 'CA certificates (PEM) trusted for the metadata URL, in addition to the system store.' })
  @IsOptional() @IsString() @MaxLength(MAX_PEM)
  metadataCaBundle?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Hosts the metadata may come from (default: the URL host). An IP literal also allows that loopback/link-local address.' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true })
  metadataHostAllowList?: string[];
  @ApiPropertyOptional({ default: false, description: 'Lab only: accept http:// metadata.' }) @IsOptional() @IsBoolean() allowHttpMetadata?: boolean;
}

/**
 * The same settings in `PATCH /admin/v1/<kind>/{identity}`: each one left out keeps its value
 * (`metadataHostAllowList` replaces the list; `metadataCaBundle: null` removes the bundle).
 */
export class UpdateTrustedIssuerDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @Nullable() @MultiLineText() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(MAX_PEM) metadataCaBundle?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true }) metadataHostAllowList?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowHttpMetadata?: boolean;
}

/** What the last metadata download of a trusted issuer said, and when (SPEC 5.5): `MetadataStatus` on the wire. */
export class MetadataStatusDto {
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSuccessAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last download failed (the last known good keys were kept); null after a success.' })
  lastError!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Set when the document now names another issuer (or realm): not applied until the issuer is re-created.' })
  reviewReason!: string | null;

  static from(status: MetadataStatus): MetadataStatusDto {
    return {
      lastAttemptAt: status.lastAttemptAt?.toISOString() ?? null,
      lastSuccessAt: status.lastSuccessAt?.toISOString() ?? null,
      lastError: status.lastError,
      reviewReason: status.reviewReason,
    };
  }
}

/**
 * The fields a partner application and an OAuth server answer alike: the enabled flag, the
 * download policy (never the CA bundle itself), the status of the last download and the
 * timestamps. A kind's response body extends it and declares its own `keys`.
 */
export abstract class TrustedIssuerDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty() hasMetadataCaBundle!: boolean;
  @ApiProperty({ type: [String] }) metadataHostAllowList!: string[];
  @ApiProperty() allowHttpMetadata!: boolean;
  @ApiProperty({ type: MetadataStatusDto }) metadataStatus!: MetadataStatusDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  /**
   * The shared fields of `issuer`, with its `keys` already mapped, in the order both kinds have
   * always answered them (JSON key order is part of the wire: a kind spreads this last).
   */
  static fieldsOf<KeyDto>(issuer: TrustedIssuer<unknown>, keys: KeyDto[]): TrustedIssuerFields<KeyDto> {
    return {
      enabled: issuer.enabled,
      hasMetadataCaBundle: issuer.metadataCaBundle !== null,
      metadataHostAllowList: issuer.metadataHostAllowList,
      allowHttpMetadata: issuer.allowHttpMetadata,
      keys,
      metadataStatus: MetadataStatusDto.from(issuer.metadataStatus),
      createdAt: issuer.createdAt.toISOString(),
      updatedAt: issuer.updatedAt.toISOString(),
    };
  }
}

/** The fields {@link TrustedIssuerDto.fieldsOf} gives: the shared ones and the kind's mapped `keys`. */
export type TrustedIssuerFields<KeyDto> = TrustedIssuerDto & { keys: KeyDto[] };
