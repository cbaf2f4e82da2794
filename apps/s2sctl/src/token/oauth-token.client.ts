import { CliError } from '../common/cli-errors.js';
import { describeStatus, parseJsonBody, sendHttpRequest, trustAnchors, type HttpResponse } from '../common/https.transport.js';
import {
  AUTHORIZATION_SERVER_METADATA_PATH,
  TOKEN_ENDPOINT_PATH,
  type AuthorizationServerMetadata,
  type OAuthErrorBody,
  type TokenResponse,
} from './token.dto.js';

/**
 * The token endpoint refused the request (RFC 6749 section 5.2). Printed as
 * `<error>: <error_description> (HTTP <status>)`.
 */
export class OAuthTokenError extends CliError {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super(description ? `${error}: ${description}` : error, 1);
    this.name = 'OAuthTokenError';
  }

  override describe(): string {
    return `${this.message} (HTTP ${this.status})`;
  }
}

export interface OAuthTokenClientOptions {
  /** Server base URL without trailing slash (see `normaliseServerUrl`). */
  readonly baseUrl: string;
  /** Extra PEM CA certificate(s), trusted in addition to Node's bundled roots. */
  readonly ca?: string | Buffer;
  readonly timeoutMs?: number;
}

/**
 * Client of the server's public OAuth endpoints, over the same TLS settings as the admin client
 * (`--server`, `--ca-file`) but never with the admin key: these endpoints authenticate the OAuth
 * client itself.
 */
export class OAuthTokenClient {
  private readonly ca: (string | Buffer)[] | undefined;

  constructor(private readonly options: OAuthTokenClientOptions) {
    this.ca = trustAnchors(options.ca);
  }

  /** `GET /.well-known/oauth-authorization-server` (RFC 8414 section 3); needs a string `issuer`. */
  async discover(): Promise<AuthorizationServerMetadata> {
    const response = await sendHttpRequest({
      method: 'GET',
      url: this.urlFor(AUTHORIZATION_SERVER_METADATA_PATH),
      headers: { Accept: 'application/json' },
      ca: this.ca,
      timeoutMs: this.options.timeoutMs,
      server: this.options.baseUrl,
    });
    const { json, isJson } = parseJsonBody(response.body);
    const where = `${this.options.baseUrl}${AUTHORIZATION_SERVER_METADATA_PATH}`;
    if (response.status !== 200) throw new CliError(`cannot read the authorization server metadata at ${where}: ${describeStatus(response)}`);
    const issuer = isJson && typeof json === 'object' && json !== null ? (json as { issuer?: unknown }).issuer : undefined;
    if (typeof issuer !== 'string' || issuer === '') throw new CliError(`the authorization server metadata at ${where} has no issuer`);
    return json as AuthorizationServerMetadata;
  }

  /**
   * `POST /oauth2/token` with a form body and, for `client_secret_basic`, the Authorization header.
   *
   * @throws OAuthTokenError for an RFC 6749 error response; CliError for anything else unexpected.
   */
  async requestToken(form: URLSearchParams, authorization?: string): Promise<TokenResponse> {
    const response = await sendHttpRequest({
      method: 'POST',
      url: this.urlFor(TOKEN_ENDPOINT_PATH),
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(authorization === undefined ? {} : { Authorization: authorization }),
      },
      body: Buffer.from(form.toString(), 'utf8'),
      ca: this.ca,
      timeoutMs: this.options.timeoutMs,
      server: this.options.baseUrl,
    });
    return this.interpret(response);
  }

  private interpret(response: HttpResponse): TokenResponse {
    const { json, isJson } = parseJsonBody(response.body);
    const where = `${this.options.baseUrl}${TOKEN_ENDPOINT_PATH}`;
    if (response.status >= 200 && response.status < 300) {
      const token = isJson ? (json as { access_token?: unknown } | null)?.access_token : undefined;
      if (typeof token !== 'string' || token === '') throw new CliError(`the token endpoint ${where} answered ${describeStatus(response)} without an access_token`);
      return json as TokenResponse;
    }
    if (isJson && isOAuthErrorBody(json)) {
      throw new OAuthTokenError(response.status, json.error, typeof json.error_description === 'string' ? json.error_description : undefined);
    }
    // Not an RFC 6749 error: a proxy, a wrong --server, or a server without a token endpoint.
    throw new CliError(`unexpected response from ${where}: ${describeStatus(response)}`);
  }

  private urlFor(path: string): URL {
    const url = new URL(this.options.baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    return url;
  }
}

function isOAuthErrorBody(value: unknown): value is OAuthErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'string';
}
