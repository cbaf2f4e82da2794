import { Body, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { TrustedIssuerController, trustedIssuerRoutes } from '@s2s/trusted-issuers';
import { CreateOAuthServerDto, OAuthServerDto, OAuthServerListDto, UpdateOAuthServerDto } from './oauth-server.dto.js';
import type { OAuthServer } from './oauth-server.js';
import { OAuthServerService } from './oauth-server.service.js';

const ROUTES = trustedIssuerRoutes<OAuthServer, OAuthServerDto>({
  dto: OAuthServerDto,
  listDto: OAuthServerListDto,
  toDto: (server) => OAuthServerDto.from(server),
  refreshSummary: 'Download the metadata and keys again now (keeps the last known good keys on failure)',
  refreshErrors: [404],
});

/** `/admin/v1/oauth-servers` (SPEC 5.5, 5.7): list, get, remove and refresh are the shared trusted-issuer routes. */
@TrustedIssuerController('oauth-servers')
export class OAuthServerController extends ROUTES {
  constructor(private readonly servers: OAuthServerService) {
    super(servers);
  }

  @Post()
  @ApiAdminErrors(409)
  @ApiOperation({ summary: 'Register an external authorization server by ACS metadata or OIDC discovery URL (downloaded first)' })
  @ApiCreatedResponse({ type: OAuthServerDto })
  async create(@Body() body: CreateOAuthServerDto, @CurrentActor() actor: AdminActor): Promise<OAuthServerDto> {
    return OAuthServerDto.from(await this.servers.create(body, actor));
  }

  @Patch(':identity')
  @ApiAdminErrors(404)
  @ApiOkResponse({ type: OAuthServerDto })
  async update(@Param('identity') identity: string, @Body() body: UpdateOAuthServerDto, @CurrentActor() actor: AdminActor): Promise<OAuthServerDto> {
    return OAuthServerDto.from(await this.servers.update(identity, body, actor));
  }
}
