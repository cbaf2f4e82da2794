import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, InvalidInputError, isLowercaseGuid, NotFoundError, realmProblem, UnitOfWork } from '@s2s/core';
import { certificatePublicKey, certificateThumbprints, CertificateFormatError, describeCertificate, keyFitsAlgorithm, normalizeThumbprint, readCertificates } from '@s2s/crypto';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import type { Client, ClientCertificate, ClientRegistration, ClientSecret, GrantType } from './client.js';
import { ClientRepository } from './client-registry.repository.js';
import { normalizeGrantTypes } from './client-registry.rules.js';
import { CLIENT_REGISTRY_TOPIC } from './client-registry.topic.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { ResourceService } from './resource.service.js';

export interface ClientInput {
  displayName: string;
  realm?: string;
  enabled?: boolean;
  actAsUsers?: boolean;
  grantTypes?: string[];
  allowTokenEndpointAudience?: boolean;
  withSecret?: boolean;
  secretExpiresAt?: Date;
}

export type ClientChanges = Partial<Omit<ClientInput, 'withSecret' | 'secretExpiresAt'>>;

/** A secret as handed out once: the stored record and the value. */
export interface IssuedSecret {
  secret: ClientSecret;
  value: string;
}

/**
 * Clients (SPEC 1, 5.4): registration, secrets (made here, shown once, stored as keyed hashes),
 * certificates for `private_key_jwt`, and admin consent (role and scope grants). Every change is
 * audited (never a secret) and announced to the token endpoint's cache.
 */
