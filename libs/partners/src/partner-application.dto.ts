import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MultiLineText, Nullable, OwnPropertiesFirst } from '@s2s/http';
import { CreateTrustedIssuerDto, MAX_METADATA_URL, MAX_PEM, TrustedIssuerDto, UpdateTrustedIssuerDto } from '@s2s/trusted-issuers';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

const ACCEPTED_DOMAINS_DESCRIPTION =
  'Domains whose users the partner may act for where its realm is a tenant id (Exchange accepted domains): contoso.com, or *.contoso.com for its subdomains.';
const SOURCE_ADDRESSES_DESCRIPTION =
  'Addresses the partner downloads our metadata from, besides those its metadata host name resolves to (IPv4/IPv6 literals, at most 16): rollover evidence counts downloads from them.';
import { KEY_CHANGE_POLICIES, MAX_ACCEPTED_DOMAINS, MAX_SOURCE_ADDRESSES, type PartnerApplication, type PartnerKey, TRUST_LEVELS } from './partner-application.js';

/** Body of `POST /admin/v1/partner-applications` (New-CsPartnerApplication); the download policy fields are {@link CreateTrustedIssuerDto}'s. */
@OwnPropertiesFirst()
export class CreatePartnerApplicationDto extends CreateTrustedIssuerDto {
  @ApiProperty({ example: 'microsoft.exchange' }) @IsString() @MaxLength(128) identity!: string;
  @ApiPropertyOptional({ example: 'https://mail.contoso.com/autodiscover/metadata/json/1' }) @IsOptional() @IsString() @MaxLength(MAX_METADATA_URL) metadataUrl?: string;
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
  @ApiPropertyOptional({ type: [String], example: ['10.0.4.17'], description: SOURCE_ADDRESSES_DESCRIPTION })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_SOURCE_ADDRESSES) @IsString({ each: true }) @MaxLength(64, { each: true })
  sourceAddresses?: string[];
  @ApiPropertyOptional({ enum: KEY_CHANGE_POLICIES, default: 'accept', description: '`review`: keys new in refreshed metadata are held until approve-keys.' })
  @IsOptional() @IsIn(KEY_CHANGE_POLICIES)
  keyChangePolicy?: PartnerApplication['keyChangePolicy'];
  @ApiPropertyOptional({ example: 'microsoft.sts', description: 'An OAuth server of type acs whose tokens speak for this partner (New-CsPartnerApplication -UseOAuthServer): give applicationIdentifier, no metadataUrl, realm or certificates.' })
  @IsOptional() @IsString() @MaxLength(128)
  useOAuthServer?: string;
  @ApiPropertyOptional({ type: [String], example: ['contoso.com'], description: ACCEPTED_DOMAINS_DESCRIPTION })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ACCEPTED_DOMAINS) @IsString({ each: true }) @MaxLength(255, { each: true })
  acceptedDomains?: string[];
}

/** Body of `PATCH /admin/v1/partner-applications/{identity}` (Set-CsPartnerApplication); the download policy fields are {@link UpdateTrustedIssuerDto}'s. */
@OwnPropertiesFirst()
export class UpdatePartnerApplicationDto extends UpdateTrustedIssuerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(MAX_METADATA_URL) metadataUrl?: string;
  @ApiPropertyOptional({ description: 'Cannot change (remove and re-create); accepted only when equal.' }) @IsOptional() @IsString() @MaxLength(64) applicationIdentifier?: string;
  @ApiPropertyOptional({ description: 'Cannot change (remove and re-create); accepted only when equal.' }) @IsOptional() @IsString() @MaxLength(253) realm?: string;
  @MultiLineText() @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(5) @IsString({ each: true }) @MaxLength(MAX_PEM, { each: true }) certificates?: string[];
  @Nullable() @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(260) hostAuthority?: string | null;
  @ApiPropertyOptional({ enum: TRUST_LEVELS }) @IsOptional() @IsIn(TRUST_LEVELS) trustLevel?: PartnerApplication['trustLevel'];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() acceptSecurityIdentifierInformation?: boolean;
  @ApiPropertyOptional({ type: [String], description: SOURCE_ADDRESSES_DESCRIPTION })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_SOURCE_ADDRESSES) @IsString({ each: true }) @MaxLength(64, { each: true })
  sourceAddresses?: string[];
  @ApiPropertyOptional({ enum: KEY_CHANGE_POLICIES, description: 'Back to `accept` trusts the keys held for review at once.' }) @IsOptional() @IsIn(KEY_CHANGE_POLICIES) keyChangePolicy?: PartnerApplication['keyChangePolicy'];
  @ApiPropertyOptional({ type: [String], description: `${ACCEPTED_DOMAINS_DESCRIPTION} Replaces the list.` })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ACCEPTED_DOMAINS) @IsString({ each: true }) @MaxLength(255, { each: true })
  acceptedDomains?: string[];
}

