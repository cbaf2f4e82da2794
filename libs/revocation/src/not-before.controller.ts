import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { ClientService } from '@s2s/clients';
import type { AdminActor } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { OAuthServerService } from '@s2s/oauth-servers';
import { PartnerApplicationService } from '@s2s/partners';
import { NOT_BEFORE_SUBJECT_TYPES, type NotBeforeMark } from './revocation.repository.js';
import { TokenRevocationService } from './token-revocation.service.js';

/** Response of the `revoke-tokens` routes. */
export class NotBeforeMarkDto {
  @ApiProperty({ enum: NOT_BEFORE_SUBJECT_TYPES }) subjectType!: string;
  @ApiProperty({ description: 'The client id, partner application or OAuth server identity.' }) subjectId!: string;
  @ApiProperty({ format: 'date-time', description: 'Tokens issued before this instant (iat, else nbf; whole seconds, rounded up) are refused with reason revoked_by_not_before.' })
  notBefore!: string;

  static of(mark: NotBeforeMark): NotBeforeMarkDto {
    return { subjectType: mark.subjectType, subjectId: mark.subjectId, notBefore: mark.notBefore.toISOString() };
  }
}

/**
 * Not-before marks (issue 17): `POST /admin/v1/{clients|partner-applications|oauth-servers}/{id}/revoke-tokens`
 * refuses every token of that subject issued before now, on every instance within a second. Audited
 * (`client.revoke-tokens`, `partner.revoke-tokens`, `oauth-server.revoke-tokens`); a later call moves the mark.
 */
@ApiBearerAuth()
@ApiAdminErrors(404)
@Controller('admin/v1')
export class NotBeforeController {
  constructor(
    private readonly revocations: TokenRevocationService,
    private readonly clients: ClientService,
    private readonly partners: PartnerApplicationService,
    private readonly oauthServers: OAuthServerService,
  ) {}

  @Post('clients/:clientId/revoke-tokens')
  @HttpCode(200)
  @ApiTags('clients')
  @ApiOperation({ summary: 'Refuse every token issued to this client before now (reason revoked_by_not_before)' })
  @ApiOkResponse({ type: NotBeforeMarkDto })
  async client(@Param('clientId') clientId: string, @CurrentActor() actor: AdminActor): Promise<NotBeforeMarkDto> {
    const { client } = await this.clients.get(clientId);
    return NotBeforeMarkDto.of(await this.revocations.revokeTokensBefore('client', client.clientId, actor));
  }

  @Post('partner-applications/:identity/revoke-tokens')
  @HttpCode(200)
  @ApiTags('partner-applications')
  @ApiOperation({ summary: 'Refuse every token of this partner application issued before now (reason revoked_by_not_before)' })
  @ApiOkResponse({ type: NotBeforeMarkDto })
  async partner(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<NotBeforeMarkDto> {
    const partner = await this.partners.get(identity);
    return NotBeforeMarkDto.of(await this.revocations.revokeTokensBefore('partner', partner.identity, actor));
  }

  @Post('oauth-servers/:identity/revoke-tokens')
  @HttpCode(200)
  @ApiTags('oauth-servers')
  @ApiOperation({ summary: 'Refuse every token of this OAuth server issued before now (reason revoked_by_not_before)' })
  @ApiOkResponse({ type: NotBeforeMarkDto })
  async oauthServer(@Param('identity') identity: string, @CurrentActor() actor: AdminActor): Promise<NotBeforeMarkDto> {
    const server = await this.oauthServers.get(identity);
    return NotBeforeMarkDto.of(await this.revocations.revokeTokensBefore('oauth-server', server.identity, actor));
  }
}
