import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Nullable, OwnPropertiesFirst } from '@s2s/http';
import { CreateTrustedIssuerDto, MAX_METADATA_URL, TrustedIssuerDto, UpdateTrustedIssuerDto } from '@s2s/trusted-issuers';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import type { OAuthServer, OAuthServerKey } from './oauth-server.js';

const ALLOWED_TENANTS_DESCRIPTION = 'For a multi-tenant issuer (issuer with {tenantid}, e.g. https://login.microsoftonline.com/{tenantid}/v2.0): the tenants (tid) whose tokens are accepted.';
const ALLOW_ANY_TENANT_DESCRIPTION = 'For a multi-tenant issuer: accept tokens of any tenant. Only when you mean it: audited and flagged in status.';

/** Body of `POST /admin/v1/oauth-servers` (New-CsOAuthServer); the download policy fields are {@link CreateTrustedIssuerDto}'s. */
@OwnPropertiesFirst()
export class CreateOAuthServerDto extends CreateTrustedIssuerDto {
  @ApiProperty({ example: 'microsoft.sts' }) @IsString() @MaxLength(128) identity!: string;
  @ApiProperty({ description: 'ACS-style JSON metadata or OIDC discovery URL.' }) @IsString() @MaxLength(MAX_METADATA_URL) metadataUrl!: string;
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
  @ApiPropertyOptional({ type: [String], description: ALLOWED_TENANTS_DESCRIPTION })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true })
  allowedTenants?: string[];
  @ApiPropertyOptional({ description: ALLOW_ANY_TENANT_DESCRIPTION }) @IsOptional() @IsBoolean() allowAnyTenant?: boolean;
  @ApiPropertyOptional({
    description:
      'The issuer its tokens carry, when the discovery document names one other than the URL it is fetched from (Entra v1: https://sts.windows.net/{tenantid}/ from https://login.microsoftonline.com/common/.well-known/openid-configuration). The document must name exactly this issuer. Cannot be changed later.',
  })
  @IsOptional() @IsString() @MaxLength(512)
  issuer?: string;
}

/** Body of `PATCH /admin/v1/oauth-servers/{identity}` (Set-CsOAuthServer); the download policy fields are {@link UpdateTrustedIssuerDto}'s. */
@OwnPropertiesFirst()
export class UpdateOAuthServerDto extends UpdateTrustedIssuerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(MAX_METADATA_URL) metadataUrl?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(512, { each: true }) audiences?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(128) tenantId?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true }) allowedApplicationIds?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true }) allowedObjectIds?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(120) requiredRole?: string | null;
  @ApiPropertyOptional({ type: [String], description: `${ALLOWED_TENANTS_DESCRIPTION} Replaces the list.` })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true })
  allowedTenants?: string[];
  @ApiPropertyOptional({ description: ALLOW_ANY_TENANT_DESCRIPTION }) @IsOptional() @IsBoolean() allowAnyTenant?: boolean;
}

/** A signing key from the OAuth server's JWKS or metadata (the public key itself is not returned). */
export class OAuthServerKeyDto {
  @ApiProperty({ nullable: true, type: String }) kid!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'base64url SHA-1 thumbprint of the certificate, when the key came with one.' }) x5t!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '`alg` the key declares, if any.' }) alg!: string | null;
  @ApiProperty({ enum: ['RSA', 'EC'] }) kty!: string;

  static from(key: OAuthServerKey): OAuthServerKeyDto {
    return { kid: key.kid, x5t: key.x5t, alg: key.alg, kty: key.kty };
  }
}

/** An OAuth server with its keys and metadata status; the fields both kinds share are {@link TrustedIssuerDto}'s. */
@OwnPropertiesFirst()
export class OAuthServerDto extends TrustedIssuerDto {
  @ApiProperty() identity!: string;
  @ApiProperty() metadataUrl!: string;
  @ApiProperty({ enum: ['oidc', 'acs'] }) type!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty({ nullable: true, type: String }) jwksUri!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'ACS: the token issuance endpoint from its metadata (trust-broker requests for partners that use this server).' }) issuanceEndpoint!: string | null;
  @ApiProperty({ type: [String] }) audiences!: string[];
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty({ type: [String] }) allowedApplicationIds!: string[];
  @ApiProperty({ type: [String] }) allowedObjectIds!: string[];
  @ApiProperty({ nullable: true, type: String }) requiredRole!: string | null;
  @ApiProperty({ type: [String], description: ALLOWED_TENANTS_DESCRIPTION }) allowedTenants!: string[];
  @ApiProperty({ description: ALLOW_ANY_TENANT_DESCRIPTION }) allowAnyTenant!: boolean;
  @ApiProperty({ type: [OAuthServerKeyDto] }) keys!: OAuthServerKeyDto[];

  static from(server: OAuthServer): OAuthServerDto {
    return {
      identity: server.identity,
      metadataUrl: server.metadataUrl,
      type: server.type,
      issuer: server.issuer,
      jwksUri: server.jwksUri,
      issuanceEndpoint: server.issuanceEndpoint,
      audiences: server.audiences,
      tenantId: server.tenantId,
      allowedApplicationIds: server.allowedApplicationIds,
      allowedObjectIds: server.allowedObjectIds,
      requiredRole: server.requiredRole,
      allowedTenants: server.allowedTenants,
      allowAnyTenant: server.allowAnyTenant,
      ...TrustedIssuerDto.fieldsOf(server, server.keys.map((key) => OAuthServerKeyDto.from(key))),
    };
  }
}

export class OAuthServerListDto {
  @ApiProperty({ type: [OAuthServerDto] }) items!: OAuthServerDto[];
}
