import { performance } from 'node:perf_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { CLIENT_CREDENTIALS_GRANT, JWT_BEARER_GRANT, type GrantType } from '@s2s/clients';
import { AppConfig } from '@s2s/config';
import { CacheFreshness, cachesTooStale, Clock } from '@s2s/core';
import { PUBLISHED_PATHS, publishedUrl } from '@s2s/metadata';
import {
  ClientAuthenticationService,
  InvalidRequestError,
  OAuthError,
  PresentedAuthorization,
  TemporarilyUnavailableError,
  type TokenRequestParameters,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
} from '@s2s/oauth-wire';
import { ClientCredentialsGrant } from './client-credentials.grant.js';
import { OnBehalfOfGrant } from './on-behalf-of.grant.js';
import { TokenMetrics } from './token.metrics.js';
import type { GrantResult, IssuerEndpoints, TokenResponse } from './token-response.js';

/** Who is asking, for back-off and logs. */
export interface TokenRequestContext {
  authorization: string | undefined;
  remoteAddress: string;
  requestId: string;
}

/**
 * `POST /oauth2/token` (SPEC 5.4): client authentication with its back-off
 * ({@link ClientAuthenticationService}, shared with introspection), grant dispatch. Every refusal
 * is counted by error and reason and logged with the reason; the caller only sees the public
 * description.
 */
@Injectable()
export class TokenEndpointService {
  private readonly logger = new Logger('TokenEndpoint');
  private readonly endpoints: IssuerEndpoints;
  private readonly outageToleranceSeconds: number;

  constructor(
    config: AppConfig,
    private readonly freshness: CacheFreshness,
    private readonly clock: Clock,
    private readonly authentication: ClientAuthenticationService,
    private readonly clientCredentials: ClientCredentialsGrant,
    private readonly onBehalfOf: OnBehalfOfGrant,
    private readonly metrics: TokenMetrics,
  ) {
    this.outageToleranceSeconds = config.databaseOutageToleranceSeconds;
    const issuer = config.publicUrl.replace(/\/+$/, '');
    this.endpoints = { issuer, tokenEndpoint: publishedUrl(issuer, PUBLISHED_PATHS.token) };
  }

  async token(parameters: TokenRequestParameters, context: TokenRequestContext): Promise<TokenResponse> {
    const started = performance.now();
    // For the refusal log: the authenticated client's id; until then the claimed one (see the catch).
    let clientId: string | null = null;
    const authorization = new PresentedAuthorization(context.authorization);
    try {
      if (cachesTooStale(this.freshness, this.clock.now(), this.outageToleranceSeconds)) {
        // SPEC 8: after the tolerated outage, fail closed rather than trust a stale snapshot.
        throw new TemporarilyUnavailableError('the database has been unreachable for too long; retry later', 'database_unavailable');
      }
      const { cached: client, credentialId } = await this.authentication.authenticate(parameters, authorization, this.endpoints, context.remoteAddress, 'token');
      clientId = client.client.clientId;

      const grantType = parameters.get('grant_type');
      if (grantType === undefined) throw new InvalidRequestError('grant_type is required', 'grant_type_missing');
      if (grantType !== CLIENT_CREDENTIALS_GRANT && grantType !== JWT_BEARER_GRANT) throw new UnsupportedGrantTypeError(`grant type ${grantType} is not supported`, 'grant_type_unsupported');
      if (!client.client.grantTypes.includes(grantType as GrantType)) throw new UnauthorizedClientError(`this client may not use ${grantType}`, 'grant_type_not_allowed');
      const result: GrantResult =
        grantType === CLIENT_CREDENTIALS_GRANT
          ? await this.clientCredentials.handle(client, credentialId, parameters, this.endpoints)
          : await this.onBehalfOf.handle(client, credentialId, parameters, this.endpoints);
      this.metrics.issued.inc({ grant: grantType === CLIENT_CREDENTIALS_GRANT ? 'client_credentials' : 'on_behalf_of', kind: result.kind });
      this.metrics.duration.observe({ result: 'issued' }, (performance.now() - started) / 1000);
      return result.response;
    } catch (error) {
      if (error instanceof OAuthError) {
        this.recordRefusal(error, context, clientId ?? authorization.claimedClientId);
        this.metrics.duration.observe({ result: 'refused' }, (performance.now() - started) / 1000);
      }
      throw error;
    }
  }

  /** Counts a refusal by error and reason and logs the reason (the caller sees only the public text). */
  recordRefusal(error: OAuthError, context: Pick<TokenRequestContext, 'requestId' | 'remoteAddress'>, clientId: string | null = null): void {
    this.metrics.failed.inc({ error: error.error, reason: error.reason });
    this.logger.warn({ requestId: context.requestId, error: error.error, reason: error.reason, clientId, remoteAddress: context.remoteAddress }, 'token request refused');
  }
}
