import { Injectable } from '@nestjs/common';
import { AuthenticationFailureStore, type SharedFailureRecord } from '@s2s/oauth-wire';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

type Row = { subject: string; failures: number; window_start: Date | string; blocked_until: Date | string };

/** {@link AuthenticationFailureStore} over `authentication_failure`: one atomic upsert per failure, shared by every instance. */
@Injectable()
export class TypeOrmAuthenticationFailureStore extends AuthenticationFailureStore {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async increment(key: string, now: Date, windowOpenSince: Date): Promise<{ failures: number; windowStart: Date }> {
    const rows = (await this.unitOfWork.manager().query(
      `INSERT INTO authentication_failure (subject, failures, window_start, blocked_until) VALUES ($1, 1, $2, $2)
       ON CONFLICT (subject) DO UPDATE SET
         failures = CASE WHEN authentication_failure.window_start > $3 THEN authentication_failure.failures + 1 ELSE 1 END,
         window_start = CASE WHEN authentication_failure.window_start > $3 THEN authentication_failure.window_start ELSE EXCLUDED.window_start END
       RETURNING failures, window_start`,
      [key, now, windowOpenSince],
    )) as Pick<Row, 'failures' | 'window_start'>[];
    return { failures: Number(rows[0]!.failures), windowStart: new Date(rows[0]!.window_start) };
  }

  async block(key: string, blockedUntil: Date): Promise<void> {
    await this.unitOfWork.manager().query('UPDATE authentication_failure SET blocked_until = GREATEST(blocked_until, $2) WHERE subject = $1', [key, blockedUntil]);
  }

  async clear(key: string): Promise<void> {
    await this.unitOfWork.manager().query('DELETE FROM authentication_failure WHERE subject = $1', [key]);
  }

  async purgeStale(now: Date, windowOpenSince: Date): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, affected] = (await this.unitOfWork
      .manager()
      .query('DELETE FROM authentication_failure WHERE window_start < $1 AND blocked_until < $2', [windowOpenSince, now])) as [unknown[], number];
    return affected;
  }

  async listBlocked(now: Date, limit: number): Promise<SharedFailureRecord[]> {
    const rows = (await this.unitOfWork
      .manager()
      .query('SELECT subject, failures, window_start, blocked_until FROM authentication_failure WHERE blocked_until > $1 ORDER BY blocked_until DESC LIMIT $2', [now, limit])) as Row[];
    return rows.map((row) => ({ key: row.subject, failures: Number(row.failures), windowStart: new Date(row.window_start), blockedUntil: new Date(row.blocked_until) }));
  }
}
