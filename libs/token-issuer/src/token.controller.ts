import { Body, Controller, Get, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@s2s/admin-access';
import { FormBody } from '@s2s/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError } from './oauth.errors.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { TokenEndpointService } from './token-endpoint.service.js';
import type { TokenResponse } from './token-response.js';
import { parseTokenRequestForm } from './token-request.parser.js';

/** `POST /oauth2/token` (RFC 6749 3.2, SPEC 5.4). Anonymous at the admin layer: clients authenticate themselves. */
@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth2')
export class TokenController {
  constructor(private readonly endpoint: TokenEndpointService) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Token endpoint: client_credentials and on-behalf-of (form-encoded)' })
  async token(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (!(body instanceof FormBody)) {
      throw new InvalidRequestError('the body must be application/x-www-form-urlencoded', 'content_type_not_form');
    }
    return this.endpoint.token(parseTokenRequestForm(body.text), {
      authorization: request.headers.authorization,
      remoteAddress: request.ip,
      requestId: String(request.id),
    });
  }

  @Get('token')
  @ApiOperation({ summary: 'Not allowed: answers invalid_request (RFC 6749 3.2 requires POST)' })
  refuseGet(): never {
    throw new InvalidRequestError('the token endpoint accepts POST only', 'method_not_allowed');
  }
}
