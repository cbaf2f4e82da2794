import { Injectable } from '@nestjs/common';
import { type OAuthServer, OAuthServerRepository } from '@s2s/oauth-servers';
import { OAuthServerEntity } from '../entities/oauth-server.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmOAuthServerRepository extends OAuthServerRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async list(): Promise<OAuthServer[]> {
    return (await this.unitOfWork.manager().find(OAuthServerEntity, { order: { identity: 'ASC' } })).map(toDomain);
  }

  async find(identity: string): Promise<OAuthServer | null> {
    const row = await this.unitOfWork.manager().findOneBy(OAuthServerEntity, { identity });
    return row ? toDomain(row) : null;
  }

  async insert(server: OAuthServer): Promise<void> {
    await this.unitOfWork.manager().insert(OAuthServerEntity, toRow(server));
  }

  async update(server: OAuthServer): Promise<void> {
    await this.unitOfWork.manager().save(OAuthServerEntity, toRow(server));
  }

  async delete(identity: string): Promise<void> {
    await this.unitOfWork.manager().delete(OAuthServerEntity, { identity });
  }
}

function toRow(server: OAuthServer): OAuthServerEntity {
  const { metadataStatus, ...rest } = server;
  return Object.assign(new OAuthServerEntity(), {
    ...rest,
    metadataLastAttemptAt: metadataStatus.lastAttemptAt,
    metadataLastSuccessAt: metadataStatus.lastSuccessAt,
    metadataLastError: metadataStatus.lastError,
    metadataReviewReason: metadataStatus.reviewReason,
  });
}

function toDomain(row: OAuthServerEntity): OAuthServer {
  return {
    identity: row.identity,
    metadataUrl: row.metadataUrl,
    type: row.type as OAuthServer['type'],
    issuer: row.issuer,
    jwksUri: row.jwksUri,
    audiences: row.audiences,
    tenantId: row.tenantId,
    allowedApplicationIds: row.allowedApplicationIds,
    allowedObjectIds: row.allowedObjectIds,
    requiredRole: row.requiredRole,
    enabled: row.enabled,
    metadataCaBundle: row.metadataCaBundle,
    metadataHostAllowList: row.metadataHostAllowList,
    allowHttpMetadata: row.allowHttpMetadata,
    keys: row.keys,
    metadataStatus: {
      lastAttemptAt: row.metadataLastAttemptAt,
      lastSuccessAt: row.metadataLastSuccessAt,
      lastError: row.metadataLastError,
      reviewReason: row.metadataReviewReason,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