@Injectable()
export class ClientService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly resources: ResourceService,
    private readonly hasher: ClientSecretHasher,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly changeFeed: ChangeFeed,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {}

  list(): Promise<ClientRegistration[]> {
    return this.clients.listRegistrations();
  }

  async get(clientId: string): Promise<ClientRegistration> {
    const id = clientId.toLowerCase();
    const registration = isLowercaseGuid(id) ? await this.clients.findRegistration(id) : null;
    if (!registration) throw new NotFoundError(`no client ${clientId}`);
    return registration;
  }

  async create(input: ClientInput, actor: AdminActor): Promise<{ registration: ClientRegistration; issued: IssuedSecret | null }> {
    const now = this.clock.now();
    const realm = input.realm ?? this.oauthConfiguration.cached().realm;
    if (!realm) throw InvalidInputError.forField('realm', 'give a realm, or set the default realm first (s2sctl oauth-configuration set --realm …)');
    const client: Client = {
      clientId: randomUUID(),
      displayName: displayName(input.displayName),
      realm: checkedRealm(realm),
      enabled: input.enabled ?? true,
      actAsUsers: input.actAsUsers ?? false,
      grantTypes: normalizeGrantTypes(input.grantTypes ?? ['client_credentials']),
      allowTokenEndpointAudience: input.allowTokenEndpointAudience ?? false,
      createdAt: now,
      updatedAt: now,
    };
    const issued = input.withSecret === false ? null : this.newSecret(client.clientId, null, input.secretExpiresAt ?? null);
    return this.change(async () => {
      await this.clients.insert(client);
      if (issued) await this.clients.insertSecret(issued.secret);
      await this.auditLog.record({
        actor,
        action: 'client.create',
        targetType: 'client',
        targetId: client.clientId,
        after: { ...snapshot(client), ...(issued ? { secretId: issued.secret.id } : {}) },
      });
      return { registration: await this.get(client.clientId), issued };
    });
  }

  async update(clientId: string, changes: ClientChanges, actor: AdminActor): Promise<ClientRegistration> {
    return this.change(async () => {
      const { client } = await this.get(clientId);
      const next: Client = {
        ...client,
        ...(changes.displayName !== undefined ? { displayName: displayName(changes.displayName) } : {}),
        ...(changes.realm !== undefined ? { realm: checkedRealm(changes.realm) } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
        ...(changes.actAsUsers !== undefined ? { actAsUsers: changes.actAsUsers } : {}),
        ...(changes.grantTypes !== undefined ? { grantTypes: normalizeGrantTypes(changes.grantTypes) } : {}),
        ...(changes.allowTokenEndpointAudience !== undefined ? { allowTokenEndpointAudience: changes.allowTokenEndpointAudience } : {}),
        updatedAt: this.clock.now(),
      };
      await this.clients.update(next);
      await this.auditLog.record({ actor, action: 'client.update', targetType: 'client', targetId: client.clientId, before: snapshot(client), after: snapshot(next) });
      return this.get(client.clientId);
    });
  }

  async remove(clientId: string, actor: AdminActor): Promise<ClientRegistration> {
    return this.change(async () => {
      const registration = await this.get(clientId);
      await this.clients.delete(registration.client.clientId);
      await this.auditLog.record({ actor, action: 'client.remove', targetType: 'client', targetId: registration.client.clientId, before: snapshot(registration.client) });
      return registration;
    });
  }

  /** A new secret (several may be valid at once, for rotation); the value is returned once. */
  async addSecret(clientId: string, options: { description?: string; expiresAt?: Date }, actor: AdminActor): Promise<IssuedSecret> {
    return this.change(async () => {
      const { client } = await this.get(clientId);
      const issued = this.newSecret(client.clientId, options.description ?? null, options.expiresAt ?? null);
      await this.clients.insertSecret(issued.secret);
      await this.auditLog.record({
        actor,
        action: 'client.add-secret',
        targetType: 'client',
        targetId: client.clientId,
        after: { secretId: issued.secret.id, hint: issued.secret.hint, expiresAt: issued.secret.expiresAt?.toISOString() ?? null },
      });
      return issued;
    });
  }

  async removeSecret(clientId: string, secretId: string, actor: AdminActor): Promise<ClientRegistration> {
    return this.change(async () => {
      const { client } = await this.get(clientId);
      if (!isLowercaseGuid(secretId) || !(await this.clients.deleteSecret(client.clientId, secretId))) {
        throw new NotFoundError(`client ${client.clientId} has no secret ${secretId}`);
      }
      await this.auditLog.record({ actor, action: 'client.remove-secret', targetType: 'client', targetId: client.clientId, before: { secretId } });
      return this.get(client.clientId);
    });
  }

  /** Registers a certificate whose key signs the client's assertions (RSA ≥ 2048 or EC P-256). */
  async addCertificate(clientId: string, certificateText: string, actor: AdminActor): Promise<ClientRegistration> {
    let certificatePem: string;
    try {
      certificatePem = readCertificates(certificateText)[0]!;
    } catch (error) {
      if (error instanceof CertificateFormatError) throw new InvalidInputError(`certificate: ${error.message}`, [{ field: 'certificate', message: error.message }], 'invalid_certificate');
      throw error;
    }
    const description = describeCertificate(certificatePem);
    const key = certificatePublicKey(certificatePem);
    if (!keyFitsAlgorithm('RS256', key) && !keyFitsAlgorithm('ES256', key)) {
      throw new InvalidInputError('certificate: the key must be RSA (at least 2048 bits) or EC P-256', [{ field: 'certificate', message: 'unsupported key' }], 'unsupported_key_type');
    }
    if (description.notAfter <= this.clock.now()) {
      throw new InvalidInputError(`certificate: expired on ${description.notAfter.toISOString()}`, [{ field: 'certificate', message: 'expired' }], 'certificate_expired');
    }
    const thumbprints = certificateThumbprints(certificatePem);
    return this.change(async () => {
      const registration = await this.get(clientId);
      if (registration.certificates.some((existing) => existing.thumbprint === thumbprints.sha1Hex)) {
        throw new ConflictError(`certificate ${thumbprints.sha1Hex} is already registered on client ${registration.client.clientId}`, 'certificate_exists');
      }
      const certificate: ClientCertificate = {
        clientId: registration.client.clientId,
        thumbprint: thumbprints.sha1Hex,
        thumbprintSha256: thumbprints.sha256Hex,
        certificatePem,
        subject: description.subject,
        notAfter: description.notAfter,
        createdAt: this.clock.now(),
      };
      await this.clients.insertCertificate(certificate);
      await this.auditLog.record({
        actor,
        action: 'client.add-certificate',
        targetType: 'client',
        targetId: certificate.clientId,
        after: { thumbprint: certificate.thumbprint, subject: certificate.subject, notAfter: certificate.notAfter.toISOString() },
      });
      return this.get(certificate.clientId);
    });
  }

  async removeCertificate(clientId: string, thumbprint: string, actor: AdminActor): Promise<ClientRegistration> {
    let normalized: string;
    try {
      normalized = normalizeThumbprint(thumbprint);
    } catch (error) {
      throw InvalidInputError.forField('thumbprint', (error as Error).message);
    }
    return this.change(async () => {
      const registration = await this.get(clientId);
      const match = registration.certificates.find((c) => c.thumbprint === normalized || c.thumbprintSha256 === normalized);
      if (!match || !(await this.clients.deleteCertificate(registration.client.clientId, match.thumbprint))) {
        throw new NotFoundError(`client ${registration.client.clientId} has no certificate ${normalized}`);
      }
      await this.auditLog.record({ actor, action: 'client.remove-certificate', targetType: 'client', targetId: registration.client.clientId, before: { thumbprint: match.thumbprint } });
      return this.get(registration.client.clientId);
    });
  }

  /** Admin consent for an app role that allows member type Application. */
  async grantRole(clientId: string, resourceReference: string, role: string, actor: AdminActor): Promise<ClientRegistration> {
    return this.change(async () => {
      const registration = await this.get(clientId);
      const resource = await this.resources.get(resourceReference);
      const defined = resource.roles.find((candidate) => candidate.value === role);
      if (!defined) throw InvalidInputError.forField('role', `resource ${resource.appIdUri} defines no role ${role}`);
      if (!defined.allowedMemberTypes.includes('Application')) {
        throw InvalidInputError.forField('role', `role ${role} of ${resource.appIdUri} is for users only (allowedMemberTypes: User)`);
      }
      if (registration.roleGrants.some((grant) => grant.resourceId === resource.id && grant.role === role)) {
        throw new ConflictError(`role ${role} of ${resource.appIdUri} is already granted to client ${registration.client.clientId}`, 'grant_exists');
      }
      await this.clients.insertRoleGrant({ clientId: registration.client.clientId, resourceId: resource.id, role, createdAt: this.clock.now() });
      await this.auditLog.record({ actor, action: 'client.grant-role', targetType: 'client', targetId: registration.client.clientId, after: { resource: resource.appIdUri, role } });
      return this.get(registration.client.clientId);
    });
  }

  async revokeRole(clientId: string, resourceReference: string, role: string, actor: AdminActor): Promise<ClientRegistration> {
    return this.change(async () => {
      const registration = await this.get(clientId);
      const resource = await this.resources.get(resourceReference);
      if (!(await this.clients.deleteRoleGrant(registration.client.clientId, resource.id, role))) {
        throw new NotFoundError(`role ${role} of ${resource.appIdUri} is not granted to client ${registration.client.clientId}`);
      }
      await this.auditLog.record({ actor, action: 'client.revoke-role', targetType: 'client', targetId: registration.client.clientId, before: { resource: resource.appIdUri, role } });
      return this.get(registration.client.clientId);
    });
  }

  /** Admin consent for a delegated scope (user and on-behalf-of tokens). */
  async grantScope(clientId: string, resourceReference: string, scope: string, actor: AdminActor): Promise<ClientRegistration> {
    return this.change(async () => {
      const registration = await this.get(clientId);
      const resource = await this.resources.get(resourceReference);
      if (!resource.scopes.some((candidate) => candidate.value === scope)) throw InvalidInputError.forField('scope', `resource ${resource.appIdUri} defines no scope ${scope}`);
      if (registration.scopeGrants.some((grant) => grant.resourceId === resource.id && grant.scope === scope)) {
        throw new ConflictError(`scope ${scope} of ${resource.appIdUri} is already granted to client ${registration.client.clientId}`, 'grant_exists');
      }
      await this.clients.insertScopeGrant({ clientId: registration.client.clientId, resourceId: resource.id, scope, createdAt: this.clock.now() });
      await this.auditLog.record({ actor, action: 'client.grant-scope', targetType: 'client', targetId: registration.client.clientId, after: { resource: resource.appIdUri, scope } });
      return this.get(registration.client.clientId);
    });
  }

  async revokeScope(clientId: string, resourceReference: string, scope: string, actor: AdminActor): Promise<ClientRegistration> {
    return this.change(async () => {
      const registration = await this.get(clientId);
      const resource = await this.resources.get(resourceReference);
      if (!(await this.clients.deleteScopeGrant(registration.client.clientId, resource.id, scope))) {
        throw new NotFoundError(`scope ${scope} of ${resource.appIdUri} is not granted to client ${registration.client.clientId}`);
      }
      await this.auditLog.record({ actor, action: 'client.revoke-scope', targetType: 'client', targetId: registration.client.clientId, before: { resource: resource.appIdUri, scope } });
      return this.get(registration.client.clientId);
    });
  }

  private newSecret(clientId: string, description: string | null, expiresAt: Date | null): IssuedSecret {
    if (expiresAt && expiresAt <= this.clock.now()) throw InvalidInputError.forField('expiresAt', 'must be in the future');
    if (description !== null && description.length > 200) throw InvalidInputError.forField('description', 'must be at most 200 characters');
    const value = this.hasher.generate();
    return {
      value,
      secret: { id: randomUUID(), clientId, secretHash: this.hasher.hash(value), hint: value.slice(-4), description, createdAt: this.clock.now(), expiresAt },
    };
  }

  private async change<T>(fn: () => Promise<T>): Promise<T> {
    return this.unitOfWork.run(async () => {
      const result = await fn();
      await this.changeFeed.publish(CLIENT_REGISTRY_TOPIC);
      return result;
    });
  }
}

function displayName(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw InvalidInputError.forField('displayName', 'must be 1-200 characters');
  return trimmed;
}

function checkedRealm(realm: string): string {
  const problem = realmProblem(realm);
  if (problem) throw InvalidInputError.forField('realm', problem);
  return realm;
}

function snapshot(client: Client): Record<string, unknown> {
  return {
    displayName: client.displayName,
    realm: client.realm,
    enabled: client.enabled,
    actAsUsers: client.actAsUsers,
    grantTypes: client.grantTypes as GrantType[],
    allowTokenEndpointAudience: client.allowTokenEndpointAudience,
  };
}
