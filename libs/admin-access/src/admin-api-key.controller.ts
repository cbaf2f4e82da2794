import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAdminErrors } from '@s2s/http';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AdminActor } from '@s2s/core';
import { AdminApiKeyDto, AdminApiKeyIdParamDto, AdminApiKeyListDto, CreateAdminApiKeyDto, CreatedAdminApiKeyDto } from './admin-api-key.dto.js';
import { AdminApiKeyService } from './admin-api-key.service.js';
import { CurrentActor } from './current-actor.decorator.js';

/** `/admin/v1/admin-keys`: create (secret shown once), list (never the secret), revoke. */
@ApiTags('admin-keys')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/admin-keys')
export class AdminApiKeyController {
  constructor(private readonly keys: AdminApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Create an admin API key (the key is in this response only)' })
  @ApiCreatedResponse({ type: CreatedAdminApiKeyDto })
  async create(@Body() body: CreateAdminApiKeyDto, @CurrentActor() actor: AdminActor): Promise<CreatedAdminApiKeyDto> {
    const created = await this.keys.create({ name: body.name, role: body.role ?? 'reader', expiresAt: body.expiresAt === undefined ? null : new Date(body.expiresAt) }, actor);
    return { ...AdminApiKeyDto.from(created.key), key: created.token };
  }

  @Get()
  @ApiOperation({ summary: 'List admin API keys (without secrets)' })
  @ApiOkResponse({ type: AdminApiKeyListDto })
  async list(): Promise<AdminApiKeyListDto> {
    return { items: (await this.keys.list()).map(AdminApiKeyDto.from) };
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Revoke an admin API key' })
  @ApiOkResponse({ type: AdminApiKeyDto })
  async revoke(@Param() params: AdminApiKeyIdParamDto, @CurrentActor() actor: AdminActor): Promise<AdminApiKeyDto> {
    return AdminApiKeyDto.from(await this.keys.revoke(params.id, actor));
  }
}
