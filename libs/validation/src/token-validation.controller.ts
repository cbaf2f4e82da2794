import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAdminErrors } from '@s2s/http';
import { TokenValidationDto, ValidateTokenDto } from './token-validation.dto.js';
import { TokenValidator } from './token.validator.js';

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
    return TokenValidationDto.from(await this.validator.validate(body.token.replace(/^Bearer\s+/i, ''), { audience: body.audience, explain: true }));
  }
}
