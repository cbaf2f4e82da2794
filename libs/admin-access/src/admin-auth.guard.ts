import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type BackoffSubject, CredentialBackoff, ForbiddenError, TooManyAttemptsError, UnauthenticatedError } from '@s2s/core';
import { AdminApiKeyService } from './admin-api-key.service.js';
import { parseAdminApiKey } from './admin-api-key.token.js';
import type { AdminRequestContext } from './admin-request.js';
import { PUBLIC_ROUTE } from './public-route.decorator.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global deny-by-default guard: every route needs `Authorization: Bearer <admin key>` unless it is
 * marked {@link Public}. `reader` keys may only read (403 on writes). Failed keys count in the
 * one back-off of every credential check ({@link CredentialBackoff}: per key id and per address,
 * shared between instances): while waiting, 429 `too_many_requests` with `Retry-After`.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: AdminApiKeyService,
    private readonly backoff: CredentialBackoff,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AdminRequestContext>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !/^Bearer [^\s]+$/i.test(header)) {
      throw new UnauthenticatedError('an admin API key is required: send Authorization: Bearer <key>');
    }
    const token = header.slice(7);
    const address: BackoffSubject = { kind: 'address', address: request.socket?.remoteAddress ?? '' };
    this.refuseWhileBackingOff(address);
    const keyId = parseAdminApiKey(token)?.id;
    const claimed: BackoffSubject | null = keyId ? { kind: 'admin-key', keyId } : null;
    if (claimed) this.refuseWhileBackingOff(claimed);
    const key = await this.keys.authenticate(token);
    if (!key) {
      await Promise.all([this.backoff.recordFailure(address, 'admin'), ...(claimed ? [this.backoff.recordFailure(claimed, 'admin')] : [])]);
      throw new UnauthenticatedError('the admin API key is not valid');
    }
    if (claimed) this.backoff.recordSuccess(claimed);
    if (key.role !== 'admin' && !READ_METHODS.has(request.method)) {
      throw new ForbiddenError(`the admin API key "${key.name}" has role ${key.role}, which may only read`);
    }
    request.adminKey = key;
    return true;
  }

  private refuseWhileBackingOff(subject: BackoffSubject): void {
    const retryAfter = this.backoff.retryAfterSeconds(subject);
    if (retryAfter === 0) return;
    this.backoff.recordRefusal(subject, 'admin');
    throw new TooManyAttemptsError(`too many failed admin key authentications; retry after ${retryAfter} s`, retryAfter);
  }
}
