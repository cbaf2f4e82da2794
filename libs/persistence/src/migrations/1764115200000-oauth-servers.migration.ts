import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TRUSTED_ISSUER_COLUMNS_SQL } from './trusted-issuer.columns.js';

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
        ${TRUSTED_ISSUER_COLUMNS_SQL}
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE oauth_server`);
  }
}
