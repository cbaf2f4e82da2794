import type { OpenAPIObject } from '@nestjs/swagger';
import { OAUTH_ERROR_OPENAPI_RESPONSE } from '@s2s/oauth-wire';

type PathItemObject = OpenAPIObject['paths'][string];


/**
 * The OpenAPI description of `POST /oauth2/introspect`. The endpoint is a Fastify route (no Nest
 * controller for Swagger to read), so the document gets this path item added by hand.
 */
export const INTROSPECTION_ENDPOINT_OPENAPI: PathItemObject = {
  post: {
    tags: ['oauth'],
    summary: 'Token introspection (RFC 7662): active, claims, and how the token was trusted',
    description:
      'The caller authenticates as a registered client, as at the token endpoint (client_secret_basic, client_secret_post or ' +
      'private_key_jwt, exactly one), under the same back-off. Any other method than POST, a body that is not a UTF-8 form, ' +
      'or a missing token answers invalid_request.',
    security: [],
    responses: {
      '200': { description: 'RFC 7662 2.2: `{"active": false}`, or `active: true` with the claims and `trust`' },
      '400': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'RFC 6749 5.2 invalid_request (not a form, no token, more than one client authentication method)' },
      '401': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'RFC 6749 5.2 invalid_client, with `WWW-Authenticate`' },
      '413': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'invalid_request: the body is larger than BODY_LIMIT_BYTES' },
      '429': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'temporarily_unavailable after repeated failed client authentications (here or at the token endpoint), with `Retry-After`' },
      '503': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'temporarily_unavailable (shutting down)' },
    },
  },
};

/**
 * The OpenAPI description of `POST /oauth2/revoke` (RFC 7009). A Fastify route too, so this path
 * item is added by hand.
 */
export const REVOCATION_ENDPOINT_OPENAPI: PathItemObject = {
  post: {
    tags: ['oauth'],
    summary: 'Token revocation (RFC 7009): the client revokes one of its own access tokens',
    description:
      'The client authenticates as at the token endpoint (client_secret_basic, client_secret_post or private_key_jwt, exactly one), ' +
      'under the same back-off, and may revoke only its own tokens. `token_type_hint` is accepted and ignored. Any other method than ' +
      'POST, a body that is not a UTF-8 form, or a missing token answers invalid_request.',
    security: [],
    responses: {
      '200': { description: 'Empty body: revoked, or already invalid, unknown or not this client\'s (nothing changed)' },
      '400': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'RFC 6749 5.2 invalid_request (not a form, no token, more than one client authentication method)' },
      '401': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'RFC 6749 5.2 invalid_client, with `WWW-Authenticate`' },
      '413': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'invalid_request: the body is larger than BODY_LIMIT_BYTES' },
      '429': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'temporarily_unavailable after repeated failed client authentications, with `Retry-After`' },
      '503': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'temporarily_unavailable (shutting down)' },
    },
  },
};
