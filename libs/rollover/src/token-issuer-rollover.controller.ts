import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { awaitingActivation, TokenIssuerAssignmentDto, TokenIssuerAssignmentService } from '@s2s/certificates';
import { Clock } from '@s2s/core';
import { ApiAdminErrors } from '@s2s/http';
import { RolloverEvidenceDto, TokenIssuerRenewalDto, TokenIssuerRolloverStatusDto } from './rollover.dto.js';
import { RolloverEvidenceService } from './rollover-evidence.service.js';
import { TokenIssuerRenewalService } from './token-issuer-renewal.service.js';

/** `s2sctl certificate status`: the slots, the staged roll's evidence and gate, automatic renewal (issue 16). */
@ApiTags('certificates')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/certificate-assignments/oauth-token-issuer/status')
export class TokenIssuerRolloverController {
  constructor(
    private readonly assignments: TokenIssuerAssignmentService,
    private readonly evidence: RolloverEvidenceService,
    private readonly renewal: TokenIssuerRenewalService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The slots, and for a staged next certificate which enabled partners downloaded our metadata since it was published (and unknown fetchers)' })
  @ApiOkResponse({ type: TokenIssuerRolloverStatusDto })
  async status(): Promise<TokenIssuerRolloverStatusDto> {
    const view = await this.assignments.view();
    const now = this.clock.now();
    const slots = await this.assignments.slots();
    const roll = view.next ? view.roll : null;
    const renewal = await this.renewal.current();
    return {
      slots: TokenIssuerAssignmentDto.from(view, now),
      rollState: !roll ? 'none' : roll.activateWhenFetched && awaitingActivation(slots, now) ? 'waiting-for-partners' : 'staged',
      evidence: roll ? RolloverEvidenceDto.from(await this.evidence.since(roll.publishedAt)) : null,
      renewal: renewal ? TokenIssuerRenewalDto.from(renewal) : null,
    };
  }
}
