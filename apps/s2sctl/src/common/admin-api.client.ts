import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { CliError, errorMessage } from './cli-errors.js';

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

/** The request never got an HTTP response (connection refused, DNS, TLS verification, timeout). */
export class ServerUnreachableError extends CliError {
  constructor(
    message: string,
    readonly causeCode: string | undefined,
  ) {
    super(message, 1);
    this.name = 'ServerUnreachableError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;
/** Query parameters; `null`/`undefined` entries are left out, so optional filters can be passed as-is. */
export type QueryParams = Readonly<Record<string, QueryValue>>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

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
const DEFAULT_TIMEOUT_MS = 30_000;

/** Certificate chain could not be tied to a trusted root: the fix is `--ca-file`. */
const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);
/** Other verification failures, where a different CA would not help. */
const INVALID_CERT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Minimal JSON client for the admin REST API (`<server>/admin/v1/...`). Uses `node:https`
 * directly because `fetch` cannot be given an extra CA. TLS verification is always on; `ca` only
 * adds trust anchors. Resolves with the parsed JSON body (`undefined` for an empty body) and
 * rejects with {@link AdminApiError} or {@link ServerUnreachableError}.
 */
export class AdminApiClient {
  private readonly base: URL;
  private readonly ca: (string | Buffer)[] | undefined;

  constructor(private readonly options: AdminApiClientOptions) {
    this.base = new URL(options.baseUrl);
    // `ca` replaces Node's default roots, so keep them: a publicly issued certificate must still
    // verify when --ca-file is given for some other reason.
    this.ca = options.ca === undefined ? undefined : [...rootCertificates, options.ca];
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
  request<T>(method: HttpMethod, path: string, body?: unknown, query?: QueryParams): Promise<T> {
    const url = this.urlFor(path, query);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.options.adminKey}`,
      'User-Agent': 's2sctl',
    };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const requestOptions: RequestOptions & { ca?: (string | Buffer)[] } = {
      method,
      headers,
      // One short-lived connection per request: a pooled keep-alive socket would hold the CLI
      // process open after the command is done.
      agent: false,
      ...(url.protocol === 'https:' && this.ca ? { ca: this.ca } : {}),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    return new Promise<T>((resolvePromise, rejectPromise) => {
      const req = send(url, requestOptions, (res) => {
        readBody(res).then(
          (raw) => {
            try {
              resolvePromise(this.interpret<T>(res, raw));
            } catch (error) {
              rejectPromise(error);
            }
          },
          (error: unknown) => rejectPromise(this.unreachable(error)),
        );
      });
      req.setTimeout(timeoutMs, () => {
        req.destroy(Object.assign(new Error(`no response within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (error) => rejectPromise(this.unreachable(error)));
      req.end(payload);
    });
  }

  private urlFor(path: string, query: QueryParams | undefined): URL {
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${ADMIN_API_PREFIX}${path.startsWith('/') ? path : `/${path}`}`;
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
    }
    return url;
  }

  private interpret<T>(res: IncomingMessage, raw: Buffer): T {
    const status = res.statusCode ?? 0;
    const text = raw.toString('utf8');
    let json: unknown;
    let isJson = false;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
        isJson = true;
      } catch {
        isJson = false;
      }
    }

    if (status >= 200 && status < 300) {
      if (text.trim() === '') return undefined as T;
      if (!isJson) throw new AdminApiError(status, 'invalid_response', `the server at ${this.options.baseUrl} returned a response that is not JSON`);
      return json as T;
    }

    if (isJson && isErrorBody(json)) {
      const details = Array.isArray(json.details) ? json.details.filter(isDetail) : [];
      throw new AdminApiError(status, json.code, json.message, details, typeof json.requestId === 'string' ? json.requestId : undefined);
    }
    // Not the API's error shape: a proxy, a wrong --server, or a server bug.
    const reason = res.statusMessage ? `${status} ${res.statusMessage}` : `HTTP ${status}`;
    throw new AdminApiError(status, 'unexpected_response', `unexpected response from ${this.options.baseUrl}: ${reason}`);
  }

  private unreachable(error: unknown): ServerUnreachableError {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason = errorMessage(error);
    const server = this.options.baseUrl;
    if (code && UNTRUSTED_CERT_CODES.has(code)) {
      const hint = this.ca
        ? 'check that --ca-file holds the CA certificate that issued the server certificate'
        : "pass --ca-file <pem> with the server's CA certificate (for a self-signed server, its certificate)";
      return new ServerUnreachableError(`cannot verify the TLS certificate of ${server}: ${reason} (${code}); ${hint}`, code);
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return new ServerUnreachableError(`cannot verify the TLS certificate of ${server}: ${reason}; use a --server host name that the certificate lists`, code);
    }
    if (code && INVALID_CERT_CODES.has(code)) {
      return new ServerUnreachableError(`the TLS certificate of ${server} is not valid: ${reason} (${code})`, code);
    }
    return new ServerUnreachableError(`cannot reach ${server}: ${reason}`, code);
  }
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolvePromise, rejectPromise) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolvePromise(Buffer.concat(chunks)));
    res.on('error', rejectPromise);
    res.on('aborted', () => rejectPromise(new Error('connection closed before the response was complete')));
  });
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
