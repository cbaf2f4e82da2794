import { Column, Entity } from 'typeorm';
import { TrustedIssuerColumns } from './trusted-issuer.columns.js';

/** An OAuth server key as stored (public data). */
export interface OAuthServerKeyRow {
  kid: string | null;
  x5t: string | null;
  alg: string | null;
  kty: 'RSA' | 'EC';
  publicKeyPem: string;
  /** ISO time; absent in rows written before keys carried their certificate's expiry. */
  notAfter?: string | null;
}

/** Row of `oauth_server`: the trusted-issuer columns plus the server's own. */
@Entity({ name: 'oauth_server' })
export class OAuthServerEntity extends TrustedIssuerColumns<OAuthServerKeyRow> {
  @Column({ name: 'metadata_url', type: 'text' }) metadataUrl!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text' }) issuer!: string;
  @Column({ name: 'jwks_uri', type: 'text', nullable: true }) jwksUri!: string | null;
  @Column({ name: 'issuance_endpoint', type: 'text', nullable: true }) issuanceEndpoint!: string | null;
  @Column({ type: 'jsonb' }) audiences!: string[];
  @Column({ name: 'tenant_id', type: 'text', nullable: true }) tenantId!: string | null;
  @Column({ name: 'allowed_application_ids', type: 'jsonb' }) allowedApplicationIds!: string[];
  @Column({ name: 'allowed_object_ids', type: 'jsonb' }) allowedObjectIds!: string[];
  @Column({ name: 'required_role', type: 'text', nullable: true }) requiredRole!: string | null;
  @Column({ name: 'allowed_tenants', type: 'jsonb', default: () => "'[]'" }) allowedTenants!: string[];
  @Column({ name: 'allow_any_tenant', type: 'boolean', default: false }) allowAnyTenant!: boolean;
}
