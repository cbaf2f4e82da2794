import { CliError } from './cli-errors.js';
import { describeStatus, parseJsonBody, sendHttpRequest, trustAnchors, type HttpMethod, type HttpResponse } from './https.transport.js';

export { ServerUnreachableError, type HttpMethod } from './https.transport.js';

/** One entry of an API error's `details` (usually a field validation failure). */
export interface AdminApiErrorDetail {
  readonly field?: string;
  readonly message: string;
}

/**
 * The admin API answered with a non-2xx status. Printed as
 * `<message>[: field: msg; ...] (<code>, HTTP <status>)`.
 */
export class AdminApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly AdminApiErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message, 1);
    this.name = 'AdminApiError';
  }

  override describe(): string {
    const details = this.details
      .map((detail) => (detail.field ? `${detail.field}: ${detail.message}` : detail.message))
      .join('; ');
    // The server's message usually says it all already; add the details only when it does not.
    const named = details && !this.message.includes(details) && !this.details.every((detail) => this.message.includes(detail.message));
    return `${this.message}${named ? `: ${details}` : ''} (${this.code}, HTTP ${this.status})`;
  }
}

export type QueryValue = string | number | boolean | null | undefined;
/** Query parameters; `null`/`undefined` entries are left out, so optional filters can be passed as-is. */
export type QueryParams = Readonly<Record<string, QueryValue>>;

export interface AdminApiClientOptions {
  /** Server base URL without trailing slash (see `normaliseServerUrl`). */
  readonly baseUrl: string;
  readonly adminKey: string;
  /** Extra PEM CA certificate(s), trusted in addition to Node's bundled roots. */
  readonly ca?: string | Buffer;
  readonly timeoutMs?: number;
}

/** Path prefix of every admin endpoint; callers pass paths relative to it. */
export const ADMIN_API_PREFIX = '/admin/v1';

/**
 * Minimal JSON client for the admin REST API (`<server>/admin/v1/...`). Sends through
 * `sendHttpRequest` (`node:https`, because `fetch` cannot be given an extra CA). TLS verification
 * is always on; `ca` only adds trust anchors. Resolves with the parsed JSON body (`undefined` for an empty body) and
 * rejects with {@link AdminApiError} or {@link ServerUnreachableError}.
 */
export class AdminApiClient {
  private readonly base: URL;
  private readonly ca: (string | Buffer)[] | undefined;

  constructor(private readonly options: AdminApiClientOptions) {
    this.base = new URL(options.baseUrl);
    this.ca = trustAnchors(options.ca);
  }

  get<T>(path: string, query?: QueryParams): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body?: unknown, query?: QueryParams): Promise<T> {
    return this.request<T>('POST', path, body, query);
  }

  put<T>(path: string, body?: unknown, query?: QueryParams): Promise<T> {
    return this.request<T>('PUT', path, body, query);
  }

  patch<T>(path: string, body?: unknown, query?: QueryParams): Promise<T> {
    return this.request<T>('PATCH', path, body, query);
  }

  delete<T>(path: string, query?: QueryParams): Promise<T> {
    return this.request<T>('DELETE', path, undefined, query);
  }

  /** `path` is relative to `/admin/v1` and must already have its dynamic segments encoded. */
  async request<T>(method: HttpMethod, path: string, body?: unknown, query?: QueryParams): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.options.adminKey}`,
    };
    if (payload) headers['Content-Type'] = 'application/json';
    const response = await sendHttpRequest({
      method,
      url: this.urlFor(path, query),
      headers,
      body: payload,
      ca: this.ca,
      timeoutMs: this.options.timeoutMs,
      server: this.options.baseUrl,
    });
    return this.interpret<T>(response);
  }

  private urlFor(path: string, query: QueryParams | undefined): URL {
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${ADMIN_API_PREFIX}${path.startsWith('/') ? path : `/${path}`}`;
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
    }
    return url;
  }

  private interpret<T>(response: HttpResponse): T {
    const { status } = response;
    const { json, isJson, empty } = parseJsonBody(response.body);

    if (status >= 200 && status < 300) {
      if (empty) return undefined as T;
      if (!isJson) throw new AdminApiError(status, 'invalid_response', `the server at ${this.options.baseUrl} returned a response that is not JSON`);
      return json as T;
    }

    if (isJson && isErrorBody(json)) {
      const details = Array.isArray(json.details) ? json.details.filter(isDetail) : [];
      throw new AdminApiError(status, json.code, json.message, details, typeof json.requestId === 'string' ? json.requestId : undefined);
    }
    // Not the API's error shape: a proxy, a wrong --server, or a server bug.
    throw new AdminApiError(status, 'unexpected_response', `unexpected response from ${this.options.baseUrl}: ${describeStatus(response)}`);
  }
}

function isErrorBody(value: unknown): value is { code: string; message: string; details?: unknown; requestId?: unknown } {
  const body = value as { code?: unknown; message?: unknown } | null;
  return typeof body === 'object' && body !== null && typeof body.code === 'string' && typeof body.message === 'string';
}

function isDetail(value: unknown): value is AdminApiErrorDetail {
  const detail = value as { field?: unknown; message?: unknown } | null;
  return (
    typeof detail === 'object' &&
    detail !== null &&
    typeof detail.message === 'string' &&
    (detail.field === undefined || typeof detail.field === 'string')
  );
}
