/**
 * The columns `partner_application` and `oauth_server` share, from `enabled` to `updated_at`, as
 * the two migrations that create those tables have always written them. Frozen: databases have run
 * those migrations, so this text must never change (migrations.spec.ts pins the SQL by hash); a
 * later schema change goes in a new migration.
 */
export const TRUSTED_ISSUER_COLUMNS_SQL = `enabled boolean NOT NULL,
        metadata_ca_bundle text NULL,
        metadata_host_allow_list jsonb NOT NULL,
        allow_http_metadata boolean NOT NULL,
        keys jsonb NOT NULL,
        metadata_last_attempt_at timestamptz NULL,
        metadata_last_success_at timestamptz NULL,
        metadata_last_error text NULL,
        metadata_review_reason text NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL`;
