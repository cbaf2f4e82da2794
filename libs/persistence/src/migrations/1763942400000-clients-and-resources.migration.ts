import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Clients, their secrets and certificates, resources, grants, and the client-assertion replay store. */
export class ClientsAndResources1763942400000 implements MigrationInterface {
  name = 'ClientsAndResources1763942400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE client (
        client_id uuid PRIMARY KEY,
        display_name text NOT NULL,
        realm text NOT NULL,
        enabled boolean NOT NULL,
        act_as_users boolean NOT NULL,
        grant_types jsonb NOT NULL,
        allow_token_endpoint_audience boolean NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE client_secret (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES client (client_id) ON DELETE CASCADE,
        secret_hash text NOT NULL,
        hint text NOT NULL,
        description text NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NULL
      )`);
    await runner.query(`CREATE INDEX client_secret_client_idx ON client_secret (client_id)`);
    await runner.query(`
      CREATE TABLE client_certificate (
        client_id uuid NOT NULL REFERENCES client (client_id) ON DELETE CASCADE,
        thumbprint_sha1 char(40) NOT NULL,
        thumbprint_sha256 char(64) NOT NULL,
        certificate_pem text NOT NULL,
        subject text NOT NULL,
        not_after timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, thumbprint_sha1)
      )`);
    await runner.query(`
      CREATE TABLE resource (
        id uuid PRIMARY KEY,
        app_id_uri text NOT NULL,
        display_name text NOT NULL,
        roles jsonb NOT NULL,
        scopes jsonb NOT NULL,
        client_id uuid NULL REFERENCES client (client_id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE UNIQUE INDEX resource_app_id_uri_idx ON resource (lower(app_id_uri))`);
    await runner.query(`
      CREATE TABLE client_role_grant (
        client_id uuid NOT NULL REFERENCES client (client_id) ON DELETE CASCADE,
        resource_id uuid NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
        role text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, resource_id, role)
      )`);
    await runner.query(`
      CREATE TABLE client_scope_grant (
        client_id uuid NOT NULL REFERENCES client (client_id) ON DELETE CASCADE,
        resource_id uuid NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
        scope text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, resource_id, scope)
      )`);
    await runner.query(`
      CREATE TABLE client_assertion_jti (
        client_id uuid NOT NULL,
        jti text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (client_id, jti)
      )`);
    await runner.query(`CREATE INDEX client_assertion_jti_expires_idx ON client_assertion_jti (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE client_assertion_jti`);
    await runner.query(`DROP TABLE client_scope_grant`);
    await runner.query(`DROP TABLE client_role_grant`);
    await runner.query(`DROP TABLE resource`);
    await runner.query(`DROP TABLE client_certificate`);
    await runner.query(`DROP TABLE client_secret`);
    await runner.query(`DROP TABLE client`);
  }
}
