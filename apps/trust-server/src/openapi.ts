import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AdminErrorDto, FieldProblemDto } from '@s2s/http';
import { TOKEN_ENDPOINT_OPENAPI, TokenHttpRoute } from '@s2s/token-issuer';

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
          'errors are `{code, message, details?, requestId}`.',
      )
      .setVersion('1')
      .addServer(publicUrl)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Admin API key (s2sk.…)' })
      .build(),
    { extraModels: [AdminErrorDto, FieldProblemDto] },
  );
  // The token endpoint is a direct route (server.factory.ts), not a controller Swagger can read.
  document.paths[app.get(TokenHttpRoute).path] = TOKEN_ENDPOINT_OPENAPI;
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
