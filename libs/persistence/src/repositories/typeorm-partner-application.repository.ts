import { Injectable } from '@nestjs/common';
import type { PartnerApplication, PartnerApplicationRepository, PartnerKey } from '@s2s/partners';
import { PartnerApplicationEntity, type PartnerKeyRow } from '../entities/partner-application.entity.js';
import { TypeOrmTrustedIssuerRepository } from './typeorm-trusted-issuer.repository.js';

/** `partner_application`: the partner's own columns and keys (certificates, validity as ISO text); the shared columns are the base's. */
@Injectable()
export class TypeOrmPartnerApplicationRepository
  extends TypeOrmTrustedIssuerRepository<PartnerKey, PartnerApplication, PartnerKeyRow, PartnerApplicationEntity>
  implements PartnerApplicationRepository
{
  protected readonly entity = PartnerApplicationEntity;
  protected readonly ownColumns = ['applicationIdentifier', 'realm', 'metadataUrl', 'hostAuthority', 'trustLevel', 'acceptSecurityIdentifierInformation', 'sourceAddresses', 'keyChangePolicy', 'pendingKeys', 'useOAuthServer', 'acceptedDomains'] as const;
  protected readonly keys = {
    keyToRow: (key: PartnerKey): PartnerKeyRow => ({ x5t: key.x5t, certificatePem: key.certificatePem, notBefore: key.notBefore.toISOString(), notAfter: key.notAfter.toISOString() }),
    keyFromRow: (row: PartnerKeyRow): PartnerKey => ({ x5t: row.x5t, certificatePem: row.certificatePem, notBefore: new Date(row.notBefore), notAfter: new Date(row.notAfter) }),
  };

  /** Keys held for review are stored like the trusted ones. */
  protected override ownColumnToRow(column: string, value: unknown): unknown {
    return column === 'pendingKeys' ? (value as PartnerKey[]).map((key) => this.keys.keyToRow(key)) : value;
  }

  protected override ownColumnFromRow(column: string, value: unknown): unknown {
    return column === 'pendingKeys' ? (value as PartnerKeyRow[]).map((row) => this.keys.keyFromRow(row)) : value;
  }
}
