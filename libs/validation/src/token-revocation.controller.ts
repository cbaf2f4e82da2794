import { Body, Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CurrentActor, Public } from '@s2s/admin-access';
import { AppConfig } from '@s2s/config';
import { type AdminActor, InvalidInputError } from '@s2s/core';
import { ApiAdminErrors, FormRefusedError } from '@s2s/http';
import { PUBLISHED_PATHS, publishedUrl } from '@s2s/metadata';
import { ClientAuthenticationService, FormBody, InvalidRequestError, OAuthError, OAuthErrorFilter, parseTokenRequestForm, PresentedAuthorization } from '@s2s/oauth-wire';
import { TokenRevocationService } from '@s2s/revocation';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RevocableTokenReader } from './revocable-token.reader.js';

/**
 * `POST /oauth2/revoke` (RFC 7009). The client authenticates as at the token endpoint, under the same
 * back-off ({@link ClientAuthenticationService}); it may revoke only its own tokens. As RFC 7009 2.2
 * says, the answer is 200 with an empty body whether the token was revoked, was already invalid,
 * unknown, or another client's (then nothing changes): the caller learns nothing about tokens it
 * does not hold. `token_type_hint` is accepted and ignored (only access tokens exist here).
 */
@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth2')
export class RevocationController {
  private readonly audience: { issuer: string; tokenEndpoint: string };

  constructor(
    private readonly tokens: RevocableTokenReader,
    private readonly revocations: TokenRevocationService,
    private readonly authentication: ClientAuthenticationService,
    config: AppConfig,
  ) {
    const issuer = config.publicUrl.replace(/\/+$/, '');
    this.audience = { issuer, tokenEndpoint: publishedUrl(issuer, PUBLISHED_PATHS.token) };
  }

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token revocation (RFC 7009): the client revokes one of its own access tokens' })
  @ApiResponse({ status: 200, description: 'Empty body: revoked, or already invalid, unknown or not this client\'s (nothing changed)' })
  @ApiResponse({ status: 400, description: 'RFC 6749 5.2 invalid_request (not a form, no token, more than one client authentication method)' })
  @ApiResponse({ status: 401, description: 'RFC 6749 5.2 invalid_client, with `WWW-Authenticate`' })
  @ApiResponse({ status: 429, description: 'temporarily_unavailable after repeated failed client authentications, with `Retry-After`' })
  async revoke(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (body instanceof FormRefusedError) throw new InvalidRequestError(body.refusal.description, body.refusal.reason);
    if (!(body instanceof FormBody)) throw new InvalidRequestError('the body must be application/x-www-form-urlencoded', 'content_type_not_form');
    const parameters = parseTokenRequestForm(body.text);
    const authorization = new PresentedAuthorization(request.headers.authorization);
    const remoteAddress = request.socket.remoteAddress ?? '';
    let clientId: string;
    try {
      clientId = (await this.authentication.authenticate(parameters, authorization, this.audience, remoteAddress, 'revoke')).cached.client.clientId;
    } catch (error) {
      if (error instanceof OAuthError) {
        request.log.warn({ error: error.error, reason: error.reason, clientId: authorization.claimedClientId, remoteAddress }, 'revocation request refused');
      }
      throw error;
    }
    const token = parameters.get('token');
    if (token === undefined) throw new InvalidRequestError('token is required', 'token_missing');
    const revocable = await this.tokens.read(token);
    if (!revocable) {
      request.log.info({ clientId }, 'revocation: not a live token of this service; nothing to do');
    } else if (revocable.clientId !== clientId) {
      request.log.warn({ clientId, owner: revocable.clientId, jti: revocable.jti }, 'revocation: the token belongs to another client; nothing done');
    } else {
      const actor: AdminActor = { keyId: null, name: `client ${clientId}`, requestId: typeof request.id === 'string' ? request.id : null };
      await this.revocations.revokeToken(revocable.jti, revocable.expiresAt, actor, { by: 'rfc7009', clientId });
    }
    void reply.type('text/plain; charset=utf-8');
    return '';
  }
}

/** Body of `POST /admin/v1/tokens/revoke`: exactly one of `token` and `jti`. */
export class RevokeTokenDto {
  @ApiPropertyOptional({ description: 'One of this service\'s access tokens (a leading "Bearer " is ignored); kept revoked until its exp.' })
  @IsOptional() @IsString() @MaxLength(65_536)
  token?: string;

  @ApiPropertyOptional({ description: 'A token id (jti) of this service; kept revoked for 24 h, the longest lifetime a token of ours has.' })
  @IsOptional() @IsString() @MaxLength(256) @Matches(/^[\x21-\x7e]+$/, { message: 'jti must be printable ASCII without spaces' })
  jti?: string;
}

/** Response of `POST /admin/v1/tokens/revoke`. */
export class TokenRevocationDto {
  @ApiProperty() jti!: string;
  @ApiProperty({ format: 'date-time', description: 'Until when it is kept (the token\'s exp); purged afterwards.' }) expiresAt!: string;
  @ApiProperty({ description: 'False when it was already revoked (nothing changed).' }) revoked!: boolean;
}

/** `POST /admin/v1/tokens/revoke` (`s2sctl token revoke TOKEN | --jti ID`): audited as `token.revoke`. */
@ApiTags('tokens')
@ApiBearerAuth()
@ApiAdminErrors()
@Controller('admin/v1/tokens')
export class AdminTokenRevocationController {
  constructor(
    private readonly tokens: RevocableTokenReader,
    private readonly revocations: TokenRevocationService,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke one of this service\'s tokens, by the token or by its jti; refused everywhere with reason token_revoked' })
  @ApiOkResponse({ type: TokenRevocationDto })
  async revoke(@Body() body: RevokeTokenDto, @CurrentActor() actor: AdminActor): Promise<TokenRevocationDto> {
    if ((body.token === undefined) === (body.jti === undefined)) throw new InvalidInputError('give exactly one of token and jti', [{ field: 'token', message: 'give exactly one of token and jti' }]);
    let jti: string;
    let expiresAt: Date | null = null;
    if (body.token !== undefined) {
      const revocable = await this.tokens.read(body.token.replace(/^Bearer\s+/i, ''));
      if (!revocable) {
        throw new InvalidInputError('not a live access token of this service (expired, forged, another issuer\'s, or without jti): nothing to revoke', [{ field: 'token', message: 'not a live access token of this service' }], 'token_not_revocable');
      }
      ({ jti, expiresAt } = revocable);
    } else {
      jti = body.jti!;
    }
    const outcome = await this.revocations.revokeToken(jti, expiresAt, actor, { by: body.token !== undefined ? 'token' : 'jti' });
    return { jti: outcome.jti, expiresAt: outcome.expiresAt.toISOString(), revoked: outcome.revoked };
  }
}
