import type { Client, ClientCertificate, ClientRegistration, ClientSecret, RoleGrant, ScopeGrant } from './client.js';
import type { Resource } from './resource.js';

/** Storage port of resources (implemented by the persistence library). */
export abstract class ResourceRepository {
  abstract list(): Promise<Resource[]>;
  abstract findById(id: string): Promise<Resource | null>;
  /** Case-insensitive. */
  abstract findByAppIdUri(appIdUri: string): Promise<Resource | null>;
  abstract insert(resource: Resource): Promise<void>;
  abstract update(resource: Resource): Promise<void>;
  /** Deletes the resource and every grant on it. */
  abstract delete(id: string): Promise<void>;
}

/** Storage port of clients and their secrets, certificates and grants. */
export abstract class ClientRepository {
  abstract listRegistrations(): Promise<ClientRegistration[]>;
  abstract findRegistration(clientId: string): Promise<ClientRegistration | null>;
  abstract insert(client: Client): Promise<void>;
  abstract update(client: Client): Promise<void>;
  /** Deletes the client with its secrets, certificates and grants. */
  abstract delete(clientId: string): Promise<void>;
  abstract insertSecret(secret: ClientSecret): Promise<void>;
  abstract deleteSecret(clientId: string, secretId: string): Promise<boolean>;
  abstract insertCertificate(certificate: ClientCertificate): Promise<void>;
  abstract deleteCertificate(clientId: string, thumbprint: string): Promise<boolean>;
  abstract insertRoleGrant(grant: RoleGrant): Promise<void>;
  abstract deleteRoleGrant(clientId: string, resourceId: string, role: string): Promise<boolean>;
  abstract insertScopeGrant(grant: ScopeGrant): Promise<void>;
  abstract deleteScopeGrant(clientId: string, resourceId: string, scope: string): Promise<boolean>;
}

/**
 * Single use of client assertion `jti`s (RFC 7523 3 item 7). Shared by all instances through the
 * database, so a replay to another instance fails too.
 */
export abstract class AssertionReplayStore {
  /** Records `(clientId, jti)` until `expiresAt`; false when it was already recorded (a replay). */
  abstract recordOnce(clientId: string, jti: string, expiresAt: Date): Promise<boolean>;
  /** Forgets entries that expired before `now`. */
  abstract purgeExpired(now: Date): Promise<number>;
}
