import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `audit_event`: append-only. */
@Entity({ name: 'audit_event' })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'actor_key_id', type: 'uuid', nullable: true }) actorKeyId!: string | null;
  @Column({ name: 'actor_name', type: 'text' }) actorName!: string;
  @Column({ type: 'text' }) action!: string;
  @Column({ name: 'target_type', type: 'text' }) targetType!: string;
  @Column({ name: 'target_id', type: 'text', nullable: true }) targetId!: string | null;
  @Column({ type: 'jsonb', nullable: true }) before!: object | null;
  @Column({ type: 'jsonb', nullable: true }) after!: object | null;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
}
