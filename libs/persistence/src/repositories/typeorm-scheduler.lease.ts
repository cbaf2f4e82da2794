import { Injectable } from '@nestjs/common';
import { SchedulerLease } from '@s2s/rollover';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** `scheduler_lease`: one row per lease, taken over only when free, expired or already ours (one atomic upsert). */
@Injectable()
export class TypeOrmSchedulerLease extends SchedulerLease {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async tryAcquire(name: string, holder: string, now: Date, expiresAt: Date): Promise<boolean> {
    const rows = (await this.unitOfWork.manager().query(
      `INSERT INTO scheduler_lease (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE scheduler_lease.holder = excluded.holder OR scheduler_lease.expires_at < $4
       RETURNING holder`,
      [name, holder, expiresAt, now],
    )) as { holder: string }[];
    return rows.length === 1 && rows[0]!.holder === holder;
  }
}
