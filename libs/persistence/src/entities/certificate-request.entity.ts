import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `certificate_request`: a generated key pair and its CSR, waiting for the CA. */
@Entity({ name: 'certificate_request' })
export class CertificateRequestEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ name: 'dns_names', type: 'jsonb' }) dnsNames!: string[];
  @Column({ name: 'key_size_bits', type: 'integer' }) keySizeBits!: number;
  @Column({ name: 'csr_pem', type: 'text' }) csrPem!: string;
  @Column({ name: 'sealed_private_key', type: 'text', nullable: true }) sealedPrivateKey!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'certificate_thumbprint', type: 'char', length: 40, nullable: true }) certificateThumbprint!: string | null;
}
