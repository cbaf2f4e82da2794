import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { x5tFromHex } from '@s2s/crypto';
import { MultiLineText, Nullable } from '@s2s/http';
import { GRANT_TYPES, type ClientRegistration } from './client.js';
import type { IssuedSecret } from './client.service.js';
import { MEMBER_TYPES, type Resource } from './resource.js';

export class AppRoleDto {
  @ApiProperty({ example: 'Files.Read.All' }) @IsString() @MaxLength(120) value!: string;
  @MultiLineText() @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ enum: MEMBER_TYPES, isArray: true, default: ['Application'] })
  @IsOptional() @IsArray() @ArrayMaxSize(2) @IsIn(MEMBER_TYPES, { each: true })
  allowedMemberTypes?: string[];
}

export class DelegatedScopeDto {
  @ApiProperty({ example: 'user_impersonation' }) @IsString() @MaxLength(120) value!: string;
  @MultiLineText() @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
}

/** Body of `POST /admin/v1/resources`. */
export class CreateResourceDto {
  @ApiProperty({ example: 'api://webapi', description: 'Application ID URI: the `aud` of its tokens.' }) @IsString() @MaxLength(512) appIdUri!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ type: [AppRoleDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => AppRoleDto) roles?: AppRoleDto[];
  @ApiPropertyOptional({ type: [DelegatedScopeDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => DelegatedScopeDto) scopes?: DelegatedScopeDto[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String, description: 'The client this API calls downstream APIs as (on-behalf-of).' })
  @IsOptional() @IsUUID()
  clientId?: string | null;
}

/** Body of `PATCH /admin/v1/resources/{id}`: lists replace the old ones. */
export class UpdateResourceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ type: [AppRoleDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => AppRoleDto) roles?: AppRoleDto[];
  @ApiPropertyOptional({ type: [DelegatedScopeDto] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => DelegatedScopeDto) scopes?: DelegatedScopeDto[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() clientId?: string | null;
}

/** An app role as responses show it: the server has filled in what the request left out. */
export class ResourceRoleDto {
  @ApiProperty() value!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: MEMBER_TYPES, isArray: true }) allowedMemberTypes!: string[];
}

/** A delegated scope as responses show it. */
export class ResourceScopeDto {
  @ApiProperty() value!: string;
  @ApiProperty() description!: string;
}

export class ResourceDto {
  @ApiProperty() id!: string;
  @ApiProperty() appIdUri!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: [ResourceRoleDto] }) roles!: ResourceRoleDto[];
  @ApiProperty({ type: [ResourceScopeDto] }) scopes!: ResourceScopeDto[];
  @ApiProperty({ nullable: true, type: String }) clientId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(resource: Resource): ResourceDto {
    return {
      id: resource.id,
      appIdUri: resource.appIdUri,
      displayName: resource.displayName,
      roles: resource.roles,
      scopes: resource.scopes,
      clientId: resource.clientId,
      createdAt: resource.createdAt.toISOString(),
      updatedAt: resource.updatedAt.toISOString(),
    };
  }
}

export class ResourceListDto {
  @ApiProperty({ type: [ResourceDto] }) items!: ResourceDto[];
}

/** Body of `POST /admin/v1/clients`. */
export class CreateClientDto {
  @ApiProperty({ example: 'conferencing' }) @IsString() @MaxLength(200) displayName!: string;
  @ApiPropertyOptional({ description: 'Realm of its tokens; default: the configured realm.' }) @IsOptional() @IsString() @MaxLength(253) realm?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ default: false, description: 'May assert users (upn/smtp/sip/sid).' }) @IsOptional() @IsBoolean() actAsUsers?: boolean;
  @ApiPropertyOptional({ enum: GRANT_TYPES, isArray: true, default: ['client_credentials'] }) @IsOptional() @IsArray() @ArrayMaxSize(2) @IsString({ each: true }) grantTypes?: string[];
  @ApiPropertyOptional({ default: false, description: 'Legacy: accept the token endpoint URL as client assertion audience.' })
  @IsOptional() @IsBoolean()
  allowTokenEndpointAudience?: boolean;
  @ApiPropertyOptional({ default: true, description: 'Create a first secret (returned once).' }) @IsOptional() @IsBoolean() withSecret?: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) secretExpiresAt?: string;
}

/** Body of `PATCH /admin/v1/clients/{id}`. */
export class UpdateClientDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(253) realm?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() actAsUsers?: boolean;
  @ApiPropertyOptional({ enum: GRANT_TYPES, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(2) @IsString({ each: true }) grantTypes?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowTokenEndpointAudience?: boolean;
}

export class AddClientSecretDto {
  @MultiLineText() @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) description?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;
}

