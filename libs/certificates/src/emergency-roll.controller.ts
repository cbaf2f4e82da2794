import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor, Clock } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { TokenIssuerAssignmentDto } from './certificate.dto.js';
import { EmergencyRollService, MAX_EMERGENCY_REASON_LENGTH } from './emergency-roll.service.js';

/** Body of `POST /admin/v1/certificate-assignments/oauth-token-issuer/emergency`. */
export class EmergencyRollDto {
  @ApiProperty({ description: 'SHA-1 (or SHA-256) thumbprint of the new certificate, any case, spaces/colons allowed.' })
  @IsString() @MaxLength(200)
  thumbprint!: string;

  @ApiProperty({ description: 'Why (audited), e.g. "key file leaked in ticket 4711".', maxLength: MAX_EMERGENCY_REASON_LENGTH })
  @IsString() @MinLength(1) @MaxLength(MAX_EMERGENCY_REASON_LENGTH)
  reason!: string;
}

/** The emergency roll (issue 17): `s2sctl certificate assign --type OAuthTokenIssuer --thumbprint T --emergency --reason TEXT`. */
@ApiTags('certificates')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/certificate-assignments/oauth-token-issuer')
export class EmergencyRollController {
  constructor(
    private readonly emergency: EmergencyRollService,
    private readonly clock: Clock,
  ) {}

  @Post('emergency')
  @HttpCode(200)
  @ApiAdminErrors(404, 409)
  @ApiOperation({
    summary: 'Emergency roll: the certificate becomes current at once and the old current key is withdrawn at once (not kept as previous): ' +
      'gone from metadata and JWKS, its tokens refused (key_withdrawn), metadata no-cache for 24 h; audited with the reason',
  })
  @ApiOkResponse({ type: TokenIssuerAssignmentDto })
  async assign(@Body() body: EmergencyRollDto, @CurrentActor() actor: AdminActor): Promise<TokenIssuerAssignmentDto> {
    return TokenIssuerAssignmentDto.from(await this.emergency.assign(body.thumbprint, body.reason, actor), this.clock.now());
  }
}
