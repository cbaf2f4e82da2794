import { Injectable } from '@nestjs/common';
import { type AdminApiKey, AdminApiKeyRepository, type AdminRole } from '@s2s/admin-access';
import { AdminApiKeyEntity } from '../entities/admin-api-key.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmAdminApiKeyRepository extends AdminApiKeyRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async insert(key: AdminApiKey): Promise<void> {
    await this.unitOfWork.manager().insert(AdminApiKeyEntity, Object.assign(new AdminApiKeyEntity(), key));
  }

  async findById(id: string): Promise<AdminApiKey | null> {
    const row = await this.unitOfWork.manager().findOneBy(AdminApiKeyEntity, { id });
    return row ? toDomain(row) : null;
  }

  async list(): Promise<AdminApiKey[]> {
    const rows = await this.unitOfWork.manager().find(AdminApiKeyEntity, { order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toDomain);
  }

  count(): Promise<number> {
    return this.unitOfWork.manager().count(AdminApiKeyEntity);
  }

  async markRevoked(id: string, at: Date): Promise<void> {
    await this.unitOfWork.manager().update(AdminApiKeyEntity, { id }, { revokedAt: at });
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.unitOfWork.manager().update(AdminApiKeyEntity, { id }, { lastUsedAt: at });
  }
}

function toDomain(row: AdminApiKeyEntity): AdminApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as AdminRole,
    secretHash: row.secretHash,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    createdByKeyId: row.createdByKeyId,
    expiresAt: row.expiresAt,
  };
}
