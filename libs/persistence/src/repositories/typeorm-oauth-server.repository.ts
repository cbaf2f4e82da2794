import { Injectable } from '@nestjs/common';
import { ConflictError } from '@s2s/core';
import type { OAuthServer, OAuthServerKey, OAuthServerRepository } from '@s2s/oauth-servers';
import { OAuthServerEntity, type OAuthServerKeyRow } from '../entities/oauth-server.entity.js';
import { PartnerApplicationEntity } from '../entities/partner-application.entity.js';
import { TypeOrmTrustedIssuerRepository } from './typeorm-trusted-issuer.repository.js';

/** `oauth_server`: the server's own columns and keys (public JWK data); the shared columns are the base's. */
@Injectable()
export class TypeOrmOAuthServerRepository extends TypeOrmTrustedIssuerRepository<OAuthServerKey, OAuthServer, OAuthServerKeyRow, OAuthServerEntity> implements OAuthServerRepository {
  protected readonly entity = OAuthServerEntity;
  protected readonly ownColumns = ['metadataUrl', 'type', 'issuer', 'jwksUri', 'issuanceEndpoint', 'audiences', 'tenantId', 'allowedApplicationIds', 'allowedObjectIds', 'requiredRole', 'allowedTenants', 'allowAnyTenant'] as const;
  protected readonly keys = {
    keyToRow: (key: OAuthServerKey): OAuthServerKeyRow => ({ kid: key.kid, x5t: key.x5t, alg: key.alg, kty: key.kty, publicKeyPem: key.publicKeyPem, notAfter: key.notAfter?.toISOString() ?? null }),
    // Written out in the parser's order: jsonb reorders object keys, and a refresh compares keys by their JSON.
    keyFromRow: (row: OAuthServerKeyRow): OAuthServerKey => ({ kid: row.kid, x5t: row.x5t, alg: row.alg, kty: row.kty, publicKeyPem: row.publicKeyPem, notAfter: row.notAfter ? new Date(row.notAfter) : null }),
  };

  /** Refused while partner applications use the server (the foreign key is the backstop). */
  override async delete(identity: string): Promise<void> {
    const users = await this.manager().find(PartnerApplicationEntity, { where: { useOAuthServer: identity }, select: { identity: true } });
    if (users.length > 0) {
      throw new ConflictError(`OAuth server ${identity} is used by partner application(s) ${users.map((row) => row.identity).join(', ')}: remove them first`, 'oauth_server_in_use');
    }
    await super.delete(identity);
  }
}
