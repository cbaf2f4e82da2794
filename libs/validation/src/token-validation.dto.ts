import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { TrustKind, ValidationCheck, ValidationOutcome, ValidationTrace, ValidatedToken } from './token-validation.js';

const TRUST_KINDS: readonly TrustKind[] = ['self', 'partner', 'oauth-server'];

/** Body of `POST /admin/v1/tokens/validate`. */
export class ValidateTokenDto {
  @ApiProperty({ description: 'The token (a leading "Bearer " is ignored).' }) @IsString() @MaxLength(65_536) token!: string;
  @ApiPropertyOptional({ description: 'For this service\'s own tokens: the expected audience.' }) @IsOptional() @IsString() @MaxLength(512) audience?: string;
}

/** Who a valid token was trusted as: this service itself, a partner application or an OAuth server. */
export class TokenTrustDto {
  @ApiProperty({ enum: TRUST_KINDS }) kind!: TrustKind;
  @ApiProperty({ description: 'This service\'s issuer, or the identity of the partner application or OAuth server.' }) id!: string;
  @ApiPropertyOptional({ description: 'For a partner that uses an OAuth server (ACS / Entra): the identity of the OAuth server that issued its actor token.' }) via?: string;

  static from(trust: ValidatedToken['trust']): TokenTrustDto {
    return trust.via === undefined ? { kind: trust.kind, id: trust.id } : { kind: trust.kind, id: trust.id, via: trust.via };
  }
}

/** One check of the ordered checklist (SPEC 5.6), with its result. */
export class ValidationCheckDto {
  @ApiProperty({ example: 'signature' }) check!: string;
  @ApiProperty() passed!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'What was found, or why the check failed.' }) detail!: string | null;

  static from(check: ValidationCheck): ValidationCheckDto {
    return { check: check.check, passed: check.passed, detail: check.detail };
  }
}

/** The signing key the token named, and where it was looked up. */
export class TokenKeyDto {
  @ApiProperty({ description: 'The `kid` or `x5t` the token header names (`(none)` when it names neither).' }) id!: string;
  @ApiProperty() found!: boolean;
  @ApiProperty({ example: 'partner microsoft.exchange metadata' }) source!: string;

  static from(key: NonNullable<ValidationTrace['key']>): TokenKeyDto {
    return { id: key.id, found: key.found, source: key.source };
  }
}

/** The answer of explain mode (SPEC 5.6), valid or not: the verdict, every check in order and what was looked at. */
export class TokenValidationDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({ nullable: true, type: TokenTrustDto }) trust!: TokenTrustDto | null;
  @ApiProperty({ nullable: true, type: String }) appId!: string | null;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ nullable: true }) user!: Record<string, unknown> | null;
  @ApiProperty({ type: [ValidationCheckDto], description: 'Every check, in order, with its result.' }) checks!: ValidationCheckDto[];
  @ApiProperty({ nullable: true, type: TokenKeyDto }) key!: TokenKeyDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) issuerMetadataFetchedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) clockDifferenceSeconds!: number | null;
  @ApiProperty({ nullable: true }) header!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true }) claims!: Record<string, unknown> | null;

  static from(outcome: ValidationOutcome): TokenValidationDto {
    const { trace } = outcome;
    return {
      valid: outcome.valid,
      reason: outcome.valid ? null : outcome.reason,
      message: outcome.valid ? null : outcome.message,
      trust: outcome.valid ? TokenTrustDto.from(outcome.token.trust) : null,
      appId: outcome.valid ? outcome.token.appId : null,
      roles: outcome.valid ? outcome.token.roles : [],
      scopes: outcome.valid ? outcome.token.scopes : [],
      user: outcome.valid ? (outcome.token.user as Record<string, unknown> | null) : null,
      checks: trace.checks.map((check) => ValidationCheckDto.from(check)),
      key: trace.key ? TokenKeyDto.from(trace.key) : null,
      issuerMetadataFetchedAt: trace.issuerMetadataFetchedAt?.toISOString() ?? null,
      clockDifferenceSeconds: trace.clockDifferenceSeconds,
      header: trace.header,
      claims: trace.claims,
    };
  }
}
