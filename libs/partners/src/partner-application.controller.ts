import { Body, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { TrustedIssuerController, trustedIssuerRoutes } from '@s2s/trusted-issuers';
import { CreatePartnerApplicationDto, PartnerApplicationDto, PartnerApplicationListDto, UpdatePartnerApplicationDto } from './partner-application.dto.js';
import type { PartnerApplication } from './partner-application.js';
import { PartnerApplicationService } from './partner-application.service.js';

const ROUTES = trustedIssuerRoutes<PartnerApplication, PartnerApplicationDto>({
  dto: PartnerApplicationDto,
  listDto: PartnerApplicationListDto,
  toDto: (partner) => PartnerApplicationDto.from(partner),
  refreshSummary: 'Download the metadata again now (keeps the last known good keys on failure)',
  refreshErrors: [404, 409],
});

/** `/admin/v1/partner-applications` (SPEC 5.5, 5.7): list, get, remove and refresh are the shared trusted-issuer routes. */
@TrustedIssuerController('partner-applications')
export class PartnerApplicationController extends ROUTES {
  constructor(private readonly partners: PartnerApplicationService) {
    super(partners);
  }

  @Post()
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Register a partner by metadata URL (downloaded first) or by application identifier, realm and certificate' })
  @ApiCreatedResponse({ type: PartnerApplicationDto })
  async create(@Body() body: CreatePartnerApplicationDto, @CurrentActor() actor: AdminActor): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.create(body, actor));
  }

  @Patch(':identity')
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Change a partner (trust level, enabled, SID acceptance, host, metadata URL or pinned certificate)' })
  @ApiOkResponse({ type: PartnerApplicationDto })
  async update(@Param('identity') identity: string, @Body() body: UpdatePartnerApplicationDto, @CurrentActor() actor: AdminActor): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.update(identity, body, actor));
  }

  @Post(':identity/approve-keys')
  @HttpCode(200)
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Trust the keys held for review (keyChangePolicy review); 409 no_pending_keys when none are held' })
  @ApiOkResponse({ type: PartnerApplicationDto })
  async approveKeys(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<PartnerApplicationDto> {
    return PartnerApplicationDto.from(await this.partners.approveKeys(identity, actor));
  }
}
