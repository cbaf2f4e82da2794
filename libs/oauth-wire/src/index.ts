export * from './oauth.errors.js';
export { noStoreHeaders, oauthErrorResponse } from './oauth-error.response.js';
export {
  answerOAuthEndpointError,
  type ClientCredentialsEndpoint,
  type OAuthEndpointLog,
  oauthErrorAnswer,
  readAuthenticatedForm,
  readOAuthForm,
  type UnhandledErrorLog,
} from './oauth-endpoint.http.js';
export { parseTokenRequestForm, type TokenRequestParameters } from './oauth-form.parser.js';
export { AuthenticationBackoff, AUTHENTICATION_BACKOFF_TOPIC, MAX_BACKOFF_SECONDS, type BackoffSubject } from './authentication.backoff.js';
export { AuthenticationFailureStore, type SharedFailureRecord } from './authentication-failure.store.js';
export { AuthenticationMetrics } from './authentication.metrics.js';
export { ClientAuthenticator, decodeBasic, PresentedAuthorization, type AuthenticatedClient, type ClientAuthenticationMethod } from './client.authenticator.js';
export { ClientAuthenticationService } from './client-authentication.service.js';
export { ClientAssertionVerifier, type AssertedClient, JWT_BEARER_ASSERTION_TYPE, MAX_ASSERTION_LIFETIME_SECONDS, type AssertionAudience } from './client-assertion.verifier.js';
export { OAuthWireModule } from './oauth-wire.module.js';
export { OAUTH_ERROR_OPENAPI_RESPONSE } from './oauth-error.openapi.js';
