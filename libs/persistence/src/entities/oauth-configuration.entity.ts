import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of the one-row `oauth_configuration` table (`id` is always 1). */
@Entity({ name: 'oauth_configuration' })
export class OAuthConfigurationEntity {
  @PrimaryColumn({ type: 'smallint' }) id!: number;
  @Column({ name: 'service_name', type: 'text' }) serviceName!: string;
  @Column({ type: 'text', nullable: true }) realm!: string | null;
  @Column({ name: 'public_host', type: 'text', nullable: true }) publicHost!: string | null;
  @Column({ name: 'actor_token_lifetime_seconds', type: 'integer' }) actorTokenLifetimeSeconds!: number;
  @Column({ name: 'outer_token_lifetime_seconds', type: 'integer' }) outerTokenLifetimeSeconds!: number;
  @Column({ name: 'access_token_lifetime_seconds', type: 'integer' }) accessTokenLifetimeSeconds!: number;
  @Column({ name: 'clock_skew_seconds', type: 'integer' }) clockSkewSeconds!: number;
  @Column({ name: 'metadata_refresh_interval_seconds', type: 'integer' }) metadataRefreshIntervalSeconds!: number;
  @Column({ name: 'minimum_roll_lead_seconds', type: 'integer', default: 86_400 }) minimumRollLeadSeconds!: number;
  @Column({ name: 'auto_renew', type: 'text', default: 'off' }) autoRenew!: string;
  @Column({ name: 'renew_before_seconds', type: 'integer', default: 2_592_000 }) renewBeforeSeconds!: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
