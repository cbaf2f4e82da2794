import type { AdminErrorDto, ApiOperations, FieldProblemDto } from './admin-api.types';

/**
 * The console's one way to the server: the admin API (`/admin/v1`) on this origin, typed by the
 * types generated from the server's OpenAPI document (the same generator and document as s2sctl's,
 * `npm run generate:api-types`). Each call names its operation id; the method and the path
 * template must be the operation's, which the compiler checks against the generated contract.
 */
export type OperationId = keyof ApiOperations;
export type ResponseOf<K extends OperationId> = ApiOperations[K]['response'];
export type BodyOf<K extends OperationId> = ApiOperations[K]['requestBody'];

/** An error the API answered (`{code, message, details?, requestId}`), or a network failure (`code` = `network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly FieldProblemDto[] = [],
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

export interface CallOptions<K extends OperationId> {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: BodyOf<K>;
}

/** Called on every 401, so the session ends when the key stops working (revoked, expired). */
export type UnauthorizedListener = () => void;

export class AdminApiClient {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: UnauthorizedListener = () => undefined,
  ) {}

  async call<K extends OperationId>(_operation: K, method: ApiOperations[K]['method'], template: ApiOperations[K]['path'], options: CallOptions<K> = {}): Promise<ResponseOf<K>> {
    const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`missing path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined && value !== '') query.set(name, String(value));
    const url = query.size > 0 ? `${path}?${query.toString()}` : path;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.key}`, accept: 'application/json', ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        // Never a cookie, never a cached answer, never a referrer.
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch (error) {
      throw new ApiError(0, 'network_error', `The server could not be reached (${(error as Error).message}).`);
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      const body = (json ?? {}) as Partial<AdminErrorDto>;
      throw new ApiError(response.status, body.code ?? `http_${response.status}`, body.message ?? `HTTP ${response.status}`, body.details ?? [], body.requestId ?? response.headers.get('x-request-id'));
    }
    return json as ResponseOf<K>;
  }
}

/** The key's id: admin keys look like `s2sk.<id>.<secret>`. */
export function keyIdOf(key: string): string | null {
  const match = /^s2sk\.([^.]+)\.[^.]+$/.exec(key.trim());
  return match ? match[1]! : null;
}
