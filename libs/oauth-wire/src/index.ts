export * from './oauth.errors.js';
export { noStoreHeaders, oauthErrorResponse } from './oauth-error.response.js';
export { parseTokenRequestForm, type TokenRequestParameters } from './oauth-form.parser.js';
export { FormBody, UnsupportedBody } from './form-body.js';
export { AuthenticationBackoff, MAX_BACKOFF_SECONDS, type BackoffSubject } from './authentication.backoff.js';
export { ClientAuthenticator, decodeBasic, PresentedAuthorization, type AuthenticatedClient, type ClientAuthenticationMethod } from './client.authenticator.js';
export { ClientAuthenticationService } from './client-authentication.service.js';
export { ClientAssertionVerifier, JWT_BEARER_ASSERTION_TYPE, MAX_ASSERTION_LIFETIME_SECONDS, type AssertionAudience } from './client-assertion.verifier.js';
export { OAuthWireModule } from './oauth-wire.module.js';
