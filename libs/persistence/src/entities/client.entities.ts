import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `client`. */
@Entity({ name: 'client' })
export class ClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid' }) clientId!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Column({ type: 'text' }) realm!: string;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'act_as_users', type: 'boolean' }) actAsUsers!: boolean;
  @Column({ name: 'grant_types', type: 'jsonb' }) grantTypes!: string[];
  @Column({ name: 'allow_token_endpoint_audience', type: 'boolean' }) allowTokenEndpointAudience!: boolean;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** Row of `client_secret`: a keyed hash, never the secret. */
@Entity({ name: 'client_secret' })
export class ClientSecretEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'client_id', type: 'uuid' }) clientId!: string;
  @Column({ name: 'secret_hash', type: 'text' }) secretHash!: string;
  @Column({ type: 'text' }) hint!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
}

/** Row of `client_certificate`. */
@Entity({ name: 'client_certificate' })
export class ClientCertificateEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid' }) clientId!: string;
  @PrimaryColumn({ name: 'thumbprint_sha1', type: 'char', length: 40 }) thumbprint!: string;
  @Column({ name: 'thumbprint_sha256', type: 'char', length: 64 }) thumbprintSha256!: string;
  @Column({ name: 'certificate_pem', type: 'text' }) certificatePem!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ name: 'not_after', type: 'timestamptz' }) notAfter!: Date;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** Row of `resource`. */
@Entity({ name: 'resource' })
export class ResourceEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'app_id_uri', type: 'text' }) appIdUri!: string;
  @Column({ name: 'display_name', type: 'text' }) displayName!: string;
  @Column({ type: 'jsonb' }) roles!: { value: string; description: string; allowedMemberTypes: string[] }[];
  @Column({ type: 'jsonb' }) scopes!: { value: string; description: string }[];
  @Column({ name: 'client_id', type: 'uuid', nullable: true }) clientId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** Row of `client_role_grant`. */
@Entity({ name: 'client_role_grant' })
export class ClientRoleGrantEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid' }) clientId!: string;
  @PrimaryColumn({ name: 'resource_id', type: 'uuid' }) resourceId!: string;
  @PrimaryColumn({ type: 'text' }) role!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** Row of `client_scope_grant`. */
@Entity({ name: 'client_scope_grant' })
export class ClientScopeGrantEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid' }) clientId!: string;
  @PrimaryColumn({ name: 'resource_id', type: 'uuid' }) resourceId!: string;
  @PrimaryColumn({ type: 'text' }) scope!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
