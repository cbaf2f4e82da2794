import { Injectable } from '@nestjs/common';
import { EMPTY_ASSIGNMENT, type TokenIssuerAssignment, TokenIssuerAssignmentRepository } from '@s2s/certificates';
import { CertificateAssignmentEntity } from '../entities/certificate-assignment.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

const TYPE = 'oauth-token-issuer';

@Injectable()
export class TypeOrmTokenIssuerAssignmentRepository extends TokenIssuerAssignmentRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async find(): Promise<TokenIssuerAssignment> {
    const row = await this.unitOfWork.manager().findOneBy(CertificateAssignmentEntity, { type: TYPE });
    if (!row) return EMPTY_ASSIGNMENT;
    return {
      current: row.currentThumbprint,
      next: row.nextThumbprint,
      nextEffectiveAt: row.nextEffectiveAt,
      previous: row.previousThumbprint,
      roll:
        row.nextThumbprint !== null && row.nextEffectiveAt !== null
          ? {
              publishedAt: row.nextPublishedAt ?? row.updatedAt,
              activateWhenFetched: row.nextActivateWhenFetched,
              deadline: row.nextDeadline ?? row.nextEffectiveAt,
              alertedAt: row.nextAlertedAt,
              keepPrevious: row.nextKeepPrevious,
            }
          : null,
      previousRetiredAt: row.previousRetiredAt,
      keepPrevious: row.keepPrevious,
      updatedAt: row.updatedAt,
    };
  }

  async save(assignment: TokenIssuerAssignment): Promise<void> {
    await this.unitOfWork.manager().save(
      CertificateAssignmentEntity,
      Object.assign(new CertificateAssignmentEntity(), {
        type: TYPE,
        currentThumbprint: assignment.current,
        nextThumbprint: assignment.next,
        nextEffectiveAt: assignment.nextEffectiveAt,
        previousThumbprint: assignment.previous,
        nextPublishedAt: assignment.roll?.publishedAt ?? null,
        nextActivateWhenFetched: assignment.roll?.activateWhenFetched ?? false,
        nextDeadline: assignment.roll?.deadline ?? null,
        nextAlertedAt: assignment.roll?.alertedAt ?? null,
        nextKeepPrevious: assignment.roll?.keepPrevious ?? false,
        previousRetiredAt: assignment.previousRetiredAt,
        keepPrevious: assignment.keepPrevious,
        updatedAt: assignment.updatedAt,
      }),
    );
  }
}
