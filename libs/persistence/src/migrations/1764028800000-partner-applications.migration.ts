import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Partner applications with their keys (last known good) and metadata status. */
export class PartnerApplications1764028800000 implements MigrationInterface {
  name = 'PartnerApplications1764028800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE partner_application (
        identity text PRIMARY KEY,
        application_identifier uuid NOT NULL,
        realm text NOT NULL,
        metadata_url text NULL,
        host_authority text NULL,
        trust_level text NOT NULL CHECK (trust_level IN ('Full', 'Application', 'User')),
        accept_security_identifier_information boolean NOT NULL,
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
        updated_at timestamptz NOT NULL,
        UNIQUE (application_identifier, realm)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE partner_application`);
  }
}
