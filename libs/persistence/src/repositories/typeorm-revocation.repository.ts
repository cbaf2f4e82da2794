import { Injectable } from '@nestjs/common';
import { type NotBeforeMark, type NotBeforeSubjectType, RevocationRepository, type RevokedToken } from '@s2s/revocation';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** {@link RevocationRepository} over `revoked_token` and `token_not_before`. */
@Injectable()
export class TypeOrmRevocationRepository extends RevocationRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async revoke(jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const rows = (await this.unitOfWork
      .manager()
      .query('INSERT INTO revoked_token (jti, expires_at, revoked_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING RETURNING jti', [jti, expiresAt, now])) as unknown[];
    return rows.length === 1;
  }

  async listRevoked(now: Date): Promise<RevokedToken[]> {
    const rows = (await this.unitOfWork.manager().query('SELECT jti, expires_at FROM revoked_token WHERE expires_at >= $1', [now])) as { jti: string; expires_at: Date | string }[];
    return rows.map((row) => ({ jti: row.jti, expiresAt: new Date(row.expires_at) }));
  }

  async purgeExpired(now: Date): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, affected] = (await this.unitOfWork.manager().query('DELETE FROM revoked_token WHERE expires_at < $1', [now])) as [unknown[], number];
    return affected;
  }

  async setNotBefore(mark: NotBeforeMark): Promise<void> {
    await this.unitOfWork
      .manager()
      .query(
        `INSERT INTO token_not_before (subject_type, subject_id, not_before) VALUES ($1, $2, $3)
         ON CONFLICT (subject_type, subject_id) DO UPDATE SET not_before = GREATEST(token_not_before.not_before, EXCLUDED.not_before)`,
        [mark.subjectType, mark.subjectId, mark.notBefore],
      );
  }

  async listNotBefore(): Promise<NotBeforeMark[]> {
    const rows = (await this.unitOfWork.manager().query('SELECT subject_type, subject_id, not_before FROM token_not_before')) as {
      subject_type: NotBeforeSubjectType;
      subject_id: string;
      not_before: Date | string;
    }[];
    return rows.map((row) => ({ subjectType: row.subject_type, subjectId: row.subject_id, notBefore: new Date(row.not_before) }));
  }
}
