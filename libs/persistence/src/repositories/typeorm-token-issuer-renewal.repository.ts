import { Injectable } from '@nestjs/common';
import { type TokenIssuerRenewal, TokenIssuerRenewalRepository } from '@s2s/rollover';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

interface RenewalRow {
  renews_thumbprint: string;
  mode: 'self-signed' | 'csr';
  request_id: string | null;
  successor_thumbprint: string | null;
  started_at: Date | string;
  staged_at: Date | string | null;
}

/** `token_issuer_renewal`: one row per certificate renewed automatically. */
@Injectable()
export class TypeOrmTokenIssuerRenewalRepository extends TokenIssuerRenewalRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async find(renewsThumbprint: string): Promise<TokenIssuerRenewal | null> {
    const [row] = (await this.unitOfWork.manager().query('SELECT * FROM token_issuer_renewal WHERE renews_thumbprint = $1', [renewsThumbprint])) as RenewalRow[];
    if (!row) return null;
    return {
      renewsThumbprint: row.renews_thumbprint,
      mode: row.mode,
      requestId: row.request_id,
      successorThumbprint: row.successor_thumbprint?.trim() ?? null,
      startedAt: new Date(row.started_at),
      stagedAt: row.staged_at === null ? null : new Date(row.staged_at),
    };
  }

  async save(renewal: TokenIssuerRenewal): Promise<void> {
    await this.unitOfWork.manager().query(
      `INSERT INTO token_issuer_renewal (renews_thumbprint, mode, request_id, successor_thumbprint, started_at, staged_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (renews_thumbprint) DO UPDATE SET mode = excluded.mode, request_id = excluded.request_id,
         successor_thumbprint = excluded.successor_thumbprint, started_at = excluded.started_at, staged_at = excluded.staged_at`,
      [renewal.renewsThumbprint, renewal.mode, renewal.requestId, renewal.successorThumbprint, renewal.startedAt, renewal.stagedAt],
    );
  }
}
