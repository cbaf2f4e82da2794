import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@s2s/audit';
import { AdminApiKeyController } from './admin-api-key.controller.js';
import { AdminApiKeyService } from './admin-api-key.service.js';
import { AdminAuthGuard } from './admin-auth.guard.js';

/** Admin API keys and the global deny-by-default guard (SPEC 5.7). */
@Module({
  imports: [AuditModule],
  controllers: [AdminApiKeyController],
  providers: [AdminApiKeyService, { provide: APP_GUARD, useClass: AdminAuthGuard }],
  exports: [AdminApiKeyService],
})
export class AdminAccessModule {}
