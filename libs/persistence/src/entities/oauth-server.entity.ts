import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `oauth_server`. Keys are public: `{kid, x5t, alg, kty, publicKeyPem}`. */
@Entity({ name: 'oauth_server' })
export class OAuthServerEntity {
  @PrimaryColumn({ type: 'text' }) identity!: string;
  @Column({ name: 'metadata_url', type: 'text' }) metadataUrl!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text' }) issuer!: string;
  @Column({ name: 'jwks_uri', type: 'text', nullable: true }) jwksUri!: string | null;
  @Column({ type: 'jsonb' }) audiences!: string[];
  @Column({ name: 'tenant_id', type: 'text', nullable: true }) tenantId!: string | null;
  @Column({ name: 'allowed_application_ids', type: 'jsonb' }) allowedApplicationIds!: string[];
  @Column({ name: 'allowed_object_ids', type: 'jsonb' }) allowedObjectIds!: string[];
  @Column({ name: 'required_role', type: 'text', nullable: true }) requiredRole!: string | null;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'metadata_ca_bundle', type: 'text', nullable: true }) metadataCaBundle!: string | null;
  @Column({ name: 'metadata_host_allow_list', type: 'jsonb' }) metadataHostAllowList!: string[];
  @Column({ name: 'allow_http_metadata', type: 'boolean' }) allowHttpMetadata!: boolean;
  @Column({ type: 'jsonb' }) keys!: { kid: string | null; x5t: string | null; alg: string | null; kty: 'RSA' | 'EC'; publicKeyPem: string }[];
  @Column({ name: 'metadata_last_attempt_at', type: 'timestamptz', nullable: true }) metadataLastAttemptAt!: Date | null;
  @Column({ name: 'metadata_last_success_at', type: 'timestamptz', nullable: true }) metadataLastSuccessAt!: Date | null;
  @Column({ name: 'metadata_last_error', type: 'text', nullable: true }) metadataLastError!: string | null;
  @Column({ name: 'metadata_review_reason', type: 'text', nullable: true }) metadataReviewReason!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
