import type { OpenAPIObject } from '@nestjs/swagger';
import { OAUTH_ERROR_OPENAPI_RESPONSE } from '@s2s/oauth-wire';

type PathItemObject = OpenAPIObject['paths'][string];


const parameter = (description: string) => ({ type: 'string', description });

/**
 * The OpenAPI description of `POST /oauth2/token`. The endpoint is a Fastify route (no Nest
 * controller for Swagger to read), so the document gets this path item added by hand.
 */
export const TOKEN_ENDPOINT_OPENAPI: PathItemObject = {
  post: {
    tags: ['oauth'],
    summary: 'Token endpoint: client_credentials and on-behalf-of (form-encoded)',
    description:
      'RFC 6749 3.2. Client authentication: exactly one of client_secret_basic (Authorization: Basic), client_secret_post ' +
      '(client_id + client_secret) or private_key_jwt (RFC 7523: client_assertion_type + client_assertion). Any other method ' +
      'than POST, a body that is not a form, a form in another charset than UTF-8 (charset absent or utf-8) or with bytes or ' +
      'percent-escapes that are not UTF-8 answers invalid_request.',
    security: [],
    requestBody: {
      required: true,
      content: {
        'application/x-www-form-urlencoded': {
          schema: {
            type: 'object',
            required: ['grant_type'],
            properties: {
              grant_type: { type: 'string', enum: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'] },
              resource: parameter('RFC 8707 target: an Application ID URI, or a partner application'),
              scope: parameter('<App ID URI>/.default (client credentials) or delegated scopes (on-behalf-of)'),
              client_id: parameter('client_secret_post / private_key_jwt'),
              client_secret: parameter('client_secret_post'),
              client_assertion_type: parameter('urn:ietf:params:oauth:client-assertion-type:jwt-bearer'),
              client_assertion: parameter('private_key_jwt assertion (RFC 7523)'),
              assertion: parameter('on-behalf-of: a user token issued by this service to the calling client'),
              requested_token_use: parameter('on_behalf_of'),
              upn: parameter('act-as clients: the user, by UPN'),
              smtp: parameter('act-as clients: the user, by SMTP address'),
              sip: parameter('act-as clients: the user, by SIP address'),
              sid: parameter('act-as clients: the user, by Windows SID'),
            },
          },
        },
      },
    },
    responses: {
      '200': {
        description: 'RFC 6749 5.1 token response (`Cache-Control: no-store`)',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['access_token', 'token_type', 'expires_in'],
              properties: { access_token: { type: 'string' }, token_type: { type: 'string', enum: ['Bearer'] }, expires_in: { type: 'integer' }, scope: { type: 'string' } },
            },
          },
        },
      },
      '400': OAUTH_ERROR_OPENAPI_RESPONSE,
      '401': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'invalid_client, with `WWW-Authenticate: Basic`' },
      '413': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'invalid_request: the body is larger than BODY_LIMIT_BYTES' },
      '429': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'temporarily_unavailable after repeated failed authentications, with `Retry-After`' },
      '500': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'server_error (e.g. the certificate does not name the client realm)' },
      '503': { ...OAUTH_ERROR_OPENAPI_RESPONSE, description: 'temporarily_unavailable (no signing certificate, database unreachable for too long, shutting down)' },
    },
  },
};
