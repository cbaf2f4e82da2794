import { Injectable, Logger } from '@nestjs/common';
import { AdminApiKeyService } from '@s2s/admin-access';
import { TokenIssuerKeyRing } from '@s2s/certificates';
import { ClientDirectory } from '@s2s/clients';
import { Clock } from '@s2s/core';
import { OAuthServerDirectory } from '@s2s/oauth-servers';
import { PartnerDirectory } from '@s2s/partners';
import type { ExpiringCredential } from './credential.js';
import { ServingCertificate } from './serving-certificate.js';

/**
 * Every credential of this installation that expires, read where it lives: the token-issuer slots,
 * partner and OAuth-server keys and client credentials from memory, admin keys from the database
 * (an unreachable database leaves them out and says so in the log), the HTTPS certificate from
 * what the listener serves.
 */
@Injectable()
export class CredentialInventory {
  private readonly logger = new Logger('CredentialExpiry');
  /** True while admin keys cannot be read (logged once per outage, not on every readiness probe). */
  private adminKeysFailing = false;

  constructor(
    private readonly keyRing: TokenIssuerKeyRing,
    private readonly partners: PartnerDirectory,
    private readonly oauthServers: OAuthServerDirectory,
    private readonly clients: ClientDirectory,
    private readonly adminKeys: AdminApiKeyService,
    private readonly serving: ServingCertificate,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<ExpiringCredential[]> {
    const credentials: ExpiringCredential[] = [];
    const slots = this.keyRing.slots(this.clock.now());
    for (const slot of ['current', 'next', 'previous'] as const) {
      const key = slots[slot];
      if (key) credentials.push({ kind: 'token-issuer-certificate', id: slot, thumbprint: key.thumbprint, expiresAt: key.notAfter });
    }
    for (const { partner } of this.partners.all()) {
      const kind = partner.metadataUrl ? 'partner-key' : 'partner-pinned-certificate';
      for (const key of partner.keys) credentials.push({ kind, id: partner.identity, thumbprint: key.x5t, expiresAt: key.notAfter });
    }
    for (const { server } of this.oauthServers.all()) {
      for (const key of server.keys) {
        if (key.notAfter) credentials.push({ kind: 'oauth-server-key', id: server.identity, thumbprint: key.kid ?? key.x5t ?? '', expiresAt: key.notAfter });
      }
    }
    for (const cached of this.clients.allClients()) {
      for (const certificate of cached.certificates) credentials.push({ kind: 'client-certificate', id: cached.client.clientId, thumbprint: certificate.thumbprint, expiresAt: certificate.notAfter });
      for (const secret of cached.secrets) if (secret.expiresAt) credentials.push({ kind: 'client-secret', id: cached.client.clientId, thumbprint: secret.id, expiresAt: secret.expiresAt });
    }
    try {
      for (const key of await this.adminKeys.list()) if (key.expiresAt && !key.revokedAt) credentials.push({ kind: 'admin-key', id: key.id, thumbprint: key.name, expiresAt: key.expiresAt });
      this.adminKeysFailing = false;
    } catch (error) {
      if (!this.adminKeysFailing) this.logger.warn({ err: (error as Error).message }, 'admin keys left out of the credential expiry check while the database does not answer');
      this.adminKeysFailing = true;
    }
    const https = this.serving.certificate;
    if (https) credentials.push({ kind: 'https-certificate', id: 'https', thumbprint: https.thumbprint, expiresAt: https.notAfter });
    return credentials;
  }
}
