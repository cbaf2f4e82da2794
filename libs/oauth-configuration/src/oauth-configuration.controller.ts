import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiAdminErrors } from '@s2s/http';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AdminActor } from '@s2s/core';
import { CurrentActor } from '@s2s/admin-access';
import { OAuthConfigurationDto, UpdateOAuthConfigurationDto, UpdateOAuthConfigurationQueryDto } from './oauth-configuration.dto.js';
import { OAuthConfigurationService } from './oauth-configuration.service.js';

/** `GET/PUT /admin/v1/oauth-configuration` (SPEC 5.1). */
@ApiTags('oauth-configuration')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/oauth-configuration')
export class OAuthConfigurationController {
  constructor(private readonly service: OAuthConfigurationService) {}

  @Get()
  @ApiOperation({ summary: 'Get the OAuth configuration' })
  @ApiOkResponse({ type: OAuthConfigurationDto })
  async get(): Promise<OAuthConfigurationDto> {
    return OAuthConfigurationDto.from(await this.service.get());
  }

  @Put()
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Change the OAuth configuration (only the fields given)' })
  @ApiOkResponse({ type: OAuthConfigurationDto })
  async update(
    @Body() body: UpdateOAuthConfigurationDto,
    @Query() query: UpdateOAuthConfigurationQueryDto,
    @CurrentActor() actor: AdminActor,
  ): Promise<OAuthConfigurationDto> {
    return OAuthConfigurationDto.from(await this.service.update(body, { force: query.force === true }, actor));
  }
}
