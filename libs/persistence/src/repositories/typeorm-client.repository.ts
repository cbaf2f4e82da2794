import { Injectable } from '@nestjs/common';
import { type Client, type ClientCertificate, type ClientRegistration, ClientRepository, type ClientSecret, type GrantType, type RoleGrant, type ScopeGrant } from '@s2s/clients';
import { In } from 'typeorm';
import { ClientCertificateEntity, ClientEntity, ClientRoleGrantEntity, ClientScopeGrantEntity, ClientSecretEntity } from '../entities/client.entities.js';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmClientRepository extends ClientRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async listRegistrations(): Promise<ClientRegistration[]> {
    const clients = await this.unitOfWork.manager().find(ClientEntity, { order: { createdAt: 'ASC', clientId: 'ASC' } });
    return this.registrations(clients);
  }

  async findRegistration(clientId: string): Promise<ClientRegistration | null> {
    const client = await this.unitOfWork.manager().findOneBy(ClientEntity, { clientId });
    return client ? ((await this.registrations([client]))[0] ?? null) : null;
  }

  async insert(client: Client): Promise<void> {
    await this.unitOfWork.manager().insert(ClientEntity, Object.assign(new ClientEntity(), client));
  }

  async update(client: Client): Promise<void> {
    await this.unitOfWork.manager().save(ClientEntity, Object.assign(new ClientEntity(), client));
  }

  async delete(clientId: string): Promise<void> {
    await this.unitOfWork.manager().delete(ClientEntity, { clientId });
  }

  async insertSecret(secret: ClientSecret): Promise<void> {
    await this.unitOfWork.manager().insert(ClientSecretEntity, Object.assign(new ClientSecretEntity(), secret));
  }

  async deleteSecret(clientId: string, secretId: string): Promise<boolean> {
    return affected(await this.unitOfWork.manager().delete(ClientSecretEntity, { clientId, id: secretId }));
  }

  async insertCertificate(certificate: ClientCertificate): Promise<void> {
    await this.unitOfWork.manager().insert(ClientCertificateEntity, Object.assign(new ClientCertificateEntity(), certificate));
  }

  async deleteCertificate(clientId: string, thumbprint: string): Promise<boolean> {
    return affected(await this.unitOfWork.manager().delete(ClientCertificateEntity, { clientId, thumbprint }));
  }

  async insertRoleGrant(grant: RoleGrant): Promise<void> {
    await this.unitOfWork.manager().insert(ClientRoleGrantEntity, Object.assign(new ClientRoleGrantEntity(), grant));
  }

  async deleteRoleGrant(clientId: string, resourceId: string, role: string): Promise<boolean> {
    return affected(await this.unitOfWork.manager().delete(ClientRoleGrantEntity, { clientId, resourceId, role }));
  }

  async insertScopeGrant(grant: ScopeGrant): Promise<void> {
    await this.unitOfWork.manager().insert(ClientScopeGrantEntity, Object.assign(new ClientScopeGrantEntity(), grant));
  }

  async deleteScopeGrant(clientId: string, resourceId: string, scope: string): Promise<boolean> {
    return affected(await this.unitOfWork.manager().delete(ClientScopeGrantEntity, { clientId, resourceId, scope }));
  }

  private async registrations(clients: ClientEntity[]): Promise<ClientRegistration[]> {
    if (clients.length === 0) return [];
    const manager = this.unitOfWork.manager();
    const ids = In(clients.map((client) => client.clientId));
    // One after the other: inside a transaction they share one connection, which runs one query at a time.
    const secrets = await manager.find(ClientSecretEntity, { where: { clientId: ids }, order: { createdAt: 'ASC' } });
    const certificates = await manager.find(ClientCertificateEntity, { where: { clientId: ids }, order: { createdAt: 'ASC' } });
    const roleGrants = await manager.find(ClientRoleGrantEntity, { where: { clientId: ids }, order: { createdAt: 'ASC' } });
    const scopeGrants = await manager.find(ClientScopeGrantEntity, { where: { clientId: ids }, order: { createdAt: 'ASC' } });
    const of = <T extends { clientId: string }>(rows: T[], clientId: string): T[] => rows.filter((row) => row.clientId === clientId);
    return clients.map((row) => ({
      client: {
        clientId: row.clientId,
        displayName: row.displayName,
        realm: row.realm,
        enabled: row.enabled,
        actAsUsers: row.actAsUsers,
        grantTypes: row.grantTypes as GrantType[],
        allowTokenEndpointAudience: row.allowTokenEndpointAudience,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      },
      secrets: of(secrets, row.clientId).map((s) => ({ id: s.id, clientId: s.clientId, secretHash: s.secretHash, hint: s.hint, description: s.description, createdAt: s.createdAt, expiresAt: s.expiresAt })),
      certificates: of(certificates, row.clientId).map((c) => ({
        clientId: c.clientId,
        thumbprint: c.thumbprint,
        thumbprintSha256: c.thumbprintSha256,
        certificatePem: c.certificatePem,
        subject: c.subject,
        notAfter: c.notAfter,
        createdAt: c.createdAt,
      })),
      roleGrants: of(roleGrants, row.clientId).map((g) => ({ clientId: g.clientId, resourceId: g.resourceId, role: g.role, createdAt: g.createdAt })),
      scopeGrants: of(scopeGrants, row.clientId).map((g) => ({ clientId: g.clientId, resourceId: g.resourceId, scope: g.scope, createdAt: g.createdAt })),
    }));
  }
}

function affected(result: { affected?: number | null }): boolean {
  return (result.affected ?? 0) > 0;
}
