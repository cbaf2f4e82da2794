import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { CliError, errorMessage } from './cli-errors.js';

/**
 * The one place where s2sctl opens HTTP(S) connections: the admin API client and the OAuth token
 * client both send through {@link sendHttpRequest}, so they share TLS verification (always on;
 * `--ca-file` only adds trust anchors), the timeout, and the wording of connection failures.
 */

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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Default time to wait for a response. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Trust anchors from {@link trustAnchors}; `undefined` = Node's bundled roots only. */
  readonly ca?: readonly (string | Buffer)[];
  readonly timeoutMs?: number;
  /** The server as the user named it (`--server`), for error messages. */
  readonly server: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusMessage: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * The CA list to pass to {@link sendHttpRequest} for an extra `--ca-file` certificate. `ca`
 * replaces Node's default roots, so they are kept: a publicly issued certificate must still verify
 * when --ca-file is given for some other reason.
 */
export function trustAnchors(ca: string | Buffer | undefined): (string | Buffer)[] | undefined {
  return ca === undefined ? undefined : [...rootCertificates, ca];
}

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
 * Sends one request and resolves with whatever HTTP response came back, any status; rejects only
 * with {@link ServerUnreachableError} when there was none. Interpreting the status and body is the
 * caller's business (the admin API and the token endpoint word their errors differently).
 */
export function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = { 'User-Agent': 's2sctl', ...request.headers };
  if (request.body) headers['Content-Length'] = String(request.body.length);
  const requestOptions: RequestOptions & { ca?: (string | Buffer)[] } = {
    method: request.method,
    headers,
    // One short-lived connection per request: a pooled keep-alive socket would hold the CLI
    // process open after the command is done.
    agent: false,
    ...(request.url.protocol === 'https:' && request.ca ? { ca: [...request.ca] } : {}),
  };
  const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const unreachable = (error: unknown): ServerUnreachableError => describeUnreachable(error, request.server, request.ca !== undefined);

  return new Promise<HttpResponse>((resolvePromise, rejectPromise) => {
    const req = send(request.url, requestOptions, (res) => {
      readBody(res).then(
        (body) => resolvePromise({ status: res.statusCode ?? 0, statusMessage: res.statusMessage, headers: res.headers, body }),
        (error: unknown) => rejectPromise(unreachable(error)),
      );
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy(Object.assign(new Error(`no response within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (error) => rejectPromise(unreachable(error)));
    req.end(request.body);
  });
}

/** Parses a body as JSON; `undefined` when it is empty or not JSON. */
export function parseJsonBody(body: Buffer): { readonly json: unknown; readonly isJson: boolean; readonly empty: boolean } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { json: undefined, isJson: false, empty: true };
  try {
    return { json: JSON.parse(text), isJson: true, empty: false };
  } catch {
    return { json: undefined, isJson: false, empty: false };
  }
}

/** `502 Bad Gateway` or `HTTP 502`, for responses that are not in the expected shape. */
export function describeStatus(response: Pick<HttpResponse, 'status' | 'statusMessage'>): string {
  return response.statusMessage ? `${response.status} ${response.statusMessage}` : `HTTP ${response.status}`;
}

function describeUnreachable(error: unknown, server: string, withCa: boolean): ServerUnreachableError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = errorMessage(error);
  if (code && UNTRUSTED_CERT_CODES.has(code)) {
    const hint = withCa
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

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolvePromise, rejectPromise) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolvePromise(Buffer.concat(chunks)));
    res.on('error', rejectPromise);
    res.on('aborted', () => rejectPromise(new Error('connection closed before the response was complete')));
  });
}
