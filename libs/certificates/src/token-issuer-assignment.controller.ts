import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@s2s/admin-access';
import { type AdminActor, Clock } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { AssignTokenIssuerCertificateDto, TokenIssuerAssignmentDto } from './certificate.dto.js';
import { TokenIssuerAssignmentService } from './token-issuer-assignment.service.js';

/** `/admin/v1/certificate-assignments/oauth-token-issuer`: current / next / previous (SPEC 5.2). */
@ApiTags('certificates')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/certificate-assignments/oauth-token-issuer')
export class TokenIssuerAssignmentController {
  constructor(
    private readonly assignments: TokenIssuerAssignmentService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Show the current, next (with effective date) and previous OAuth token-issuer certificates' })
  @ApiOkResponse({ type: TokenIssuerAssignmentDto })
  async get(): Promise<TokenIssuerAssignmentDto> {
    return TokenIssuerAssignmentDto.from(await this.assignments.view(), this.clock.now());
  }

  @Put()
  @ApiAdminErrors(404, 409)
  @ApiOperation({ summary: 'Assign at once (old current becomes previous), or roll: stage as next until the effective date' })
  @ApiOkResponse({ type: TokenIssuerAssignmentDto })
  async assign(@Body() body: AssignTokenIssuerCertificateDto, @CurrentActor() actor: AdminActor): Promise<TokenIssuerAssignmentDto> {
    const view = await this.assignments.assign(
      {
        thumbprint: body.thumbprint,
        roll: body.roll === true,
        ...(body.effectiveDate ? { effectiveDate: new Date(body.effectiveDate) } : {}),
        force: body.force === true,
        ...(body.reason !== undefined ? { reason: body.reason } : {}),
        activateWhenFetched: body.activateWhenFetched === true,
        ...(body.deadline ? { deadline: new Date(body.deadline) } : {}),
        keepPrevious: body.keepPrevious === true,
      },
      actor,
    );
    return TokenIssuerAssignmentDto.from(view, this.clock.now());
  }

  @Delete('previous')
  @HttpCode(200)
  @ApiAdminErrors(404)
  @ApiOperation({ summary: 'Remove the previous certificate from its slot (Remove-CsCertificate -Previous)' })
  @ApiOkResponse({ type: TokenIssuerAssignmentDto })
  async removePrevious(@CurrentActor() actor: AdminActor): Promise<TokenIssuerAssignmentDto> {
    return TokenIssuerAssignmentDto.from(await this.assignments.removePrevious(actor), this.clock.now());
  }
}
