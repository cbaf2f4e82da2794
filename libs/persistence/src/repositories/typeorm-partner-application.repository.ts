import { Injectable } from '@nestjs/common';
import { type PartnerApplication, PartnerApplicationRepository, type TrustLevel } from '@s2s/partners';
import { PartnerApplicationEntity } from '../entities/partner-application.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmPartnerApplicationRepository extends PartnerApplicationRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async list(): Promise<PartnerApplication[]> {
    return (await this.unitOfWork.manager().find(PartnerApplicationEntity, { order: { identity: 'ASC' } })).map(toDomain);
  }

  async find(identity: string): Promise<PartnerApplication | null> {
    const row = await this.unitOfWork.manager().findOneBy(PartnerApplicationEntity, { identity: identity.toLowerCase() });
    return row ? toDomain(row) : null;
  }

  async insert(partner: PartnerApplication): Promise<void> {
    await this.unitOfWork.manager().insert(PartnerApplicationEntity, toRow(partner));
  }

  async update(partner: PartnerApplication): Promise<void> {
    await this.unitOfWork.manager().save(PartnerApplicationEntity, toRow(partner));
  }

  async delete(identity: string): Promise<void> {
    await this.unitOfWork.manager().delete(PartnerApplicationEntity, { identity });
  }
}

function toRow(partner: PartnerApplication): PartnerApplicationEntity {
  return Object.assign(new PartnerApplicationEntity(), {
    identity: partner.identity,
    applicationIdentifier: partner.applicationIdentifier,
    realm: partner.realm,
    metadataUrl: partner.metadataUrl,
    hostAuthority: partner.hostAuthority,
    trustLevel: partner.trustLevel,
    acceptSecurityIdentifierInformation: partner.acceptSecurityIdentifierInformation,
    enabled: partner.enabled,
    metadataCaBundle: partner.metadataCaBundle,
    metadataHostAllowList: partner.metadataHostAllowList,
    allowHttpMetadata: partner.allowHttpMetadata,
    keys: partner.keys.map((key) => ({ x5t: key.x5t, certificatePem: key.certificatePem, notBefore: key.notBefore.toISOString(), notAfter: key.notAfter.toISOString() })),
    metadataLastAttemptAt: partner.metadataStatus.lastAttemptAt,
    metadataLastSuccessAt: partner.metadataStatus.lastSuccessAt,
    metadataLastError: partner.metadataStatus.lastError,
    metadataReviewReason: partner.metadataStatus.reviewReason,
    createdAt: partner.createdAt,
    updatedAt: partner.updatedAt,
  });
}

function toDomain(row: PartnerApplicationEntity): PartnerApplication {
  return {
    identity: row.identity,
    applicationIdentifier: row.applicationIdentifier,
    realm: row.realm,
    metadataUrl: row.metadataUrl,
    hostAuthority: row.hostAuthority,
    trustLevel: row.trustLevel as TrustLevel,
    acceptSecurityIdentifierInformation: row.acceptSecurityIdentifierInformation,
    enabled: row.enabled,
    metadataCaBundle: row.metadataCaBundle,
    metadataHostAllowList: row.metadataHostAllowList,
    allowHttpMetadata: row.allowHttpMetadata,
    keys: row.keys.map((key) => ({ x5t: key.x5t, certificatePem: key.certificatePem, notBefore: new Date(key.notBefore), notAfter: new Date(key.notAfter) })),
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
