import { Injectable } from '@nestjs/common';
import { type CertificateSource, CertificateRepository, type StoredCertificate } from '@s2s/certificates';
import { In } from 'typeorm';
import { CertificateEntity } from '../entities/certificate.entity.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmCertificateRepository extends CertificateRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async list(): Promise<StoredCertificate[]> {
    const rows = await this.unitOfWork.manager().find(CertificateEntity, { order: { createdAt: 'DESC', thumbprintSha1: 'ASC' } });
    return rows.map(toDomain);
  }

  async find(thumbprint: string): Promise<StoredCertificate | null> {
    const where = thumbprint.length === 64 ? { thumbprintSha256: thumbprint } : { thumbprintSha1: thumbprint };
    const row = await this.unitOfWork.manager().findOneBy(CertificateEntity, where);
    return row ? toDomain(row) : null;
  }

  async findMany(thumbprints: string[]): Promise<StoredCertificate[]> {
    if (thumbprints.length === 0) return [];
    const rows = await this.unitOfWork.manager().findBy(CertificateEntity, { thumbprintSha1: In(thumbprints) });
    return rows.map(toDomain);
  }

  async insert(certificate: StoredCertificate): Promise<void> {
    await this.unitOfWork.manager().insert(CertificateEntity, toRow(certificate));
  }

  async delete(thumbprint: string): Promise<void> {
    await this.unitOfWork.manager().delete(CertificateEntity, { thumbprintSha1: thumbprint });
  }
}

function toRow(certificate: StoredCertificate): CertificateEntity {
  return Object.assign(new CertificateEntity(), {
    thumbprintSha1: certificate.thumbprint,
    thumbprintSha256: certificate.thumbprintSha256,
    certificatePem: certificate.certificatePem,
    chainPems: certificate.chainPems,
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
    dnsNames: certificate.dnsNames,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    keyAlgorithm: certificate.keyAlgorithm,
    keySizeBits: certificate.keySizeBits,
    source: certificate.source,
    sealedPrivateKey: certificate.sealedPrivateKey,
    createdAt: certificate.createdAt,
  });
}

function toDomain(row: CertificateEntity): StoredCertificate {
  return {
    thumbprint: row.thumbprintSha1,
    thumbprintSha256: row.thumbprintSha256,
    certificatePem: row.certificatePem,
    chainPems: row.chainPems,
    subject: row.subject,
    issuer: row.issuer,
    serialNumber: row.serialNumber,
    dnsNames: row.dnsNames,
    notBefore: row.notBefore,
    notAfter: row.notAfter,
    keyAlgorithm: row.keyAlgorithm,
    keySizeBits: row.keySizeBits,
    source: row.source as CertificateSource,
    sealedPrivateKey: row.sealedPrivateKey,
    createdAt: row.createdAt,
  };
}
