import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `partner_application`. Keys are stored as `{x5t, certificatePem, notBefore, notAfter}` (public data). */
@Entity({ name: 'partner_application' })
export class PartnerApplicationEntity {
  @PrimaryColumn({ type: 'text' }) identity!: string;
  @Column({ name: 'application_identifier', type: 'uuid' }) applicationIdentifier!: string;
  @Column({ type: 'text' }) realm!: string;
  @Column({ name: 'metadata_url', type: 'text', nullable: true }) metadataUrl!: string | null;
  @Column({ name: 'host_authority', type: 'text', nullable: true }) hostAuthority!: string | null;
  @Column({ name: 'trust_level', type: 'text' }) trustLevel!: string;
  @Column({ name: 'accept_security_identifier_information', type: 'boolean' }) acceptSecurityIdentifierInformation!: boolean;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'metadata_ca_bundle', type: 'text', nullable: true }) metadataCaBundle!: string | null;
  @Column({ name: 'metadata_host_allow_list', type: 'jsonb' }) metadataHostAllowList!: string[];
  @Column({ name: 'allow_http_metadata', type: 'boolean' }) allowHttpMetadata!: boolean;
  @Column({ type: 'jsonb' }) keys!: { x5t: string; certificatePem: string; notBefore: string; notAfter: string }[];
  @Column({ name: 'metadata_last_attempt_at', type: 'timestamptz', nullable: true }) metadataLastAttemptAt!: Date | null;
  @Column({ name: 'metadata_last_success_at', type: 'timestamptz', nullable: true }) metadataLastSuccessAt!: Date | null;
  @Column({ name: 'metadata_last_error', type: 'text', nullable: true }) metadataLastError!: string | null;
  @Column({ name: 'metadata_review_reason', type: 'text', nullable: true }) metadataReviewReason!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
