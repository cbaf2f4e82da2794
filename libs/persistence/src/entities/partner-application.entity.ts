import { Column, Entity } from 'typeorm';
import { TrustedIssuerColumns } from './trusted-issuer.columns.js';

/** A partner key as stored: a certificate with its validity as ISO strings (public data). */
export interface PartnerKeyRow {
  x5t: string;
  certificatePem: string;
  notBefore: string;
  notAfter: string;
}

/** Row of `partner_application`: the trusted-issuer columns plus the partner's own. */
@Entity({ name: 'partner_application' })
export class PartnerApplicationEntity extends TrustedIssuerColumns<PartnerKeyRow> {
  @Column({ name: 'application_identifier', type: 'uuid' }) applicationIdentifier!: string;
  @Column({ type: 'text' }) realm!: string;
  @Column({ name: 'metadata_url', type: 'text', nullable: true }) metadataUrl!: string | null;
  @Column({ name: 'host_authority', type: 'text', nullable: true }) hostAuthority!: string | null;
  @Column({ name: 'trust_level', type: 'text' }) trustLevel!: string;
  @Column({ name: 'accept_security_identifier_information', type: 'boolean' }) acceptSecurityIdentifierInformation!: boolean;
  @Column({ name: 'source_addresses', type: 'jsonb', default: () => "'[]'" }) sourceAddresses!: string[];
  @Column({ name: 'key_change_policy', type: 'text' }) keyChangePolicy!: string;
  @Column({ name: 'pending_keys', type: 'jsonb' }) pendingKeys!: PartnerKeyRow[];
  @Column({ name: 'use_oauth_server', type: 'text', nullable: true }) useOAuthServer!: string | null;
  @Column({ name: 'accepted_domains', type: 'jsonb', default: () => "'[]'" }) acceptedDomains!: string[];
}
