import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor, InvalidInputError } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { TokenRevocationService } from '@s2s/revocation';
import { RevocableTokenReader } from './revocable-token.reader.js';

/** Body of `POST /admin/v1/tokens/revoke`: exactly one of `token` and `jti`. */
export class RevokeTokenDto {
  @ApiPropertyOptional({ description: 'One of this service\'s access tokens (a leading "Bearer " is ignored); kept revoked until its exp.' })
  @IsOptional() @IsString() @MaxLength(65_536)
  token?: string;

  @ApiPropertyOptional({ description: 'A token id (jti) of this service; kept revoked for 24 h, the longest lifetime a token of ours has.' })
  @IsOptional() @IsString() @MaxLength(256) @Matches(/^[\x21-\x7e]+$/, { message: 'jti must be printable ASCII without spaces' })
  jti?: string;
}

/** Response of `POST /admin/v1/tokens/revoke`. */
export class TokenRevocationDto {
  @ApiProperty() jti!: string;
  @ApiProperty({ format: 'date-time', description: 'Until when it is kept (the token\'s exp); purged afterwards.' }) expiresAt!: string;
  @ApiProperty({ description: 'False when it was already revoked (nothing changed).' }) revoked!: boolean;
}

/** `POST /admin/v1/tokens/revoke` (`s2sctl token revoke TOKEN | --jti ID`): audited as `token.revoke`. */
@ApiTags('tokens')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/tokens')
export class AdminTokenRevocationController {
  constructor(
    private readonly tokens: RevocableTokenReader,
    private readonly revocations: TokenRevocationService,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke one of this service\'s tokens, by the token or by its jti; refused everywhere with reason token_revoked' })
  @ApiOkResponse({ type: TokenRevocationDto })
  async revoke(@Body() body: RevokeTokenDto, @CurrentActor() actor: AdminActor): Promise<TokenRevocationDto> {
    if ((body.token === undefined) === (body.jti === undefined)) throw new InvalidInputError('give exactly one of token and jti', [{ field: 'token', message: 'give exactly one of token and jti' }]);
    let jti: string;
    let expiresAt: Date | null = null;
    if (body.token !== undefined) {
      const revocable = await this.tokens.read(body.token.replace(/^Bearer\s+/i, ''));
      if (!revocable) {
        throw new InvalidInputError('not a live access token of this service (expired, forged, another issuer\'s, or without jti): nothing to revoke', [{ field: 'token', message: 'not a live access token of this service' }], 'token_not_revocable');
      }
      ({ jti, expiresAt } = revocable);
    } else {
      jti = body.jti!;
    }
    const outcome = await this.revocations.revokeToken(jti, expiresAt, actor, { by: body.token !== undefined ? 'token' : 'jti' });
    return { jti: outcome.jti, expiresAt: outcome.expiresAt.toISOString(), revoked: outcome.revoked };
  }
}
