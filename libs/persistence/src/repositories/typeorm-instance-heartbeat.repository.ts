import { Injectable } from '@nestjs/common';
import { type InstanceRecord, InstanceHeartbeatRepository } from '@s2s/lifecycle';
import { LessThan } from 'typeorm';
import { InstanceHeartbeatEntity } from '../entities/instance-heartbeat.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** `instance_heartbeat`: one row per running instance. */
@Injectable()
export class TypeOrmInstanceHeartbeatRepository extends InstanceHeartbeatRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async beat(record: InstanceRecord): Promise<void> {
    await this.unitOfWork.manager().upsert(InstanceHeartbeatEntity, Object.assign(new InstanceHeartbeatEntity(), record), ['instanceId']);
  }

  async list(): Promise<InstanceRecord[]> {
    const rows = await this.unitOfWork.manager().find(InstanceHeartbeatEntity, { order: { startedAt: 'ASC', instanceId: 'ASC' } });
    return rows.map((row) => ({ instanceId: row.instanceId, hostName: row.hostName, processId: row.processId, startedAt: row.startedAt, lastSeenAt: row.lastSeenAt }));
  }

  async remove(instanceId: string): Promise<void> {
    await this.unitOfWork.manager().delete(InstanceHeartbeatEntity, { instanceId });
  }

  async removeSeenBefore(before: Date): Promise<void> {
    await this.unitOfWork.manager().delete(InstanceHeartbeatEntity, { lastSeenAt: LessThan(before) });
  }
}
