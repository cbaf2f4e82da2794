import { Module } from '@nestjs/common';
import { AuditEventController } from './audit-event.controller.js';
import { AuditLogService } from './audit-log.service.js';

/** The audit log: recording (used by every admin capability) and the read API. */
@Module({
  controllers: [AuditEventController],
  providers: [AuditLogService],
  exports: [AuditLogService],
})
export class AuditModule {}
