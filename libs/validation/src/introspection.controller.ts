import { Body, Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@s2s/admin-access';
import { AppConfig } from '@s2s/config';
import { FormBody, FormRefusedError } from '@s2s/http';
import { PUBLISHED_PATHS, publishedUrl } from '@s2s/metadata';
import { ClientAuthenticator, InvalidRequestError, OAuthErrorFilter, parseTokenRequestForm, PresentedAuthorization } from '@s2s/token-issuer';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TokenValidator } from './token.validator.js';
import { introspectionResponse } from './introspection.response.js';

/**
 * `POST /oauth2/introspect` (RFC 7662; SPEC 5.6). The caller authenticates as a registered client
 * (the token endpoint's methods); an invalid token is simply `{"active": false}`, the reason going
 * to the log only.
 */
@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth2')
export class IntrospectionController {
  private readonly audience: { issuer: string; tokenEndpoint: string };

  constructor(
    private readonly validator: TokenValidator,
    private readonly authenticator: ClientAuthenticator,
    config: AppConfig,
  ) {
    const issuer = config.publicUrl.replace(/\/+$/, '');
    this.audience = { issuer, tokenEndpoint: publishedUrl(issuer, PUBLISHED_PATHS.token) };
  }

  @Post('introspect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token introspection (RFC 7662): active, claims, and how the token was trusted' })
  async introspect(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    // A form in another charset than UTF-8, or with bytes that are not UTF-8 (the shared form rules).
    if (body instanceof FormRefusedError) throw new InvalidRequestError(body.refusal.description, body.refusal.reason);
    if (!(body instanceof FormBody)) throw new InvalidRequestError('the body must be application/x-www-form-urlencoded', 'content_type_not_form');
    const parameters = parseTokenRequestForm(body.text);
    await this.authenticator.authenticate(parameters, new PresentedAuthorization(request.headers.authorization), this.audience);
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
