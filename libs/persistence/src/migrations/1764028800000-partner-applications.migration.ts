import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TRUSTED_ISSUER_COLUMNS_SQL } from './trusted-issuer.columns.js';

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
        ${TRUSTED_ISSUER_COLUMNS_SQL},
        UNIQUE (application_identifier, realm)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE partner_application`);
  }
}
