import { Global, Module } from '@nestjs/common';
import { CredentialBackoff } from '@s2s/core';
import { ClientsModule } from '@s2s/clients';
import { AuthenticationBackoff } from './authentication.backoff.js';
import { AuthenticationMetrics } from './authentication.metrics.js';
import { ClientAssertionVerifier } from './client-assertion.verifier.js';
import { ClientAuthenticationService } from './client-authentication.service.js';
import { ClientAuthenticator } from './client.authenticator.js';

/**
 * What every OAuth endpoint speaks (RFC 6749 2.3, 3.2, 5.2; RFC 7523): client authentication
 * (`client_secret_basic`, `client_secret_post`, `private_key_jwt`) and the back-off after failed
 * attempts. A static module, so Nest makes one instance of each provider however many modules
 * import it: the token endpoint (`TokenIssuerModule`) and introspection (`ValidationModule`) share
 * one back-off record and one assertion verifier, and authenticate clients through the one
 * {@link ClientAuthenticationService} (back-off checked and fed there, nowhere else). The error
 * classes, their rendering and the form parser are plain functions and classes, imported from
 * `@s2s/oauth-wire` without the module. Global, so the admin guard (which may not import this
 * library) reaches the same back-off as {@link CredentialBackoff}.
 */
@Global()
@Module({
  imports: [ClientsModule],
  providers: [{ provide: CredentialBackoff, useExisting: AuthenticationBackoff }, AuthenticationBackoff, AuthenticationMetrics, ClientAssertionVerifier, ClientAuthenticator, ClientAuthenticationService],
  exports: [CredentialBackoff, AuthenticationBackoff, AuthenticationMetrics, ClientAssertionVerifier, ClientAuthenticator, ClientAuthenticationService],
})
export class OAuthWireModule {}
