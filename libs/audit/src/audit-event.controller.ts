import { Controller, Get, Query } from '@nestjs/common';
import { ApiAdminErrors } from '@s2s/http';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditEventDto, AuditEventPageDto, AuditEventQueryDto } from './audit-event.dto.js';
import { AuditLogService } from './audit-log.service.js';

/** `GET /admin/v1/audit-events`: the audit log, newest first, with filters and keyset paging. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiAdminErrors(401, 422, 503)
@Controller('admin/v1/audit-events')
export class AuditEventController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get()
  @ApiOperation({ summary: 'List audit events (newest first)' })
  @ApiOkResponse({ type: AuditEventPageDto })
  async list(@Query() query: AuditEventQueryDto): Promise<AuditEventPageDto> {
    const page = await this.auditLog.list(query);
    return { items: page.items.map(AuditEventDto.from), nextCursor: page.nextCursor };
  }
}
