import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { CreatePartnerApplicationDto, PartnerApplicationDto, PartnerApplicationListDto, UpdatePartnerApplicationDto } from './partner-application.dto.js';
import { PartnerApplicationService } from './partner-application.service.js';

/** `/admin/v1/partner-applications` (SPEC 5.5, 5.7). */
@ApiTags('partner-applications')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/partner-applications')
export class PartnerApplicationController {
  constructor(private readonly partners: PartnerApplicationService) {}

  @Post()
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Register a partner by metadata URL (downloaded first) or by application identifier, realm and certificate' })
  @ApiCreatedResponse({ type: PartnerApplicationDto })
  async create(@Body() body: CreatePartnerApplicationDto, @CurrentActor() actor: AdminActor): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.create(body, actor));
  }

  @Get()
  @ApiOkResponse({ type: PartnerApplicationListDto })
  async list(): Promise<PartnerApplicationListDto> {
    return { items: (await this.partners.list()).map((partner) => PartnerApplicationDto.from(partner)) };
  }

  @Get(':identity')
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: PartnerApplicationDto })
  async get(@Param('identity') identity: string): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.get(identity));
  }

  @Patch(':identity')
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Change a partner (trust level, enabled, SID acceptance, host, metadata URL or pinned certificate)' })
  @ApiOkResponse({ type: PartnerApplicationDto })
  async update(@Param('identity') identity: string, @Body() body: UpdatePartnerApplicationDto, @CurrentActor() actor: AdminActor): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.update(identity, body, actor));
  }

  @Delete(':identity')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: PartnerApplicationDto })
  async remove(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.remove(identity, actor));
  }

  @Post(':identity/refresh')
  @HttpCode(200)
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Download the metadata again now (keeps the last known good keys on failure)' })
  @ApiOkResponse({ type: PartnerApplicationDto })
  async refresh(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.refresh(identity, actor));
  }
}
