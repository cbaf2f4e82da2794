import { Column, PrimaryColumn } from 'typeorm';

/**
 * Columns every trusted-issuer table has (`partner_application`, `oauth_server`): identity, enabled
 * flag, metadata fetch policy, keys (jsonb, public data only), metadata status and times. Each
 * entity adds its own columns; the tables stay separate.
 */
export abstract class TrustedIssuerColumns<KeyRow> {
  @PrimaryColumn({ type: 'text' }) identity!: string;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'metadata_ca_bundle', type: 'text', nullable: true }) metadataCaBundle!: string | null;
  @Column({ name: 'metadata_host_allow_list', type: 'jsonb' }) metadataHostAllowList!: string[];
  @Column({ name: 'allow_http_metadata', type: 'boolean' }) allowHttpMetadata!: boolean;
  @Column({ type: 'jsonb' }) keys!: KeyRow[];
  @Column({ name: 'metadata_last_attempt_at', type: 'timestamptz', nullable: true }) metadataLastAttemptAt!: Date | null;
  @Column({ name: 'metadata_last_success_at', type: 'timestamptz', nullable: true }) metadataLastSuccessAt!: Date | null;
  @Column({ name: 'metadata_last_error', type: 'text', nullable: true }) metadataLastError!: string | null;
  @Column({ name: 'metadata_review_reason', type: 'text', nullable: true }) metadataReviewReason!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
