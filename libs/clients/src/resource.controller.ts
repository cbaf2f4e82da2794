import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { CreateResourceDto, ResourceDto, ResourceListDto, UpdateResourceDto } from './client-registry.dto.js';
import { ResourceService } from './resource.service.js';

/** `/admin/v1/resources`: APIs that accept this issuer's tokens (SPEC 5.7). */
@ApiTags('resources')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/resources')
export class ResourceController {
  constructor(private readonly resources: ResourceService) {}

  @Post()
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Register a resource (Application ID URI, app roles, delegated scopes)' })
  @ApiCreatedResponse({ type: ResourceDto })
  async create(@Body() body: CreateResourceDto, @CurrentActor() actor: AdminActor): Promise<ResourceDto> {
    return ResourceDto.from(await this.resources.create(body, actor));
  }

  @Get()
  @ApiOperation({ summary: 'List resources' })
  @ApiOkResponse({ type: ResourceListDto })
  async list(): Promise<ResourceListDto> {
    return { items: (await this.resources.list()).map((resource) => ResourceDto.from(resource)) };
  }

  @Get(':resource')
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Show a resource (by id or URL-encoded Application ID URI)' })
  @ApiOkResponse({ type: ResourceDto })
  async get(@Param('resource') reference: string): Promise<ResourceDto> {
    return ResourceDto.from(await this.resources.get(reference));
  }

  @Patch(':resource')
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Change a resource; roles and scopes replace the old lists' })
  @ApiOkResponse({ type: ResourceDto })
  async update(@Param('resource') reference: string, @Body() body: UpdateResourceDto, @CurrentActor() actor: AdminActor): Promise<ResourceDto> {
    return ResourceDto.from(await this.resources.update(reference, body, actor));
  }

  @Delete(':resource')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Remove a resource and every grant on it' })
  @ApiOkResponse({ type: ResourceDto })
  async remove(@Param('resource') reference: string, @CurrentActor() actor: AdminActor): Promise<ResourceDto> {
    return ResourceDto.from(await this.resources.remove(reference, actor));
  }
}
