import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerTokenError } from './bearer-token.error.js';
import { RequireRoles, RequireScopes, S2sBearerGuard } from './s2s-bearer.guard.js';
import type { ValidatedToken, ValidationOutcome } from './token-validation.js';
import type { TokenValidator } from './token.validator.js';

class ProtectedController {
  @RequireRoles('Files.Read.All')
  readFiles(): void {}

  @RequireScopes('user_impersonation')
  actForUser(): void {}

  open(): void {}
}

const TOKEN: ValidatedToken = {
  trust: { kind: 'self', id: 'https://s2s.contoso.com' },
  appId: 'c0ffee00-0000-0000-0000-000000000001',
  roles: ['Files.Read.All'],
  scopes: [],
  user: null,
  claims: {},
  outerClaims: null,
  expiresAt: new Date('2026-11-22T13:00:00Z'),
};
const TRACE = { checks: [], key: null, issuerMetadataFetchedAt: null, clockDifferenceSeconds: null, header: null, claims: null };

function guardWith(outcome: ValidationOutcome): { guard: S2sBearerGuard; seen: unknown[] } {
  const seen: unknown[] = [];
  const validator = { validate: async (token: unknown) => (seen.push(token), outcome) } as unknown as TokenValidator;
  return { guard: new S2sBearerGuard(validator, new Reflector()), seen };
}

function context(handler: keyof ProtectedController, authorization?: string): { context: ExecutionContext; request: Record<PropertyKey, unknown> } {
  const request: Record<PropertyKey, unknown> = { headers: authorization === undefined ? {} : { authorization } };
  return {
    request,
    context: {
      switchToHttp: () => ({ getRequest: () => request }),
      getHandler: () => ProtectedController.prototype[handler],
      getClass: () => ProtectedController,
    } as unknown as ExecutionContext,
  };
}

async function refusal(promise: Promise<unknown>): Promise<BearerTokenError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BearerTokenError);
  return error as BearerTokenError;
}

describe('S2sBearerGuard with @RequireRoles / @RequireScopes', () => {
  it('lets a valid token with the required role through and hands the token over', async () => {
    const { guard, seen } = guardWith({ valid: true, token: TOKEN, trace: TRACE });
    const { context: ctx, request } = context('readFiles', 'Bearer abc.def.ghi');
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(seen).toEqual(['abc.def.ghi']);
    expect(Object.getOwnPropertySymbols(request).map((symbol) => request[symbol])).toEqual([TOKEN]);
  });

  it('answers 401 without an error code when no token is sent (RFC 6750 3.1)', async () => {
    const { guard } = guardWith({ valid: true, token: TOKEN, trace: TRACE });
    const error = await refusal(guard.canActivate(context('open').context));
    expect({ status: error.status, error: error.error, reason: error.reason }).toEqual({ status: 401, error: null, reason: 'token_missing' });
  });

  it('answers 401 invalid_request for a malformed Authorization header', async () => {
    const { guard } = guardWith({ valid: true, token: TOKEN, trace: TRACE });
    const error = await refusal(guard.canActivate(context('open', 'Basic dXNlcjpwdw==').context));
    expect({ status: error.status, error: error.error, reason: error.reason }).toEqual({ status: 401, error: 'invalid_request', reason: 'authorization_malformed' });
  });

  it('answers 401 invalid_token with the validator reason for a refused token', async () => {
    const { guard } = guardWith({ valid: false, reason: 'partner_disabled', message: 'partner conferencing is disabled', trace: TRACE });
    const error = await refusal(guard.canActivate(context('open', 'Bearer x.y.z').context));
    expect({ status: error.status, error: error.error, reason: error.reason, message: error.message }).toEqual({
      status: 401,
      error: 'invalid_token',
      reason: 'partner_disabled',
      message: 'partner conferencing is disabled',
    });
  });

  it('answers 403 insufficient_scope for a valid token without the role or scope', async () => {
    const { guard } = guardWith({ valid: true, token: { ...TOKEN, roles: [] }, trace: TRACE });
    const role = await refusal(guard.canActivate(context('readFiles', 'Bearer x.y.z').context));
    expect({ status: role.status, error: role.error, reason: role.reason, message: role.message }).toEqual({
      status: 403,
      error: 'insufficient_scope',
      reason: 'role_missing',
      message: 'the token lacks the role Files.Read.All',
    });
    const scope = await refusal(guard.canActivate(context('actForUser', 'Bearer x.y.z').context));
    expect({ status: scope.status, reason: scope.reason }).toEqual({ status: 403, reason: 'scope_missing' });
  });
});
