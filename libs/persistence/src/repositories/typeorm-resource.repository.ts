import { Injectable } from '@nestjs/common';
import { type MemberType, type Resource, ResourceRepository } from '@s2s/clients';
import { ResourceEntity } from '../entities/client.entities.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmResourceRepository extends ResourceRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async list(): Promise<Resource[]> {
    return (await this.unitOfWork.manager().find(ResourceEntity, { order: { appIdUri: 'ASC' } })).map(toDomain);
  }

  async findById(id: string): Promise<Resource | null> {
    const row = await this.unitOfWork.manager().findOneBy(ResourceEntity, { id });
    return row ? toDomain(row) : null;
  }

  async findByAppIdUri(appIdUri: string): Promise<Resource | null> {
    const row = await this.unitOfWork
      .manager()
      .createQueryBuilder(ResourceEntity, 'resource')
      .where('lower(resource.app_id_uri) = lower(:appIdUri)', { appIdUri })
      .getOne();
    return row ? toDomain(row) : null;
  }

  async insert(resource: Resource): Promise<void> {
    await this.unitOfWork.manager().insert(ResourceEntity, Object.assign(new ResourceEntity(), resource));
  }

  async update(resource: Resource): Promise<void> {
    await this.unitOfWork.manager().save(ResourceEntity, Object.assign(new ResourceEntity(), resource));
  }

  async delete(id: string): Promise<void> {
    await this.unitOfWork.manager().delete(ResourceEntity, { id });
  }
}

function toDomain(row: ResourceEntity): Resource {
  return {
    id: row.id,
    appIdUri: row.appIdUri,
    displayName: row.displayName,
    roles: row.roles.map((role) => ({ ...role, allowedMemberTypes: role.allowedMemberTypes as MemberType[] })),
    scopes: row.scopes,
    clientId: row.clientId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