/** A signing key of a partner: a certificate from its metadata, or pinned. */
export class PartnerKeyDto {
  @ApiProperty({ description: 'base64url SHA-1 thumbprint of the certificate (DER).' }) x5t!: string;
  @ApiProperty({ format: 'date-time' }) notBefore!: string;
  @ApiProperty({ format: 'date-time' }) notAfter!: string;

  static from(key: PartnerKey): PartnerKeyDto {
    return { x5t: key.x5t, notBefore: key.notBefore.toISOString(), notAfter: key.notAfter.toISOString() };
  }
}

/** A partner application with its keys and metadata status; the fields both kinds share are {@link TrustedIssuerDto}'s. */
@OwnPropertiesFirst()
export class PartnerApplicationDto extends TrustedIssuerDto {
  @ApiProperty() identity!: string;
  @ApiProperty() applicationIdentifier!: string;
  @ApiProperty() realm!: string;
  @ApiProperty({ nullable: true, type: String }) metadataUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) hostAuthority!: string | null;
  @ApiProperty({ enum: TRUST_LEVELS }) trustLevel!: string;
  @ApiProperty() acceptSecurityIdentifierInformation!: boolean;
  @ApiProperty({ type: [String], description: SOURCE_ADDRESSES_DESCRIPTION }) sourceAddresses!: string[];
  @ApiProperty({ enum: KEY_CHANGE_POLICIES }) keyChangePolicy!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The OAuth server whose tokens speak for this partner, or null for a direct partner.' }) useOAuthServer!: string | null;
  @ApiProperty({ type: [String], description: ACCEPTED_DOMAINS_DESCRIPTION }) acceptedDomains!: string[];
  @ApiProperty({ type: [PartnerKeyDto], description: 'Keys held for review (keyChangePolicy review): tokens signed with them are refused with key_pending_review.' })
  pendingKeys!: PartnerKeyDto[];
  @ApiProperty({ type: [PartnerKeyDto] }) keys!: PartnerKeyDto[];

  static from(partner: PartnerApplication): PartnerApplicationDto {
    return {
      identity: partner.identity,
      applicationIdentifier: partner.applicationIdentifier,
      realm: partner.realm,
      metadataUrl: partner.metadataUrl,
      hostAuthority: partner.hostAuthority,
      trustLevel: partner.trustLevel,
      acceptSecurityIdentifierInformation: partner.acceptSecurityIdentifierInformation,
      sourceAddresses: partner.sourceAddresses,
      keyChangePolicy: partner.keyChangePolicy,
      useOAuthServer: partner.useOAuthServer,
      acceptedDomains: partner.acceptedDomains,
      pendingKeys: partner.pendingKeys.map((key) => PartnerKeyDto.from(key)),
      ...TrustedIssuerDto.fieldsOf(partner, partner.keys.map((key) => PartnerKeyDto.from(key))),
    };
  }
}

export class PartnerApplicationListDto {
  @ApiProperty({ type: [PartnerApplicationDto] }) items!: PartnerApplicationDto[];
}
