import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLogService } from '@s2s/audit';
import { type AdminActor, ChangeFeed, Clock, ConflictError, InvalidInputError, isLowercaseGuid, NotFoundError, UnitOfWork } from '@s2s/core';
import { ClientRepository, ResourceRepository } from './client-registry.repository.js';
import { appIdUriProblem, normalizeRoles, normalizeScopes, type RoleInput, type ScopeInput } from './client-registry.rules.js';
import { CLIENT_REGISTRY_TOPIC } from './client-registry.topic.js';
import type { Resource } from './resource.js';

export interface ResourceInput {
  appIdUri: string;
  displayName?: string;
  roles?: RoleInput[];
  scopes?: ScopeInput[];
  clientId?: string | null;
}

export type ResourceChanges = Partial<Omit<ResourceInput, 'appIdUri'>>;

/**
 * Resources: APIs that accept this issuer's tokens (SPEC 1, 5.4). Every change is audited and
 * announced to the token endpoint's cache.
 */
@Injectable()
export class ResourceService {
  constructor(
    private readonly resources: ResourceRepository,
    private readonly clients: ClientRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly auditLog: AuditLogService,
    private readonly changeFeed: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  list(): Promise<Resource[]> {
    return this.resources.list();
  }

  /** By id (GUID) or Application ID URI (case-insensitive). */
  async get(reference: string): Promise<Resource> {
    const resource = isLowercaseGuid(reference) ? await this.resources.findById(reference) : await this.resources.findByAppIdUri(reference);
    if (!resource) throw new NotFoundError(`no resource ${reference}`);
    return resource;
  }

  async create(input: ResourceInput, actor: AdminActor): Promise<Resource> {
    const problem = appIdUriProblem(input.appIdUri);
    if (problem) throw InvalidInputError.forField('appIdUri', problem);
    const now = this.clock.now();
    const resource: Resource = {
      id: randomUUID(),
      appIdUri: input.appIdUri,
      displayName: displayName(input.displayName ?? input.appIdUri),
      roles: normalizeRoles(input.roles ?? []),
      scopes: normalizeScopes(input.scopes ?? []),
      clientId: input.clientId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    return this.change(async () => {
      if (await this.resources.findByAppIdUri(resource.appIdUri)) {
        throw new ConflictError(`a resource with Application ID URI ${resource.appIdUri} already exists`, 'resource_exists');
      }
      await this.checkClient(resource.clientId);
      await this.resources.insert(resource);
      await this.auditLog.record({ actor, action: 'resource.create', targetType: 'resource', targetId: resource.id, after: snapshot(resource) });
      return resource;
    });
  }

  async update(reference: string, changes: ResourceChanges, actor: AdminActor): Promise<Resource> {
    return this.change(async () => {
      const current = await this.get(reference);
      const next: Resource = {
        ...current,
        ...(changes.displayName !== undefined ? { displayName: displayName(changes.displayName) } : {}),
        ...(changes.roles !== undefined ? { roles: normalizeRoles(changes.roles) } : {}),
        ...(changes.scopes !== undefined ? { scopes: normalizeScopes(changes.scopes) } : {}),
        ...(changes.clientId !== undefined ? { clientId: changes.clientId } : {}),
        updatedAt: this.clock.now(),
      };
      await this.checkClient(next.clientId);
      await this.checkGrantsStillDefined(next);
      await this.resources.update(next);
      await this.auditLog.record({ actor, action: 'resource.update', targetType: 'resource', targetId: next.id, before: snapshot(current), after: snapshot(next) });
      return next;
    });
  }

  /** Removes the resource and every grant on it. */
  async remove(reference: string, actor: AdminActor): Promise<Resource> {
    return this.change(async () => {
      const resource = await this.get(reference);
      await this.resources.delete(resource.id);
      await this.auditLog.record({ actor, action: 'resource.remove', targetType: 'resource', targetId: resource.id, before: snapshot(resource) });
      return resource;
    });
  }

  private async change<T>(fn: () => Promise<T>): Promise<T> {
    return this.unitOfWork.run(async () => {
      const result = await fn();
      await this.changeFeed.publish(CLIENT_REGISTRY_TOPIC);
      return result;
    });
  }

  private async checkClient(clientId: string | null): Promise<void> {
    if (clientId === null) return;
    if (!isLowercaseGuid(clientId) || !(await this.clients.findRegistration(clientId))) {
      throw InvalidInputError.forField('clientId', `no client ${clientId}`);
    }
  }

  /** A role or scope still granted to a client cannot disappear silently: revoke it first. */
  private async checkGrantsStillDefined(resource: Resource): Promise<void> {
    // Grants are admin consent for application roles: a granted role must stay an application role.
    const roles = new Set(resource.roles.filter((role) => role.allowedMemberTypes.includes('Application')).map((role) => role.value));
    const scopes = new Set(resource.scopes.map((scope) => scope.value));
    for (const registration of await this.clients.listRegistrations()) {
      const role = registration.roleGrants.find((grant) => grant.resourceId === resource.id && !roles.has(grant.role));
      if (role) throw new ConflictError(`role ${role.role} is granted to client ${role.clientId} as an application role; revoke the grant first`, 'grant_exists');
      const scope = registration.scopeGrants.find((grant) => grant.resourceId === resource.id && !scopes.has(grant.scope));
      if (scope) throw new ConflictError(`scope ${scope.scope} is granted to client ${scope.clientId}; revoke the grant first`, 'grant_exists');
    }
  }
}

function displayName(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw InvalidInputError.forField('displayName', 'must be 1-200 characters');
  return trimmed;
}

function snapshot(resource: Resource): Record<string, unknown> {
  return { appIdUri: resource.appIdUri, displayName: resource.displayName, roles: resource.roles, scopes: resource.scopes, clientId: resource.clientId };
}
