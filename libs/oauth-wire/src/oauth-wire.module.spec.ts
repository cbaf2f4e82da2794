import { Global, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AssertionReplayStore, ClientDirectory, ClientSecretHasher, ClientsModule } from '@s2s/clients';
import { AppConfig } from '@s2s/config';
import { Clock, FrozenClock } from '@s2s/core';
import { AuthenticationBackoff } from './authentication.backoff.js';
import { ClientAssertionVerifier } from './client-assertion.verifier.js';
import { ClientAuthenticationService } from './client-authentication.service.js';
import { ClientAuthenticator, PresentedAuthorization } from './client.authenticator.js';
import { type OAuthError, TemporarilyUnavailableError } from './oauth.errors.js';
import { OAuthWireModule } from './oauth-wire.module.js';
import { MetricsRegistry } from '@s2s/operations';

const NOW = new Date('2026-12-06T08:00:00Z');

/** What the application provides globally (core, config, persistence), stubbed. */
@Global()
@Module({
  providers: [
    { provide: Clock, useValue: new FrozenClock(NOW) },
    { provide: AppConfig, useValue: Object.assign(new AppConfig(), { authBackoff: { clientFailures: 1, addressFailures: 1 } }) },
    { provide: AssertionReplayStore, useValue: {} },
    { provide: MetricsRegistry, useFactory: () => new MetricsRegistry() },
  ],
  exports: [Clock, AppConfig, AssertionReplayStore, MetricsRegistry],
})
class StubGlobalsModule {}

/** The client registry without its database, and without any client. */
@Module({
  providers: [
    { provide: ClientDirectory, useValue: { client: () => undefined } },
    { provide: ClientSecretHasher, useValue: { hash: () => 'hash' } },
  ],
  exports: [ClientDirectory, ClientSecretHasher],
})
class StubClientsModule {}

/** Stands in for the token endpoint (TokenIssuerModule). */
@Injectable()
class TokenEndpointSide {
  constructor(
    readonly backoff: AuthenticationBackoff,
    readonly authenticator: ClientAuthenticator,
    readonly assertions: ClientAssertionVerifier,
  ) {}
}

@Module({ imports: [OAuthWireModule], providers: [TokenEndpointSide], exports: [TokenEndpointSide] })
class TokenEndpointSideModule {}

/** Stands in for introspection (ValidationModule). */
@Injectable()
class IntrospectionSide {
  constructor(
    readonly backoff: AuthenticationBackoff,
    readonly authenticator: ClientAuthenticator,
    readonly assertions: ClientAssertionVerifier,
  ) {}
}

@Module({ imports: [OAuthWireModule], providers: [IntrospectionSide], exports: [IntrospectionSide] })
class IntrospectionSideModule {}

describe('OAuthWireModule', () => {
  it('gives every importing module the same ClientAuthenticator, ClientAssertionVerifier and AuthenticationBackoff', async () => {
    const module = await Test.createTestingModule({ imports: [StubGlobalsModule, TokenEndpointSideModule, IntrospectionSideModule] })
      .overrideModule(ClientsModule)
      .useModule(StubClientsModule)
      .compile();
    const token = module.get(TokenEndpointSide);
    const introspection = module.get(IntrospectionSide);

    expect(token.backoff).toBeInstanceOf(AuthenticationBackoff);
    expect(introspection.backoff).toBe(token.backoff);
    expect(introspection.authenticator).toBe(token.authenticator);
    expect(introspection.assertions).toBe(token.assertions);

    // One back-off record: a failure counted by one endpoint blocks the client at the other.
    token.backoff.recordFailure({ kind: 'client', clientId: 'app-1' });
    token.backoff.recordFailure({ kind: 'client', clientId: 'app-1' });
    expect(introspection.backoff.retryAfterSeconds({ kind: 'client', clientId: 'app-1' })).toBe(1);
    await module.close();
  });
});

/** Stands in for the token endpoint: authenticates clients. */
@Injectable()
class TokenEndpointAuthentication {
  constructor(readonly authentication: ClientAuthenticationService) {}
}

@Module({ imports: [OAuthWireModule], providers: [TokenEndpointAuthentication], exports: [TokenEndpointAuthentication] })
class TokenEndpointAuthenticationModule {}

/** Stands in for introspection: authenticates clients. */
@Injectable()
class IntrospectionAuthentication {
  constructor(readonly authentication: ClientAuthenticationService) {}
}

@Module({ imports: [OAuthWireModule], providers: [IntrospectionAuthentication], exports: [IntrospectionAuthentication] })
class IntrospectionAuthenticationModule {}

describe('OAuthWireModule client authentication', () => {
  const AUDIENCE = { issuer: 'https://s2s.contoso.com', tokenEndpoint: 'https://s2s.contoso.com/oauth2/token' };
  /** A client_secret_post attempt for `clientId` (no client exists: invalid_client unknown_client). */
  const attempt = (side: { authentication: ClientAuthenticationService }, clientId: string, address: string): Promise<Pick<OAuthError, 'status' | 'error' | 'reason'> & { retryAfter?: number }> =>
    side.authentication.authenticate(new Map([['client_id', clientId], ['client_secret', 'guess']]), new PresentedAuthorization(undefined), AUDIENCE, address).then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: OAuthError) => ({
        status: error.status,
        error: error.error,
        reason: error.reason,
        ...(error instanceof TemporarilyUnavailableError ? { retryAfter: error.retryAfterSeconds } : {}),
      }),
    );

  it('gives every importing module the same ClientAuthenticationService: failures at one side are refused at the other', async () => {
    const module = await Test.createTestingModule({ imports: [StubGlobalsModule, TokenEndpointAuthenticationModule, IntrospectionAuthenticationModule] })
      .overrideModule(ClientsModule)
      .useModule(StubClientsModule)
      .compile();
    const token = module.get(TokenEndpointAuthentication);
    const introspection = module.get(IntrospectionAuthentication);
    expect(introspection.authentication).toBe(token.authentication);

    // AUTH_BACKOFF_CLIENT_FAILURES=1, AUTH_BACKOFF_ADDRESS_FAILURES=1 (StubGlobalsModule).
    const unknown = { status: 401, error: 'invalid_client', reason: 'unknown_client' };
    expect(await attempt(introspection, 'app-1', '192.0.2.1')).toEqual(unknown);
    expect(await attempt(introspection, 'app-1', '192.0.2.2')).toEqual(unknown);
    expect(await attempt(token, 'app-1', '192.0.2.3')).toEqual({ status: 429, error: 'temporarily_unavailable', reason: 'backoff_client', retryAfter: 1 });

    expect(await attempt(token, 'app-2', '192.0.2.4')).toEqual(unknown);
    expect(await attempt(token, 'app-3', '192.0.2.4')).toEqual(unknown);
    expect(await attempt(introspection, 'app-4', '192.0.2.4')).toEqual({ status: 429, error: 'temporarily_unavailable', reason: 'backoff_address', retryAfter: 1 });
    await module.close();
  });
});
