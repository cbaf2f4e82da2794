import type { MigrationInterface, QueryRunner } from 'typeorm';

/** OAuth configuration, admin API keys and the audit log. */
export class Foundation1763769600000 implements MigrationInterface {
  name = 'Foundation1763769600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE oauth_configuration (
        id smallint PRIMARY KEY CHECK (id = 1),
        service_name text NOT NULL,
        realm text NULL,
        public_host text NULL,
        actor_token_lifetime_seconds integer NOT NULL,
        outer_token_lifetime_seconds integer NOT NULL,
        access_token_lifetime_seconds integer NOT NULL,
        clock_skew_seconds integer NOT NULL,
        metadata_refresh_interval_seconds integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE admin_api_key (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'reader')),
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NULL,
        revoked_at timestamptz NULL,
        created_by_key_id uuid NULL
      )`);
    await runner.query(`
      CREATE TABLE audit_event (
        id uuid PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor_key_id uuid NULL,
        actor_name text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NULL,
        before jsonb NULL,
        after jsonb NULL,
        request_id text NULL
      )`);
    await runner.query(`CREATE INDEX audit_event_occurred_at_idx ON audit_event (occurred_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX audit_event_action_idx ON audit_event (action, occurred_at DESC)`);
    await runner.query(`CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id, occurred_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_event`);
    await runner.query(`DROP TABLE admin_api_key`);
    await runner.query(`DROP TABLE oauth_configuration`);
  }
}
