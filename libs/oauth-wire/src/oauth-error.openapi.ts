/** The OpenAPI response object of an RFC 6749 5.2 error, for the OAuth endpoints' hand-written path items (Fastify routes, no Nest controller for Swagger to read). */
export const OAUTH_ERROR_OPENAPI_RESPONSE = {
  description: 'RFC 6749 5.2 error (`Cache-Control: no-store`)',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error', 'error_description'],
        properties: { error: { type: 'string', example: 'invalid_request' }, error_description: { type: 'string' } },
      },
    },
  },
};
