import { Injectable } from '@nestjs/common';
import { type AutoRenewMode, type OAuthConfiguration, OAuthConfigurationRepository } from '@s2s/oauth-configuration';
import { OAuthConfigurationEntity } from '../entities/oauth-configuration.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

const SINGLETON_ID = 1;

@Injectable()
export class TypeOrmOAuthConfigurationRepository extends OAuthConfigurationRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async find(): Promise<OAuthConfiguration | null> {
    const row = await this.unitOfWork.manager().findOneBy(OAuthConfigurationEntity, { id: SINGLETON_ID });
    return row ? toDomain(row) : null;
  }

  async insertIfAbsent(configuration: OAuthConfiguration): Promise<boolean> {
    const result = await this.unitOfWork
      .manager()
      .createQueryBuilder()
      .insert()
      .into(OAuthConfigurationEntity)
      .values(toRow(configuration))
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0 || (result.identifiers?.length ?? 0) > 0;
  }

  async update(configuration: OAuthConfiguration): Promise<void> {
    await this.unitOfWork.manager().save(OAuthConfigurationEntity, toRow(configuration));
  }
}

function toRow(configuration: OAuthConfiguration): OAuthConfigurationEntity {
  return Object.assign(new OAuthConfigurationEntity(), { id: SINGLETON_ID, ...configuration });
}

function toDomain(row: OAuthConfigurationEntity): OAuthConfiguration {
  return {
    serviceName: row.serviceName,
    realm: row.realm,
    publicHost: row.publicHost,
    actorTokenLifetimeSeconds: row.actorTokenLifetimeSeconds,
    outerTokenLifetimeSeconds: row.outerTokenLifetimeSeconds,
    accessTokenLifetimeSeconds: row.accessTokenLifetimeSeconds,
    clockSkewSeconds: row.clockSkewSeconds,
    metadataRefreshIntervalSeconds: row.metadataRefreshIntervalSeconds,
    minimumRollLeadSeconds: row.minimumRollLeadSeconds,
    autoRenew: row.autoRenew as AutoRenewMode,
    renewBeforeSeconds: row.renewBeforeSeconds,
    updatedAt: row.updatedAt,
  };
}
