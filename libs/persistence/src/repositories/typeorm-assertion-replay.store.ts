import { Injectable } from '@nestjs/common';
import { AssertionReplayStore } from '@s2s/clients';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** {@link AssertionReplayStore} over `client_assertion_jti`: the primary key makes "first one wins" atomic across instances. */
@Injectable()
export class TypeOrmAssertionReplayStore extends AssertionReplayStore {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async recordOnce(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    const rows = (await this.unitOfWork
      .manager()
      .query('INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (client_id, jti) DO NOTHING RETURNING jti', [
        clientId,
        jti,
        expiresAt,
      ])) as unknown[];
    return rows.length === 1;
  }

  async purgeExpired(now: Date): Promise<number> {
    const rows = (await this.unitOfWork.manager().query('DELETE FROM client_assertion_jti WHERE expires_at < $1 RETURNING jti', [now])) as unknown[];
    return rows.length;
  }
}
