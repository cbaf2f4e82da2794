import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `certificate`: a stored certificate with its sealed private key. */
@Entity({ name: 'certificate' })
export class CertificateEntity {
  @PrimaryColumn({ name: 'thumbprint_sha1', type: 'char', length: 40 }) thumbprintSha1!: string;
  @Column({ name: 'thumbprint_sha256', type: 'char', length: 64 }) thumbprintSha256!: string;
  @Column({ name: 'certificate_pem', type: 'text' }) certificatePem!: string;
  @Column({ name: 'chain_pems', type: 'jsonb' }) chainPems!: string[];
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'text' }) issuer!: string;
  @Column({ name: 'serial_number', type: 'text' }) serialNumber!: string;
  @Column({ name: 'dns_names', type: 'jsonb' }) dnsNames!: string[];
  @Column({ name: 'not_before', type: 'timestamptz' }) notBefore!: Date;
  @Column({ name: 'not_after', type: 'timestamptz' }) notAfter!: Date;
  @Column({ name: 'key_algorithm', type: 'text' }) keyAlgorithm!: string;
  @Column({ name: 'key_size_bits', type: 'integer' }) keySizeBits!: number;
  @Column({ type: 'text' }) source!: string;
  @Column({ name: 'sealed_private_key', type: 'text' }) sealedPrivateKey!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
