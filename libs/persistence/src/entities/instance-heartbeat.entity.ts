import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `instance_heartbeat`: one running instance and when it last said so. */
@Entity({ name: 'instance_heartbeat' })
export class InstanceHeartbeatEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'uuid' }) instanceId!: string;
  @Column({ name: 'host_name', type: 'text' }) hostName!: string;
  @Column({ name: 'process_id', type: 'integer' }) processId!: number;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt!: Date;
}
