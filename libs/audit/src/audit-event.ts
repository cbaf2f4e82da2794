/** One recorded admin change (SPEC 5.7: who, what, when, before/after, never secrets). */
export interface AuditEvent {
  id: string;
  occurredAt: Date;
  /** The admin key that made the change; null for changes the service made itself. */
  actorKeyId: string | null;
  actorName: string;
  /** Dotted verb, e.g. `oauth-configuration.update`, `admin-key.create`. */
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** Position in the newest-first listing, used for keyset paging. */
export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

/** Filters of an audit listing; all optional except the page size. */
export interface AuditQuery {
  action?: string;
  actorKeyId?: string;
  targetType?: string;
  targetId?: string;
  since?: Date;
  until?: Date;
  limit: number;
  after?: AuditCursor;
}
