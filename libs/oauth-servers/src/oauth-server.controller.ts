import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { CreateOAuthServerDto, OAuthServerDto, OAuthServerListDto, UpdateOAuthServerDto } from './oauth-server.dto.js';
import { OAuthServerService } from './oauth-server.service.js';

/** `/admin/v1/oauth-servers` (SPEC 5.5, 5.7). */
@ApiTags('oauth-servers')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/oauth-servers')
export class OAuthServerController {
  constructor(private readonly servers: OAuthServerService) {}

  @Post()
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Register an external authorization server by ACS metadata or OIDC discovery URL (downloaded first)' })
  @ApiCreatedResponse({ type: OAuthServerDto })
  async create(@Body() body: CreateOAuthServerDto, @CurrentActor() actor: AdminActor): Promise<OAuthServerDto> {
    return OAuthServerDto.from(await this.servers.create(body, actor));
  }

  @Get()
  @ApiOkResponse({ type: OAuthServerListDto })
  async list(): Promise<OAuthServerListDto> {
    return { items: (await this.servers.list()).map((server) => OAuthServerDto.from(server)) };
  }

  @Get(':identity')
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: OAuthServerDto })
  async get(@Param('identity') identity: string): Promise<OAuthServerDto> {
    return OAuthServerDto.from(await this.servers.get(identity));
  }

  @Patch(':identity')
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: OAuthServerDto })
  async update(@Param('identity') identity: string, @Body() body: UpdateOAuthServerDto, @CurrentActor() actor: AdminActor): Promise<OAuthServerDto> {
    return OAuthServerDto.from(await this.servers.update(identity, body, actor));
  }

  @Delete(':identity')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: OAuthServerDto })
  async remove(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<OAuthServerDto> {
    return OAuthServerDto.from(await this.servers.remove(identity, actor));
  }

  @Post(':identity/refresh')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Download the metadata and keys again now (keeps the last known good keys on failure)' })
  @ApiOkResponse({ type: OAuthServerDto })
  async refresh(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<OAuthServerDto> {
    return OAuthServerDto.from(await this.servers.refresh(identity, actor));
  }
}
