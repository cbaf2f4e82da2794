import type { KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeed, ReloadSequencer } from '@s2s/core';
import { certificatePublicKey, sha256Base64Url, x5tFromHex } from '@s2s/crypto';
import type { Client, ClientRegistration } from './client.js';
import { ClientRepository, ResourceRepository } from './client-registry.repository.js';
import { CLIENT_REGISTRY_TOPIC } from './client-registry.topic.js';
import type { Resource } from './resource.js';

/** A client certificate ready to verify assertions. */
export interface CachedClientCertificate {
  thumbprint: string;
  x5t: string;
  x5tS256: string;
  notAfter: Date;
  publicKey: KeyObject;
  /** What our tokens obtained with this certificate record as `cred` ({@link credentialIdOf}). */
  credentialId: string;
}

/** The `cred` claim: which credential of its client obtained a token (opaque, 16 base64url characters). */
export function credentialIdOf(kind: 'secret' | 'certificate', id: string): string {
  return sha256Base64Url(`${kind}:${id}`).slice(0, 16);
}

/** A credential's standing, by its {@link credentialIdOf}: tokens follow it. */
export interface CachedCredential {
  kind: 'secret' | 'certificate';
  /** Null: does not expire. */
  expiresAt: Date | null;
}

/** Everything the token endpoint needs about a client, in memory. */
export interface CachedClient {
  client: Client;
  secrets: { id: string; secretHash: string; expiresAt: Date | null; credentialId: string }[];
  certificates: CachedClientCertificate[];
  /** Every secret and certificate the client has now, by credential id (a token's `cred` claim). */
  credentials: Map<string, CachedCredential>;
  /** Granted app roles by resource id. */
  roles: Map<string, Set<string>>;
  /** Granted delegated scopes by resource id. */
  scopes: Map<string, Set<string>>;
}

/**
 * The client and resource registry in memory (SPEC 7: issuing never reads the database). Loaded at
 * start and reloaded whenever a client, secret, certificate, grant or resource changes on any
 * instance (change feed), so a disabled client or a revoked secret stops working at once here and
 * within about a second elsewhere.
 */
@Injectable()
export class ClientDirectory implements OnApplicationBootstrap {
  private readonly logger = new Logger('ClientDirectory');
  private clients = new Map<string, CachedClient>();
  private resourcesByUri = new Map<string, Resource>();
  private resourcesById = new Map<string, Resource>();
  private readonly reloads = new ReloadSequencer();

  constructor(
    private readonly clientRepository: ClientRepository,
    private readonly resourceRepository: ResourceRepository,
    private readonly changeFeed: ChangeFeed,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.changeFeed.subscribe(CLIENT_REGISTRY_TOPIC, () => this.reload());
    await this.reload();
  }

  async reload(): Promise<void> {
    await this.reloads.run(
      () => Promise.all([this.clientRepository.listRegistrations(), this.resourceRepository.list()]),
      ([registrations, resources]) => {
        const clients = new Map<string, CachedClient>();
        for (const registration of registrations) clients.set(registration.client.clientId, this.toCached(registration));
        this.clients = clients;
        this.resourcesByUri = new Map(resources.map((resource) => [resource.appIdUri.toLowerCase(), resource]));
        this.resourcesById = new Map(resources.map((resource) => [resource.id, resource]));
      },
    );
  }

  /** Every client in memory (credential expiry, status). */
  allClients(): CachedClient[] {
    return [...this.clients.values()];
  }

  client(clientId: string): CachedClient | undefined {
    return this.clients.get(clientId.toLowerCase());
  }

  /** By Application ID URI, case-insensitively. */
  resourceByAppIdUri(appIdUri: string): Resource | undefined {
    return this.resourcesByUri.get(appIdUri.toLowerCase());
  }

  resourceById(id: string): Resource | undefined {
    return this.resourcesById.get(id);
  }

  private toCached(registration: ClientRegistration): CachedClient {
    const group = <T extends { resourceId: string }>(grants: T[], value: (grant: T) => string): Map<string, Set<string>> => {
      const map = new Map<string, Set<string>>();
      for (const grant of grants) map.set(grant.resourceId, (map.get(grant.resourceId) ?? new Set()).add(value(grant)));
      return map;
    };
    const certificates: CachedClientCertificate[] = [];
    for (const certificate of registration.certificates) {
      try {
        certificates.push({
          thumbprint: certificate.thumbprint,
          x5t: x5tFromHex(certificate.thumbprint),
          x5tS256: x5tFromHex(certificate.thumbprintSha256),
          notAfter: certificate.notAfter,
          publicKey: certificatePublicKey(certificate.certificatePem),
          credentialId: credentialIdOf('certificate', certificate.thumbprintSha256),
        });
      } catch (error) {
        this.logger.error({ clientId: registration.client.clientId, thumbprint: certificate.thumbprint, err: (error as Error).message }, 'unreadable client certificate skipped');
      }
    }
    const secrets = registration.secrets.map(({ id, secretHash, expiresAt }) => ({ id, secretHash, expiresAt, credentialId: credentialIdOf('secret', id) }));
    const credentials = new Map<string, CachedCredential>();
    for (const secret of secrets) credentials.set(secret.credentialId, { kind: 'secret', expiresAt: secret.expiresAt });
    for (const certificate of certificates) credentials.set(certificate.credentialId, { kind: 'certificate', expiresAt: certificate.notAfter });
    return {
      client: registration.client,
      secrets,
      certificates,
      credentials,
      roles: group(registration.roleGrants, (grant) => grant.role),
      scopes: group(registration.scopeGrants, (grant) => grant.scope),
    };
  }
}
