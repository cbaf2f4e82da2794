import type { MigrationInterface, QueryRunner } from 'typeorm';

/** External authorization servers with their keys (last known good) and metadata status. */
export class OAuthServers1764115200000 implements MigrationInterface {
  name = 'OAuthServers1764115200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE oauth_server (
        identity text PRIMARY KEY,
        metadata_url text NOT NULL,
        type text NOT NULL CHECK (type IN ('oidc', 'acs')),
        issuer text NOT NULL UNIQUE,
        jwks_uri text NULL,
        audiences jsonb NOT NULL,
        tenant_id text NULL,
        allowed_application_ids jsonb NOT NULL,
        allowed_object_ids jsonb NOT NULL,
        required_role text NULL,
        enabled boolean NOT NULL,
        metadata_ca_bundle text NULL,
        metadata_host_allow_list jsonb NOT NULL,
        allow_http_metadata boolean NOT NULL,
        keys jsonb NOT NULL,
        metadata_last_attempt_at timestamptz NULL,
        metadata_last_success_at timestamptz NULL,
        metadata_last_error text NULL,
        metadata_review_reason text NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE oauth_server`);
  }
}
