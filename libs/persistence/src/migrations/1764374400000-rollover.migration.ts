import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollover safety (issue 16): how a staged roll activates (gate, deadline, publication time), when
 * the previous certificate was retired, the minimum roll lead and automatic renewal settings,
 * partners' extra source addresses, the hourly evidence of metadata downloads, automatic renewals,
 * and the lease that makes one instance do the scheduled rollover work.
 */
export class Rollover1764374400000 implements MigrationInterface {
  name = 'Rollover1764374400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE certificate_assignment
        ADD COLUMN next_published_at timestamptz NULL,
        ADD COLUMN next_activate_when_fetched boolean NOT NULL DEFAULT false,
        ADD COLUMN next_deadline timestamptz NULL,
        ADD COLUMN next_alerted_at timestamptz NULL,
        ADD COLUMN next_keep_previous boolean NOT NULL DEFAULT false,
        ADD COLUMN previous_retired_at timestamptz NULL,
        ADD COLUMN keep_previous boolean NOT NULL DEFAULT false`);
    // A roll staged before this migration was published when the row was last written.
    await runner.query(`UPDATE certificate_assignment SET next_published_at = updated_at, next_deadline = next_effective_at WHERE next_thumbprint IS NOT NULL`);
    await runner.query(`
      ALTER TABLE oauth_configuration
        ADD COLUMN minimum_roll_lead_seconds integer NOT NULL DEFAULT 86400,
        ADD COLUMN auto_renew text NOT NULL DEFAULT 'off' CHECK (auto_renew IN ('off', 'self-signed', 'csr')),
        ADD COLUMN renew_before_seconds integer NOT NULL DEFAULT 2592000`);
    await runner.query(`ALTER TABLE partner_application ADD COLUMN source_addresses jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`
      CREATE TABLE metadata_download (
        hour timestamptz NOT NULL,
        source_address text NOT NULL,
        user_agent text NOT NULL,
        document text NOT NULL CHECK (document IN ('metadata', 'discovery', 'jwks')),
        count integer NOT NULL,
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (hour, source_address, user_agent, document)
      )`);
    await runner.query(`CREATE INDEX metadata_download_last_at ON metadata_download (last_at)`);
    await runner.query(`
      CREATE TABLE token_issuer_renewal (
        renews_thumbprint char(40) PRIMARY KEY,
        mode text NOT NULL CHECK (mode IN ('self-signed', 'csr')),
        request_id uuid NULL,
        successor_thumbprint char(40) NULL,
        started_at timestamptz NOT NULL,
        staged_at timestamptz NULL
      )`);
    await runner.query(`
      CREATE TABLE scheduler_lease (
        name text PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE scheduler_lease`);
    await runner.query(`DROP TABLE token_issuer_renewal`);
    await runner.query(`DROP TABLE metadata_download`);
    await runner.query(`ALTER TABLE partner_application DROP COLUMN source_addresses`);
    await runner.query(`ALTER TABLE oauth_configuration DROP COLUMN minimum_roll_lead_seconds, DROP COLUMN auto_renew, DROP COLUMN renew_before_seconds`);
    await runner.query(`
      ALTER TABLE certificate_assignment
        DROP COLUMN next_published_at, DROP COLUMN next_activate_when_fetched, DROP COLUMN next_deadline, DROP COLUMN next_alerted_at,
        DROP COLUMN next_keep_previous, DROP COLUMN previous_retired_at, DROP COLUMN keep_previous`);
  }
}
