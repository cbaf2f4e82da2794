import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import type { AdminActor } from '@s2s/core';
import type { JsonAnswer, JsonRoute, RouteContext } from '@s2s/http';
import { PUBLISHED_PATHS } from '@s2s/metadata';
import { answerOAuthEndpointError, ClientAuthenticationService, type ClientCredentialsEndpoint, InvalidRequestError, noStoreHeaders, readAuthenticatedForm } from '@s2s/oauth-wire';
import { TokenRevocationService } from '@s2s/revocation';
import { clientCredentialsEndpoint } from './client-credentials.endpoint.js';
import { RevocableTokenReader } from './revocable-token.reader.js';

/** The content type of the empty 200 answer. */
const EMPTY_TEXT = 'text/plain; charset=utf-8';

/**
 * `POST /oauth2/revoke` (RFC 7009), a Fastify route (`serveOnFastify`, {@link JsonRoute}) like the
 * token and introspection endpoints: POST only, reading its own body under the shared form rules
 * (UTF-8 form, `BODY_LIMIT_BYTES`), `Cache-Control: no-store` on every answer, errors in the RFC
 * 6749 5.2 shape. The client authenticates as at the token endpoint, under the same back-off
 * ({@link ClientAuthenticationService}); it may revoke only its own tokens. As RFC 7009 2.2 says,
 * the answer is 200 with an empty body whether the token was revoked, was already invalid,
 * unknown, or another client's (then nothing changes): the caller learns nothing about tokens it
 * does not hold. `token_type_hint` is accepted and ignored (only access tokens exist here).
 */
@Injectable()
export class TokenRevocationHttpRoute implements JsonRoute {
  readonly path = PUBLISHED_PATHS.revocation;
  private readonly logger = new Logger('TokenRevocation');
  private readonly endpoint: ClientCredentialsEndpoint;

  constructor(
    private readonly tokens: RevocableTokenReader,
    private readonly revocations: TokenRevocationService,
    private readonly authentication: ClientAuthenticationService,
    config: AppConfig,
  ) {
    this.endpoint = clientCredentialsEndpoint(config, 'revoke', this.logger, 'revocation request refused');
  }

  answer(request: IncomingMessage, context: RouteContext): Promise<JsonAnswer | null> {
    return this.revoke(request, context).then(
      (): JsonAnswer => ({ status: 200, headers: noStoreHeaders(context.requestId), json: '', contentType: EMPTY_TEXT }),
      (error: unknown) => answerOAuthEndpointError(request, error, context.requestId, this.logger),
    );
  }

  private async revoke(request: IncomingMessage, context: RouteContext): Promise<void> {
    const { parameters, client } = await readAuthenticatedForm(request, context, this.endpoint, this.authentication);
    const clientId = client.cached.client.clientId;
    const requestId = context.requestId;
    const token = parameters.get('token');
    if (token === undefined) throw new InvalidRequestError('token is required', 'token_missing');
    const revocable = await this.tokens.read(token);
    if (!revocable) {
      this.logger.log({ requestId, clientId }, 'revocation: not a live token of this service; nothing to do');
    } else if (revocable.clientId !== clientId) {
      this.logger.warn({ requestId, clientId, owner: revocable.clientId, jti: revocable.jti }, 'revocation: the token belongs to another client; nothing done');
    } else {
      const actor: AdminActor = { keyId: null, name: `client ${clientId}`, requestId };
      await this.revocations.revokeToken(revocable.jti, revocable.expiresAt, actor, { by: 'rfc7009', clientId });
    }
  }
}
