import { Global, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AssertionReplayStore, ClientDirectory, ClientSecretHasher, ClientsModule } from '@s2s/clients';
import { AppConfig } from '@s2s/config';
import { Clock, FrozenClock } from '@s2s/core';
import { AuthenticationBackoff } from './authentication.backoff.js';
import { ClientAssertionVerifier } from './client-assertion.verifier.js';
import { ClientAuthenticator } from './client.authenticator.js';
import { OAuthWireModule } from './oauth-wire.module.js';

const NOW = new Date('2026-12-06T08:00:00Z');

/** What the application provides globally (core, config, persistence), stubbed. */
@Global()
@Module({
  providers: [
    { provide: Clock, useValue: new FrozenClock(NOW) },
    { provide: AppConfig, useValue: Object.assign(new AppConfig(), { authBackoff: { clientFailures: 1, addressFailures: 1 } }) },
    { provide: AssertionReplayStore, useValue: {} },
  ],
  exports: [Clock, AppConfig, AssertionReplayStore],
})
class StubGlobalsModule {}

/** The client registry without its database. */
@Module({
  providers: [
    { provide: ClientDirectory, useValue: {} },
    { provide: ClientSecretHasher, useValue: {} },
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
