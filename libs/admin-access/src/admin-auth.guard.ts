import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@s2s/core';
import { AdminApiKeyService } from './admin-api-key.service.js';
import type { AdminRequestContext } from './admin-request.js';
import { PUBLIC_ROUTE } from './public-route.decorator.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global deny-by-default guard: every route needs `Authorization: Bearer <admin key>` unless it is
 * marked {@link Public}. `reader` keys may only read (403 on writes).
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: AdminApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AdminRequestContext>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !/^Bearer [^\s]+$/i.test(header)) {
      throw new UnauthenticatedError('an admin API key is required: send Authorization: Bearer <key>');
    }
    const key = await this.keys.authenticate(header.slice(7));
    if (!key) throw new UnauthenticatedError('the admin API key is not valid');
    if (key.role !== 'admin' && !READ_METHODS.has(request.method)) {
      throw new ForbiddenError(`the admin API key "${key.name}" has role ${key.role}, which may only read`);
    }
    request.adminKey = key;
    return true;
  }
}
