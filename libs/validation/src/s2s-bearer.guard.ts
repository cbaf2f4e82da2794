import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, applyDecorators, createParamDecorator, UseFilters, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { BearerTokenError } from './bearer-token.error.js';
import { BearerTokenFilter } from './bearer-token.filter.js';
import type { ValidatedToken } from './token-validation.js';
import { TokenValidator } from './token.validator.js';

const REQUIRED_ROLES = 's2s:required-roles';
const REQUIRED_SCOPES = 's2s:required-scopes';
const TOKEN = Symbol('s2s-validated-token');

/** The route needs a token holding every one of these app roles (403 `insufficient_scope` otherwise). */
export const RequireRoles = (...roles: string[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLES, roles);
/** The route needs a token holding every one of these delegated scopes. */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPES, scopes);

/** Injects the validated token into a handler parameter. */
export const S2sToken = createParamDecorator((_data: unknown, context: ExecutionContext): ValidatedToken => {
  return (context.switchToHttp().getRequest<FastifyRequest & { [TOKEN]?: ValidatedToken }>())[TOKEN]!;
});

/**
 * For resource servers (SPEC 5.6): accepts `Authorization: Bearer <token>` when the validator
 * trusts it (this service, a partner, an OAuth server) and it carries the roles/scopes the route
 * requires. Refusals answer 401 with the S2S realm-discovery challenge
 * (`WWW-Authenticate: Bearer realm, client_id, trustedissuers, error`) and an
 * `X-S2S-Diagnostics` reason code, or 403 `insufficient_scope`.
 */
@Injectable()
export class S2sBearerGuard implements CanActivate {
  constructor(
    private readonly validator: TokenValidator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { [TOKEN]?: ValidatedToken }>();
    const header = request.headers.authorization;
    if (header === undefined) throw new BearerTokenError(401, null, 'token_missing', 'a bearer token is required');
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match) throw new BearerTokenError(401, 'invalid_request', 'authorization_malformed', 'the Authorization header must be "Bearer <token>"');
    const outcome = await this.validator.validate(match[1]);
    if (!outcome.valid) throw new BearerTokenError(401, 'invalid_token', outcome.reason, outcome.message);
    const token = outcome.token;
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]) ?? [];
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]) ?? [];
    const missingRole = roles.find((role) => !token.roles.includes(role));
    if (missingRole) throw new BearerTokenError(403, 'insufficient_scope', 'role_missing', `the token lacks the role ${missingRole}`);
    const missingScope = scopes.find((scope) => !token.scopes.includes(scope));
    if (missingScope) throw new BearerTokenError(403, 'insufficient_scope', 'scope_missing', `the token lacks the scope ${missingScope}`);
    request[TOKEN] = token;
    return true;
  }
}

/** Protects a controller or route: S2S bearer token required (see {@link S2sBearerGuard}). */
export function S2sProtected(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(S2sBearerGuard), UseFilters(BearerTokenFilter));
}
