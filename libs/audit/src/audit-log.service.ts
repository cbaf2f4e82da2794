import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type AdminActor, Clock, InvalidInputError } from '@s2s/core';
import type { AuditCursor, AuditEvent, AuditQuery } from './audit-event.js';
import { AuditEventRepository } from './audit-event.repository.js';
import { scrubSecrets } from './secret-scrubber.js';

/** What a service tells the audit log about one change. */
export interface AuditRecord {
  actor: AdminActor;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
}

/** A page of events and the cursor of the next one. */
export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;

/**
 * Records admin changes. Call {@link record} inside the same unit of work as the change, so the
 * change and its event commit together or not at all.
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly clock: Clock,
  ) {}

  async record(record: AuditRecord): Promise<AuditEvent> {
    const event: AuditEvent = {
      id: randomUUID(),
      occurredAt: this.clock.now(),
      actorKeyId: record.actor.keyId,
      actorName: record.actor.name,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      before: scrubSecrets(record.before),
      after: scrubSecrets(record.after),
      requestId: record.actor.requestId,
    };
    await this.events.append(event);
    return event;
  }

  async list(filters: Omit<AuditQuery, 'after' | 'limit'> & { limit?: number; cursor?: string }): Promise<AuditPage> {
    const limit = filters.limit ?? AUDIT_PAGE_DEFAULT;
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX) {
      throw InvalidInputError.forField('limit', `must be between 1 and ${AUDIT_PAGE_MAX}`);
    }
    if (filters.since && filters.until && filters.since > filters.until) {
      throw InvalidInputError.forField('since', 'must not be after until');
    }
    const { cursor, ...rest } = filters;
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    // One extra row tells whether another page exists without a count query.
    const rows = await this.events.query({ ...rest, limit: limit + 1, after });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ occurredAt: last.occurredAt, id: last.id }) : null };
  }
}

function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.occurredAt.toISOString(), id: cursor.id })).toString('base64url');
}

function decodeCursor(text: string): AuditCursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { t?: unknown; id?: unknown };
    const occurredAt = new Date(String(parsed.t));
    if (typeof parsed.id !== 'string' || !/^[0-9a-f-]{36}$/.test(parsed.id) || Number.isNaN(occurredAt.getTime())) throw new Error();
    return { occurredAt, id: parsed.id };
  } catch {
    throw InvalidInputError.forField('cursor', 'is not a cursor returned by this API');
  }
}
