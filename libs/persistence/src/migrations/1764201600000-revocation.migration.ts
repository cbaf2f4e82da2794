import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cutting off a compromised credential (issue 17): revoked token ids (kept until the token's own
 * expiry, then purged), not-before marks per client, partner and OAuth server, the shared
 * authentication back-off record, and the token-issuer keys withdrawn by an emergency roll.
 */
export class Revocation1764201600000 implements MigrationInterface {
  name = 'Revocation1764201600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE revoked_token (
        jti text PRIMARY KEY,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX revoked_token_expires_at ON revoked_token (expires_at)`);
    await runner.query(`
      CREATE TABLE token_not_before (
        subject_type text NOT NULL CHECK (subject_type IN ('client', 'partner', 'oauth-server')),
        subject_id text NOT NULL,
        not_before timestamptz NOT NULL,
        PRIMARY KEY (subject_type, subject_id)
      )`);
    await runner.query(`
      CREATE TABLE authentication_failure (
        subject text PRIMARY KEY,
        failures integer NOT NULL,
        window_start timestamptz NOT NULL,
        blocked_until timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX authentication_failure_blocked_until ON authentication_failure (blocked_until)`);
    await runner.query(`
      CREATE TABLE token_issuer_withdrawal (
        thumbprint text PRIMARY KEY,
        withdrawn_at timestamptz NOT NULL,
        reason text NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE token_issuer_withdrawal`);
    await runner.query(`DROP TABLE authentication_failure`);
    await runner.query(`DROP TABLE token_not_before`);
    await runner.query(`DROP TABLE revoked_token`);
  }
}
