import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import type { AdminActor } from '@s2s/core';
import { type JsonAnswer, type JsonRoute, type RouteContext, SHUTTING_DOWN_MESSAGE } from '@s2s/http';
import { PUBLISHED_PATHS, publishedUrl } from '@s2s/metadata';
import {
  answerOAuthEndpointError,
  ClientAuthenticationService,
  InvalidRequestError,
  noStoreHeaders,
  OAuthError,
  parseTokenRequestForm,
  PresentedAuthorization,
  readOAuthForm,
  TemporarilyUnavailableError,
} from '@s2s/oauth-wire';
import { TokenRevocationService } from '@s2s/revocation';
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
  private readonly audience: { issuer: string; tokenEndpoint: string };
  private readonly bodyLimitBytes: number;

  constructor(
    private readonly tokens: RevocableTokenReader,
    private readonly revocations: TokenRevocationService,
    private readonly authentication: ClientAuthenticationService,
    config: AppConfig,
  ) {
    const issuer = config.publicUrl.replace(/\/+$/, '');
    this.audience = { issuer, tokenEndpoint: publishedUrl(issuer, PUBLISHED_PATHS.token) };
    this.bodyLimitBytes = config.bodyLimitBytes;
  }

  answer(request: IncomingMessage, context: RouteContext): Promise<JsonAnswer | null> {
    return this.revoke(request, context).then(
      (): JsonAnswer => ({ status: 200, headers: noStoreHeaders(context.requestId), json: '', contentType: EMPTY_TEXT }),
      (error: unknown) => answerOAuthEndpointError(request, error, context.requestId, this.logger),
    );
  }

  private async revoke(request: IncomingMessage, context: RouteContext): Promise<void> {
    if (context.closing) throw new TemporarilyUnavailableError(SHUTTING_DOWN_MESSAGE, 'shutting_down');
    if (request.method !== 'POST') throw new InvalidRequestError('use POST with an application/x-www-form-urlencoded body', 'method_not_allowed');
    const parameters = parseTokenRequestForm(await readOAuthForm(request, this.bodyLimitBytes));
    const authorization = new PresentedAuthorization(request.headers.authorization);
    // The socket's address, as the token endpoint keys its back-off (never a forwarded header).
    const remoteAddress = request.socket.remoteAddress ?? '';
    const reqId = context.requestId;
    let clientId: string;
    try {
      clientId = (await this.authentication.authenticate(parameters, authorization, this.audience, remoteAddress, 'revoke')).cached.client.clientId;
    } catch (error) {
      if (error instanceof OAuthError) {
        this.logger.warn({ reqId, error: error.error, reason: error.reason, clientId: authorization.claimedClientId, remoteAddress }, 'revocation request refused');
      }
      throw error;
    }
    const token = parameters.get('token');
    if (token === undefined) throw new InvalidRequestError('token is required', 'token_missing');
    const revocable = await this.tokens.read(token);
    if (!revocable) {
      this.logger.log({ reqId, clientId }, 'revocation: not a live token of this service; nothing to do');
    } else if (revocable.clientId !== clientId) {
      this.logger.warn({ reqId, clientId, owner: revocable.clientId, jti: revocable.jti }, 'revocation: the token belongs to another client; nothing done');
    } else {
      const actor: AdminActor = { keyId: null, name: `client ${clientId}`, requestId: reqId };
      await this.revocations.revokeToken(revocable.jti, revocable.expiresAt, actor, { by: 'rfc7009', clientId });
    }
  }
}
