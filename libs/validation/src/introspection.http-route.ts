import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import type { JsonAnswer, JsonRoute, RouteContext } from '@s2s/http';
import { PUBLISHED_PATHS } from '@s2s/metadata';
import { answerOAuthEndpointError, ClientAuthenticationService, type ClientCredentialsEndpoint, InvalidRequestError, noStoreHeaders, readAuthenticatedForm } from '@s2s/oauth-wire';
import { clientCredentialsEndpoint } from './client-credentials.endpoint.js';
import { introspectionResponse } from './introspection.response.js';
import type { ValidatedToken } from './token-validation.js';
import { TokenValidator } from './token.validator.js';

const INACTIVE = JSON.stringify({ active: false });

/**
 * `POST /oauth2/introspect` (RFC 7662; SPEC 5.6), on the token endpoint's lean path: a Fastify
 * route (`serveOnFastify`, {@link JsonRoute}) without Nest's per-request machinery (no controller,
 * guards, pipes or filters), reading its own body under the shared form rules (POST only, UTF-8
 * form, `BODY_LIMIT_BYTES`), `Cache-Control: no-store` on every answer, errors in the RFC 6749 5.2
 * shape. The caller authenticates as a registered client exactly as at the token endpoint, with
 * the same service and back-off record ({@link ClientAuthenticationService}): secrets guessed
 * here count there and the other way round, and a caller backed off at one is answered 429
 * `temporarily_unavailable` with `Retry-After` at both (security catalogue G01). An invalid token
 * is simply `{"active": false}`, the reason going to the log only; so does the reason of a refused
 * request. Valid verdicts come from the verified-token cache when it holds them.
 */
@Injectable()
export class IntrospectionHttpRoute implements JsonRoute {
  readonly path = PUBLISHED_PATHS.introspection;
  private readonly logger = new Logger('Introspection');
  private readonly endpoint: ClientCredentialsEndpoint;
  /** The answer text of each verdict, made once: a verdict from the verified-token cache is answered again as it was. */
  private readonly answers = new WeakMap<ValidatedToken, string>();

  constructor(
    private readonly validator: TokenValidator,
    private readonly authentication: ClientAuthenticationService,
    config: AppConfig,
  ) {
    this.endpoint = clientCredentialsEndpoint(config, 'introspect', this.logger, 'introspection request refused');
  }

  answer(request: IncomingMessage, context: RouteContext): Promise<JsonAnswer | null> {
    return this.introspect(request, context).then(
      (json): JsonAnswer => ({ status: 200, headers: noStoreHeaders(context.requestId), json }),
      (error: unknown) => answerOAuthEndpointError(request, error, context.requestId, this.logger),
    );
  }

  private async introspect(request: IncomingMessage, context: RouteContext): Promise<string> {
    const { parameters } = await readAuthenticatedForm(request, context, this.endpoint, this.authentication);
    const token = parameters.get('token');
    if (token === undefined) throw new InvalidRequestError('token is required', 'token_missing');
    const outcome = await this.validator.validate(token);
    if (!outcome.valid) {
      this.logger.log({ requestId: context.requestId, reason: outcome.reason }, 'introspected token is not active');
      return INACTIVE;
    }
    let answer = this.answers.get(outcome.token);
    if (answer === undefined) {
      answer = JSON.stringify(introspectionResponse(outcome.token));
      this.answers.set(outcome.token, answer);
    }
    return answer;
  }
}
