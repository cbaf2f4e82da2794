import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trust lifecycle and status: a partner's key-change policy and the keys it holds for review, an
 * optional expiry of admin keys, and one heartbeat row per running instance (for `status`).
 */
export class LifecycleStatus1764288000000 implements MigrationInterface {
  name = 'LifecycleStatus1764288000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE partner_application
        ADD COLUMN key_change_policy text NOT NULL DEFAULT 'accept' CHECK (key_change_policy IN ('accept', 'review')),
        ADD COLUMN pending_keys jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await runner.query(`ALTER TABLE admin_api_key ADD COLUMN expires_at timestamptz NULL`);
    await runner.query(`
      CREATE TABLE instance_heartbeat (
        instance_id uuid PRIMARY KEY,
        host_name text NOT NULL,
        process_id integer NOT NULL,
        started_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE instance_heartbeat`);
    await runner.query(`ALTER TABLE admin_api_key DROP COLUMN expires_at`);
    await runner.query(`ALTER TABLE partner_application DROP COLUMN pending_keys, DROP COLUMN key_change_policy`);
  }
}