export class AddClientCertificateDto {
  @MultiLineText() @ApiProperty({ description: 'PEM or base64 DER certificate whose key signs private_key_jwt assertions.' }) @IsString() @MaxLength(65_536) certificate!: string;
}

export class RoleGrantDto {
  @ApiProperty({ description: 'Application ID URI or id of the resource.' }) @IsString() @MaxLength(512) resource!: string;
  @ApiProperty() @IsString() @MaxLength(120) role!: string;
}

export class ScopeGrantDto {
  @ApiProperty({ description: 'Application ID URI or id of the resource.' }) @IsString() @MaxLength(512) resource!: string;
  @ApiProperty() @IsString() @MaxLength(120) scope!: string;
}

/** An app role granted to a client, as responses list it. */
export class GrantedRoleDto {
  @ApiProperty({ description: 'Application ID URI of the resource.' }) resource!: string;
  @ApiProperty() resourceId!: string;
  @ApiProperty() role!: string;
}

/** A delegated scope granted to a client, as responses list it. */
export class GrantedScopeDto {
  @ApiProperty({ description: 'Application ID URI of the resource.' }) resource!: string;
  @ApiProperty() resourceId!: string;
  @ApiProperty() scope!: string;
}

export class ClientSecretDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Last characters of the secret.' }) hint!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
}

export class CreatedClientSecretDto extends ClientSecretDto {
  @ApiProperty({ description: 'The secret. Shown only in this response.' }) clientSecret!: string;

  static from(issued: IssuedSecret): CreatedClientSecretDto {
    return { ...secretDto(issued.secret), clientSecret: issued.value };
  }
}

export class ClientCertificateDto {
  @ApiProperty() thumbprint!: string;
  @ApiProperty() thumbprintSha256!: string;
  @ApiProperty() x5t!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;
}

export class ClientDto {
  @ApiProperty() clientId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() realm!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() actAsUsers!: boolean;
  @ApiProperty({ enum: GRANT_TYPES, isArray: true }) grantTypes!: string[];
  @ApiProperty() allowTokenEndpointAudience!: boolean;
  @ApiProperty({ type: [ClientSecretDto] }) secrets!: ClientSecretDto[];
  @ApiProperty({ type: [ClientCertificateDto] }) certificates!: ClientCertificateDto[];
  @ApiProperty({ type: [GrantedRoleDto] }) roleGrants!: GrantedRoleDto[];
  @ApiProperty({ type: [GrantedScopeDto] }) scopeGrants!: GrantedScopeDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  /** `appIdUriOf` names the resources of the grants. */
  static from(registration: ClientRegistration, appIdUriOf: (resourceId: string) => string): ClientDto {
    const { client } = registration;
    return {
      clientId: client.clientId,
      displayName: client.displayName,
      realm: client.realm,
      enabled: client.enabled,
      actAsUsers: client.actAsUsers,
      grantTypes: client.grantTypes,
      allowTokenEndpointAudience: client.allowTokenEndpointAudience,
      secrets: registration.secrets.map(secretDto),
      certificates: registration.certificates.map((certificate) => ({
        thumbprint: certificate.thumbprint,
        thumbprintSha256: certificate.thumbprintSha256,
        x5t: x5tFromHex(certificate.thumbprint),
        subject: certificate.subject,
        notAfter: certificate.notAfter.toISOString(),
      })),
      roleGrants: registration.roleGrants.map((grant) => ({ resource: appIdUriOf(grant.resourceId), resourceId: grant.resourceId, role: grant.role })),
      scopeGrants: registration.scopeGrants.map((grant) => ({ resource: appIdUriOf(grant.resourceId), resourceId: grant.resourceId, scope: grant.scope })),
      createdAt: client.createdAt.toISOString(),
      updatedAt: client.updatedAt.toISOString(),
    };
  }
}

export class CreatedClientDto extends ClientDto {
  @ApiPropertyOptional({ description: 'The first secret. Shown only in this response.' }) clientSecret?: string;
  @ApiPropertyOptional() clientSecretId?: string;
}

export class ClientListDto {
  @ApiProperty({ type: [ClientDto] }) items!: ClientDto[];
}

function secretDto(secret: IssuedSecret['secret']): ClientSecretDto {
  return { id: secret.id, hint: secret.hint, description: secret.description, createdAt: secret.createdAt.toISOString(), expiresAt: secret.expiresAt?.toISOString() ?? null };
}
