import type { AuditEvent, AuditQuery } from './audit-event.js';

/** Storage port of the audit log. `append` joins the caller's unit of work. */
export abstract class AuditEventRepository {
  abstract append(event: AuditEvent): Promise<void>;
  /** Newest first (occurredAt, then id, descending), at most `query.limit` events. */
  abstract query(query: AuditQuery): Promise<AuditEvent[]>;
}
