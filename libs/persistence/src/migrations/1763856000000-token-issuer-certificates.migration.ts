import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Certificate store, certificate requests, the OAuth token-issuer slots, and the change counters behind the caches. */
export class TokenIssuerCertificates1763856000000 implements MigrationInterface {
  name = 'TokenIssuerCertificates1763856000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE certificate (
        thumbprint_sha1 char(40) PRIMARY KEY CHECK (thumbprint_sha1 ~ '^[0-9A-F]{40}$'),
        thumbprint_sha256 char(64) NOT NULL UNIQUE CHECK (thumbprint_sha256 ~ '^[0-9A-F]{64}$'),
        certificate_pem text NOT NULL,
        chain_pems jsonb NOT NULL,
        subject text NOT NULL,
        issuer text NOT NULL,
        serial_number text NOT NULL,
        dns_names jsonb NOT NULL,
        not_before timestamptz NOT NULL,
        not_after timestamptz NOT NULL,
        key_algorithm text NOT NULL,
        key_size_bits integer NOT NULL,
        source text NOT NULL CHECK (source IN ('self-signed', 'pfx', 'pem', 'request')),
        sealed_private_key text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE certificate_request (
        id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pending', 'completed')),
        subject text NOT NULL,
        dns_names jsonb NOT NULL,
        key_size_bits integer NOT NULL,
        csr_pem text NOT NULL,
        sealed_private_key text NULL,
        created_at timestamptz NOT NULL,
        completed_at timestamptz NULL,
        certificate_thumbprint char(40) NULL REFERENCES certificate (thumbprint_sha1) ON DELETE SET NULL,
        CHECK ((status = 'pending') = (sealed_private_key IS NOT NULL))
      )`);
    // One row per certificate type; the foreign keys make an assigned certificate undeletable
    // even if the service's own check were bypassed.
    await runner.query(`
      CREATE TABLE certificate_assignment (
        type text PRIMARY KEY CHECK (type IN ('oauth-token-issuer')),
        current_thumbprint char(40) NULL REFERENCES certificate (thumbprint_sha1),
        next_thumbprint char(40) NULL REFERENCES certificate (thumbprint_sha1),
        next_effective_at timestamptz NULL,
        previous_thumbprint char(40) NULL REFERENCES certificate (thumbprint_sha1),
        updated_at timestamptz NOT NULL,
        CHECK ((next_thumbprint IS NULL) = (next_effective_at IS NULL))
      )`);
    await runner.query(`
      CREATE TABLE change_counter (
        topic text PRIMARY KEY,
        version bigint NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE change_counter`);
    await runner.query(`DROP TABLE certificate_assignment`);
    await runner.query(`DROP TABLE certificate_request`);
    await runner.query(`DROP TABLE certificate`);
  }
}
