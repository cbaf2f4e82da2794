export type { AuditEvent, AuditQuery, AuditCursor } from './audit-event.js';
export { AuditEventRepository } from './audit-event.repository.js';
export { AuditLogService, type AuditRecord, type AuditPage, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from './audit-log.service.js';
export { scrubSecrets } from './secret-scrubber.js';
export { AuditModule } from './audit.module.js';
