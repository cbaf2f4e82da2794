import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AdminActor } from '@s2s/core';
import type { AdminRequestContext } from './admin-request.js';

/** The admin key behind the request and the request id, for the audit log. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): AdminActor => {
  const request = context.switchToHttp().getRequest<AdminRequestContext>();
  if (!request.adminKey) throw new Error('CurrentActor used on a route without an authenticated admin key');
  return { keyId: request.adminKey.id, name: request.adminKey.name, requestId: request.id };
});
