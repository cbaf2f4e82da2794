import { Injectable } from '@nestjs/common';
import type { OAuthServer, OAuthServerKey, OAuthServerRepository } from '@s2s/oauth-servers';
import { OAuthServerEntity, type OAuthServerKeyRow } from '../entities/oauth-server.entity.js';
import { type OwnColumns, type SharedFields, TypeOrmTrustedIssuerRepository } from './typeorm-trusted-issuer.repository.js';

/** `oauth_server`: the server's own columns; the shared ones are mapped by the base. */
@Injectable()
export class TypeOrmOAuthServerRepository extends TypeOrmTrustedIssuerRepository<OAuthServerKey, OAuthServer, OAuthServerKeyRow, OAuthServerEntity> implements OAuthServerRepository {
  protected readonly entity = OAuthServerEntity;
  protected readonly keys = {
    keyToRow: (key: OAuthServerKey): OAuthServerKeyRow => ({ kid: key.kid, x5t: key.x5t, alg: key.alg, kty: key.kty, publicKeyPem: key.publicKeyPem }),
    // Written out in the parser's order: jsonb reorders object keys, and a refresh compares keys by their JSON.
    keyFromRow: (row: OAuthServerKeyRow): OAuthServerKey => ({ kid: row.kid, x5t: row.x5t, alg: row.alg, kty: row.kty, publicKeyPem: row.publicKeyPem }),
  };

  protected ownColumns(server: OAuthServer): OwnColumns<OAuthServerEntity> {
    return {
      metadataUrl: server.metadataUrl,
      type: server.type,
      issuer: server.issuer,
      jwksUri: server.jwksUri,
      audiences: server.audiences,
      tenantId: server.tenantId,
      allowedApplicationIds: server.allowedApplicationIds,
      allowedObjectIds: server.allowedObjectIds,
      requiredRole: server.requiredRole,
    };
  }

  protected toDomain(row: OAuthServerEntity, shared: SharedFields<OAuthServerKey>): OAuthServer {
    return {
      metadataUrl: row.metadataUrl,
      type: row.type as OAuthServer['type'],
      issuer: row.issuer,
      jwksUri: row.jwksUri,
      audiences: row.audiences,
      tenantId: row.tenantId,
      allowedApplicationIds: row.allowedApplicationIds,
      allowedObjectIds: row.allowedObjectIds,
      requiredRole: row.requiredRole,
      ...shared,
    };
  }
}
