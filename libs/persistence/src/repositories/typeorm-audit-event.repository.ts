import { Injectable } from '@nestjs/common';
import { type AuditEvent, AuditEventRepository, type AuditQuery } from '@s2s/audit';
import { AuditEventEntity } from '../entities/audit-event.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmAuditEventRepository extends AuditEventRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async append(event: AuditEvent): Promise<void> {
    await this.unitOfWork.manager().insert(AuditEventEntity, Object.assign(new AuditEventEntity(), { ...event, before: event.before as object | null, after: event.after as object | null }));
  }

  async query(query: AuditQuery): Promise<AuditEvent[]> {
    const builder = this.unitOfWork.manager().createQueryBuilder(AuditEventEntity, 'e');
    if (query.action) builder.andWhere('e.action = :action', { action: query.action });
    if (query.actorKeyId) builder.andWhere('e.actor_key_id = :actorKeyId', { actorKeyId: query.actorKeyId });
    if (query.targetType) builder.andWhere('e.target_type = :targetType', { targetType: query.targetType });
    if (query.targetId) builder.andWhere('e.target_id = :targetId', { targetId: query.targetId });
    if (query.since) builder.andWhere('e.occurred_at >= :since', { since: query.since });
    if (query.until) builder.andWhere('e.occurred_at <= :until', { until: query.until });
    if (query.after) {
      // Keyset paging: strictly older than the last row of the previous page.
      builder.andWhere('(e.occurred_at, e.id) < (:afterTime, :afterId)', { afterTime: query.after.occurredAt, afterId: query.after.id });
    }
    const rows = await builder.orderBy('e.occurred_at', 'DESC').addOrderBy('e.id', 'DESC').limit(query.limit).getMany();
    return rows.map(toDomain);
  }
}

function toDomain(row: AuditEventEntity): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    actorKeyId: row.actorKeyId,
    actorName: row.actorName,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.requestId,
  };
}
