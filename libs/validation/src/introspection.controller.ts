import { Body, Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@s2s/admin-access';
import { AppConfig } from '@s2s/config';
import { FormRefusedError } from '@s2s/http';
import { PUBLISHED_PATHS, publishedUrl } from '@s2s/metadata';
import { ClientAuthenticationService, FormBody, InvalidRequestError, OAuthError, OAuthErrorFilter, parseTokenRequestForm, PresentedAuthorization } from '@s2s/oauth-wire';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TokenValidator } from './token.validator.js';
import { introspectionResponse } from './introspection.response.js';

/**
 * `POST /oauth2/introspect` (RFC 7662; SPEC 5.6). The caller authenticates as a registered client
 * (the token endpoint's methods) under the token endpoint's back-off, with the same record
 * ({@link ClientAuthenticationService}): secrets guessed here count there and the other way round,
 * and a caller backed off at one is answered 429 `temporarily_unavailable` with `Retry-After` at
 * both (security catalogue G01). An invalid token is simply `{"active": false}`, the reason going
 * to the log only; so does the reason of a refused request.
 */
@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth2')
export class IntrospectionController {
  private readonly audience: { issuer: string; tokenEndpoint: string };

  constructor(
    private readonly validator: TokenValidator,
    private readonly authentication: ClientAuthenticationService,
    config: AppConfig,
  ) {
    const issuer = config.publicUrl.replace(/\/+$/, '');
    this.audience = { issuer, tokenEndpoint: publishedUrl(issuer, PUBLISHED_PATHS.token) };
  }

  @Post('introspect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token introspection (RFC 7662): active, claims, and how the token was trusted' })
  @ApiResponse({ status: 200, description: 'RFC 7662 2.2: `{"active": false}`, or `active: true` with the claims and `trust`' })
  @ApiResponse({ status: 400, description: 'RFC 6749 5.2 invalid_request (not a form, no token, more than one client authentication method)' })
  @ApiResponse({ status: 401, description: 'RFC 6749 5.2 invalid_client, with `WWW-Authenticate`' })
  @ApiResponse({ status: 429, description: 'temporarily_unavailable after repeated failed client authentications (here or at the token endpoint), with `Retry-After`' })
  async introspect(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    // A form in another charset than UTF-8, or with bytes that are not UTF-8 (the shared form rules).
    if (body instanceof FormRefusedError) throw new InvalidRequestError(body.refusal.description, body.refusal.reason);
    if (!(body instanceof FormBody)) throw new InvalidRequestError('the body must be application/x-www-form-urlencoded', 'content_type_not_form');
    const parameters = parseTokenRequestForm(body.text);
    const authorization = new PresentedAuthorization(request.headers.authorization);
    // The socket's address, as the token endpoint keys its back-off (never a forwarded header).
    const remoteAddress = request.socket.remoteAddress ?? '';
    try {
      await this.authentication.authenticate(parameters, authorization, this.audience, remoteAddress, 'introspect');
    } catch (error) {
      if (error instanceof OAuthError) {
        request.log.warn({ error: error.error, reason: error.reason, clientId: authorization.claimedClientId, remoteAddress }, 'introspection request refused');
      }
      throw error;
    }
    const token = parameters.get('token');
    if (token === undefined) throw new InvalidRequestError('token is required', 'token_missing');
    const outcome = await this.validator.validate(token);
    if (!outcome.valid) {
      request.log.info({ reason: outcome.reason }, 'introspected token is not active');
      return { active: false };
    }
    return introspectionResponse(outcome.token);
  }
}
