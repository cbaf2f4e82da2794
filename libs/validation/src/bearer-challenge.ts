import { Injectable } from '@nestjs/common';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { PartnerDirectory } from '@s2s/partners';
import type { FastifyReply } from 'fastify';
import { BearerTokenError } from './bearer-token.error.js';

/** Builds the 401 challenge: realm discovery as Microsoft S2S clients expect it (ms-s2s research 1.4). */
@Injectable()
export class BearerChallenge {
  constructor(
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly partners: PartnerDirectory,
  ) {}

  header(error: BearerTokenError): string {
    const { realm, serviceName } = this.oauthConfiguration.cached();
    const issuers = [`${serviceName}@${realm ?? '*'}`, ...this.partners.all().filter(({ partner }) => partner.enabled).map(({ partner }) => `${partner.applicationIdentifier}@${partner.realm}`)];
    const parts = [`Bearer realm="${realm ?? ''}"`, `client_id="${serviceName}"`, `trustedissuers="${issuers.join(',')}"`];
    if (error.error) parts.push(`error="${error.error}"`);
    return parts.join(', ');
  }

  /** Writes the refusal. */
  send(reply: FastifyReply, error: BearerTokenError): void {
    if (error.status === 401) void reply.header('www-authenticate', this.header(error));
    else void reply.header('www-authenticate', `Bearer error="insufficient_scope"`);
    void reply
      .header('x-s2s-diagnostics', `${error.reason}; reason="${error.message.replace(/"/g, "'")}"`)
      .header('cache-control', 'no-store')
      .status(error.status)
      .type('application/json')
      .send({ error: error.error ?? 'invalid_request', error_description: error.message });
  }
}

