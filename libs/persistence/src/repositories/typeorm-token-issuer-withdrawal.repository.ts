import { Injectable } from '@nestjs/common';
import { type TokenIssuerWithdrawal, TokenIssuerWithdrawalRepository } from '@s2s/certificates';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** {@link TokenIssuerWithdrawalRepository} over `token_issuer_withdrawal`. */
@Injectable()
export class TypeOrmTokenIssuerWithdrawalRepository extends TokenIssuerWithdrawalRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async record(withdrawal: TokenIssuerWithdrawal): Promise<void> {
    await this.unitOfWork
      .manager()
      .query(
        `INSERT INTO token_issuer_withdrawal (thumbprint, withdrawn_at, reason) VALUES ($1, $2, $3)
         ON CONFLICT (thumbprint) DO UPDATE SET withdrawn_at = EXCLUDED.withdrawn_at, reason = EXCLUDED.reason`,
        [withdrawal.thumbprint, withdrawal.withdrawnAt, withdrawal.reason],
      );
  }

  async list(): Promise<TokenIssuerWithdrawal[]> {
    const rows = (await this.unitOfWork.manager().query('SELECT thumbprint, withdrawn_at, reason FROM token_issuer_withdrawal')) as { thumbprint: string; withdrawn_at: Date | string; reason: string }[];
    return rows.map((row) => ({ thumbprint: row.thumbprint, withdrawnAt: new Date(row.withdrawn_at), reason: row.reason }));
  }
}
