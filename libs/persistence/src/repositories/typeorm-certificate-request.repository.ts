import { Injectable } from '@nestjs/common';
import { type CertificateRequest, CertificateRequestRepository } from '@s2s/certificates';
import { CertificateRequestEntity } from '../entities/certificate-request.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmCertificateRequestRepository extends CertificateRequestRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async list(): Promise<CertificateRequest[]> {
    const rows = await this.unitOfWork.manager().find(CertificateRequestEntity, { order: { createdAt: 'DESC', id: 'ASC' } });
    return rows.map(toDomain);
  }

  async find(id: string): Promise<CertificateRequest | null> {
    const row = await this.unitOfWork.manager().findOneBy(CertificateRequestEntity, { id });
    return row ? toDomain(row) : null;
  }

  async insert(request: CertificateRequest): Promise<void> {
    await this.unitOfWork.manager().insert(CertificateRequestEntity, toRow(request));
  }

  async update(request: CertificateRequest): Promise<void> {
    await this.unitOfWork.manager().save(CertificateRequestEntity, toRow(request));
  }

  async delete(id: string): Promise<void> {
    await this.unitOfWork.manager().delete(CertificateRequestEntity, { id });
  }
}

function toRow(request: CertificateRequest): CertificateRequestEntity {
  return Object.assign(new CertificateRequestEntity(), { ...request });
}

function toDomain(row: CertificateRequestEntity): CertificateRequest {
  return {
    id: row.id,
    status: row.status as CertificateRequest['status'],
    subject: row.subject,
    dnsNames: row.dnsNames,
    keySizeBits: row.keySizeBits,
    csrPem: row.csrPem,
    sealedPrivateKey: row.sealedPrivateKey,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    certificateThumbprint: row.certificateThumbprint,
  };
}
