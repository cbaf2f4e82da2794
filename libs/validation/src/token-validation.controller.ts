import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiAdminErrors } from '@s2s/http';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { TokenValidator } from './token.validator.js';

export class ValidateTokenDto {
  @ApiProperty({ description: 'The token (a leading "Bearer " is ignored).' }) @IsString() @MaxLength(65_536) token!: string;
  @ApiPropertyOptional({ description: 'For this service\'s own tokens: the expected audience.' }) @IsOptional() @IsString() @MaxLength(512) audience?: string;
}

export class TokenValidationDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({ nullable: true }) trust!: { kind: string; id: string } | null;
  @ApiProperty({ nullable: true, type: String }) appId!: string | null;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ nullable: true }) user!: Record<string, unknown> | null;
  @ApiProperty({ description: 'Every check, in order, with its result.' }) checks!: { check: string; passed: boolean; detail: string | null }[];
  @ApiProperty({ nullable: true }) key!: { id: string; found: boolean; source: string } | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) issuerMetadataFetchedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) clockDifferenceSeconds!: number | null;
  @ApiProperty({ nullable: true }) header!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true }) claims!: Record<string, unknown> | null;
}

/** `POST /admin/v1/tokens/validate`: explain mode (SPEC 5.6): why a token is or is not accepted. */
@ApiTags('tokens')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/tokens')
export class TokenValidationController {
  constructor(private readonly validator: TokenValidator) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate a token and list every check, the key looked up, metadata age and clock difference' })
  @ApiOkResponse({ type: TokenValidationDto })
  async validate(@Body() body: ValidateTokenDto): Promise<TokenValidationDto> {
    const outcome = await this.validator.validate(body.token.replace(/^Bearer\s+/i, ''), { audience: body.audience, explain: true });
    const { trace } = outcome;
    return {
      valid: outcome.valid,
      reason: outcome.valid ? null : outcome.reason,
      message: outcome.valid ? null : outcome.message,
      trust: outcome.valid ? outcome.token.trust : null,
      appId: outcome.valid ? outcome.token.appId : null,
      roles: outcome.valid ? outcome.token.roles : [],
      scopes: outcome.valid ? outcome.token.scopes : [],
      user: outcome.valid ? (outcome.token.user as Record<string, unknown> | null) : null,
      checks: trace.checks,
      key: trace.key,
      issuerMetadataFetchedAt: trace.issuerMetadataFetchedAt?.toISOString() ?? null,
      clockDifferenceSeconds: trace.clockDifferenceSeconds,
      header: trace.header,
      claims: trace.claims,
    };
  }
}
