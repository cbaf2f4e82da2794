import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hybrid trust through an authorization server (issue 21): a partner application may take its
 * tokens from an OAuth server of type acs (`New-CsPartnerApplication -UseOAuthServer`), and lists
 * the domains whose users it may act for where its realm is a tenant id. An OAuth server that such
 * partners use cannot be removed while they exist. A multi-tenant OAuth server (issuer with
 * `{tenantid}`) lists the tenants it accepts, or is explicitly allowed any tenant. An ACS server
 * keeps the issuance endpoint of its metadata (the trust-broker request for partners goes there).
 */
export class HybridTrust1764460800000 implements MigrationInterface {
  name = 'HybridTrust1764460800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE partner_application
        ADD COLUMN use_oauth_server text NULL REFERENCES oauth_server (identity) ON DELETE RESTRICT,
        ADD COLUMN accepted_domains jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`
      ALTER TABLE oauth_server
        ADD COLUMN allowed_tenants jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN allow_any_tenant boolean NOT NULL DEFAULT false,
        ADD COLUMN issuance_endpoint text NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE oauth_server DROP COLUMN issuance_endpoint, DROP COLUMN allow_any_tenant, DROP COLUMN allowed_tenants`);
    await runner.query(`ALTER TABLE partner_application DROP COLUMN accepted_domains, DROP COLUMN use_oauth_server`);
  }
}
