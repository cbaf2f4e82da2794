import { Injectable } from '@nestjs/common';
import type { PartnerApplication, PartnerApplicationRepository, PartnerKey, TrustLevel } from '@s2s/partners';
import { PartnerApplicationEntity, type PartnerKeyRow } from '../entities/partner-application.entity.js';
import { type OwnColumns, type SharedFields, TypeOrmTrustedIssuerRepository } from './typeorm-trusted-issuer.repository.js';

/** `partner_application`: the partner's own columns; the shared ones are mapped by the base. */
@Injectable()
export class TypeOrmPartnerApplicationRepository
  extends TypeOrmTrustedIssuerRepository<PartnerKey, PartnerApplication, PartnerKeyRow, PartnerApplicationEntity>
  implements PartnerApplicationRepository
{
  protected readonly entity = PartnerApplicationEntity;
  protected readonly keys = {
    keyToRow: (key: PartnerKey): PartnerKeyRow => ({ x5t: key.x5t, certificatePem: key.certificatePem, notBefore: key.notBefore.toISOString(), notAfter: key.notAfter.toISOString() }),
    keyFromRow: (row: PartnerKeyRow): PartnerKey => ({ x5t: row.x5t, certificatePem: row.certificatePem, notBefore: new Date(row.notBefore), notAfter: new Date(row.notAfter) }),
  };

  protected ownColumns(partner: PartnerApplication): OwnColumns<PartnerApplicationEntity> {
    return {
      applicationIdentifier: partner.applicationIdentifier,
      realm: partner.realm,
      metadataUrl: partner.metadataUrl,
      hostAuthority: partner.hostAuthority,
      trustLevel: partner.trustLevel,
      acceptSecurityIdentifierInformation: partner.acceptSecurityIdentifierInformation,
    };
  }

  protected toDomain(row: PartnerApplicationEntity, shared: SharedFields<PartnerKey>): PartnerApplication {
    return {
      applicationIdentifier: row.applicationIdentifier,
      realm: row.realm,
      metadataUrl: row.metadataUrl,
      hostAuthority: row.hostAuthority,
      trustLevel: row.trustLevel as TrustLevel,
      acceptSecurityIdentifierInformation: row.acceptSecurityIdentifierInformation,
      ...shared,
    };
  }
}
