import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AdminErrorDto, FieldProblemDto } from '@s2s/http';
import { TOKEN_ENDPOINT_OPENAPI, TokenHttpRoute } from '@s2s/token-issuer';
import { INTROSPECTION_ENDPOINT_OPENAPI, IntrospectionHttpRoute, REVOCATION_ENDPOINT_OPENAPI, TokenRevocationHttpRoute } from '@s2s/validation';

/**
 * The OpenAPI document, generated from the controllers and DTOs, at `/docs/openapi.json`, with the
 * Swagger UI at `/docs`. Both are public: they describe the API, they grant nothing.
 */
export function setUpOpenApi(app: INestApplication, publicUrl: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('s2s-trust')
      .setDescription(
        'Server-to-server OAuth trust service. The admin API (`/admin/v1`) needs `Authorization: Bearer <admin API key>`; ' +
          'errors are `{code, message, details?, requestId}`. ' +
          'Text rules for every string the API accepts (bodies, object keys, query and path parameters): well-formed UTF-16 (no unpaired surrogates) ' +
          'and no control characters (U+0000-U+001F, U+007F); fields marked "Multi-line text" also accept tab, line feed and carriage return. ' +
          '`null` is accepted only where a field is `nullable` (it clears the field); elsewhere it is refused. ' +
          'Every refusal is a 422 `validation_failed` whose `details` name the field.',
      )
      .setVersion('1')
      .addServer(publicUrl)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Admin API key (s2sk.…)' })
      .build(),
    { extraModels: [AdminErrorDto, FieldProblemDto] },
  );
  // The OAuth endpoints are Fastify routes (server.factory.ts), not controllers Swagger can read.
  document.paths[app.get(TokenHttpRoute).path] = TOKEN_ENDPOINT_OPENAPI;
  document.paths[app.get(IntrospectionHttpRoute).path] = INTROSPECTION_ENDPOINT_OPENAPI;
  document.paths[app.get(TokenRevocationHttpRoute).path] = REVOCATION_ENDPOINT_OPENAPI;
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
