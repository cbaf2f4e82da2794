import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/*
 * The HTTP concerns every request shares, whichever route answers it: the token endpoint, which
 * reads its own body (fastify-route.ts), or the Nest controllers with the server's body parsers
 * (server.factory.ts). The request id rule, the body limit and its UTF-8 decoding, the
 * content-type and charset rule, the refusal while shutting down, and the "request completed"
 * observation (HTTP metrics and the log line) are written once, here, so the two paths cannot
 * drift apart.
 */

// ---------------------------------------------------------------------------------------------
// Request id
// ---------------------------------------------------------------------------------------------

/** A request id we accept from a caller (e.g. a proxy) instead of making one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's `X-Request-Id` when it is a plain token of at most 64 characters, else a new UUID. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const offered = headers['x-request-id'];
  return typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
}

// ---------------------------------------------------------------------------------------------
// Content type and charset
// ---------------------------------------------------------------------------------------------

/** The media type of a `Content-Type` header, lower-cased, without parameters; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  if (!contentType) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * The `charset` parameters of a `Content-Type` header (RFC 9110 8.3.2), lower-cased and unquoted,
 * in order; empty when there is none. Parameter names are case-insensitive (RFC 9110 5.6.6).
 */
export function charsetsOf(contentType: string | undefined): string[] {
  const charsets: string[] = [];
  if (!contentType || contentType.indexOf(';') < 0) return charsets;
  const parameters = contentType.split(';');
  for (let i = 1; i < parameters.length; i++) {
    const parameter = parameters[i]!;
    const equals = parameter.indexOf('=');
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    let value = parameter.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    charsets.push(value.toLowerCase());
  }
  return charsets;
}

/** What {@link contentTypeVerdict} found. */
export type ContentTypeVerdict = 'accepted' | 'other_media_type' | 'charset_not_utf8';

/**
 * The content-type rule of every body this service reads (JSON on the admin API, forms on the
 * OAuth endpoints): the media type must be `mediaType`, and text is UTF-8 only, so `charset` must
 * be absent or `utf-8` (any letter case; RFC 8259 8.1 for JSON; RFC 6749 appendix B for forms).
 */
export function contentTypeVerdict(contentType: string | undefined, mediaType: string): ContentTypeVerdict {
  if (mediaTypeOf(contentType) !== mediaType) return 'other_media_type';
  for (const charset of charsetsOf(contentType)) if (charset !== 'utf-8') return 'charset_not_utf8';
  return 'accepted';
}

// ---------------------------------------------------------------------------------------------
// Body: limit and UTF-8
// ---------------------------------------------------------------------------------------------

/** The body exceeded the configured limit (`BODY_LIMIT_BYTES`). `statusCode` for the admin error filter. */
export class BodyTooLargeError extends Error {
  readonly statusCode = 413;

  constructor(readonly limitBytes: number) {
    super('the request body is too large');
  }
}

/** The body's bytes are not valid UTF-8 (never replaced by U+FFFD). `statusCode` for the admin error filter. */
export class BodyNotUtf8Error extends Error {
  readonly statusCode = 400;

  constructor() {
    super('the request body is not valid UTF-8');
  }
}

/** A `charset` other than UTF-8 (admin API: 415 `unsupported_media_type`). */
export class UnsupportedCharsetError extends Error {
  readonly statusCode = 415;

  constructor() {
    super('unsupported charset: send UTF-8 (charset=utf-8 or no charset)');
  }
}

/**
 * `bytes` as UTF-8 text: invalid bytes (overlong forms, surrogates, truncated sequences) throw
 * instead of becoming U+FFFD; a BOM is kept (and then refused by the parsers). Validated by
 * `isUtf8` (simdutf) and then decoded by `Buffer#toString`, which cannot meet an invalid sequence
 * any more: on the token endpoint's hot path this is cheaper than a fatal `TextDecoder`.
 *
 * @throws BodyNotUtf8Error on any invalid sequence.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) throw new BodyNotUtf8Error();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Reads the whole body as UTF-8 text, refusing more than `limitBytes`: at once when
 * `Content-Length` says so, else as soon as the bytes received exceed it (the rest is drained; the
 * answer should close the connection). Rejects with {@link BodyTooLargeError},
 * {@link BodyNotUtf8Error}, or the stream's error when the client goes away mid-body.
 */
export function readBodyText(request: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limitBytes) {
        request.off('data', onData);
        request.off('end', onEnd);
        request.resume(); // drain the rest; the response closes the connection
        reject(new BodyTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      try {
        resolve(decodeUtf8(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)));
      } catch (error) {
        reject(error);
      }
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}

/** A percent-escape of a byte ≥ 0x80: only these can make the decoded text invalid UTF-8. */
const NON_ASCII_ESCAPE = /%[89a-fA-F][0-9a-fA-F]/;
/** A `%` that starts no escape: kept literally by form decoding (WHATWG URL), so escaped before decodeURIComponent. */
const LONE_PERCENT = /%(?![0-9a-fA-F]{2})/g;

/**
 * Whether the percent-escapes of a form body decode to valid UTF-8. Form decoding (URLSearchParams)
 * would silently turn `%FF` into U+FFFD; the OAuth endpoints refuse such a form instead.
 */
export function formEscapesAreUtf8(text: string): boolean {
  if (!NON_ASCII_ESCAPE.test(text)) return true;
  try {
    decodeURIComponent(text.replace(LONE_PERCENT, '%25'));
    return true;
  } catch {
    return false;
  }
}

/** Why a form body was refused before any endpoint looked at it: RFC 6749 5.2 text and a reason code. */
export interface FormRefusal {
  status: 400 | 413;
  description: string;
  reason: 'content_type_not_form' | 'charset_not_utf8' | 'body_too_large' | 'body_not_utf8';
}

const FORM = 'application/x-www-form-urlencoded';

const FORM_REFUSALS = {
  content_type_not_form: { status: 400, description: 'the body must be application/x-www-form-urlencoded', reason: 'content_type_not_form' },
  charset_not_utf8: { status: 400, description: 'the form must be UTF-8: send charset=utf-8 or no charset', reason: 'charset_not_utf8' },
  body_too_large: { status: 413, description: 'the request body is too large', reason: 'body_too_large' },
  body_not_utf8: { status: 400, description: 'the form is not valid UTF-8', reason: 'body_not_utf8' },
} as const satisfies Record<FormRefusal['reason'], FormRefusal>;

/** A form body refused by {@link readFormText}. `statusCode` for the admin error filter. */
export class FormRefusedError extends Error {
  readonly statusCode: number;

  constructor(readonly refusal: FormRefusal) {
    super(refusal.description);
    this.statusCode = refusal.status;
  }
}

/**
 * The body of an OAuth endpoint request (RFC 6749 3.2): an `application/x-www-form-urlencoded`
 * form in UTF-8 of at most `limitBytes`, as text. Checks the content type before reading anything.
 *
 * @throws FormRefusedError (content type, charset, size, UTF-8), or the stream's error.
 */
export async function readFormText(request: IncomingMessage, limitBytes: number): Promise<string> {
  const verdict = contentTypeVerdict(request.headers['content-type'], FORM);
  if (verdict !== 'accepted') throw new FormRefusedError(verdict === 'charset_not_utf8' ? FORM_REFUSALS.charset_not_utf8 : FORM_REFUSALS.content_type_not_form);
  let text: string;
  try {
    text = await readBodyText(request, limitBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new FormRefusedError(FORM_REFUSALS.body_too_large);
    if (error instanceof BodyNotUtf8Error) throw new FormRefusedError(FORM_REFUSALS.body_not_utf8);
    throw error;
  }
  if (!formEscapesAreUtf8(text)) throw new FormRefusedError(FORM_REFUSALS.body_not_utf8);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Shutting down
// ---------------------------------------------------------------------------------------------

/** What every refused request is told once graceful shutdown has begun (with 503 and `Connection: close`). */
export const SHUTTING_DOWN_MESSAGE = 'the server is shutting down; retry later';

/** Set once graceful shutdown begins; shared by every path that answers requests. */
export class ServerLifecycle {
  closing = false;
}

// ---------------------------------------------------------------------------------------------
// Observation: HTTP metrics and the request log
// ---------------------------------------------------------------------------------------------

/** Where HTTP metrics go (`MetricsRegistry.observeHttp`). */
export interface HttpMetricsSink {
  observeHttp(method: string, route: string, status: number, seconds: number): void;
}

/** The request log (pino). */
export interface RequestLogSink {
  isLevelEnabled(level: string): boolean;
  info(fields: object, message: string): void;
}

/**
 * Observes every answered request the same way on both paths: `s2s_http_requests_total` and
 * `s2s_http_request_duration_seconds` by method, route template and status, and at
 * `LOG_LEVEL=info` one `request completed` line (Fastify's field names: `reqId`, `req`, `res`,
 * `responseTime` in ms). Fastify's own per-request lines are switched off (server.factory.ts), so
 * every request has exactly this one line.
 */
export class HttpExchangeObserver {
  constructor(
    private readonly metrics: HttpMetricsSink,
    private readonly log: RequestLogSink,
  ) {}

  completed(request: IncomingMessage, route: string, status: number, requestId: string, seconds: number): void {
    this.metrics.observeHttp(request.method ?? '', route, status, seconds);
    if (this.log.isLevelEnabled('info')) {
      this.log.info({ reqId: requestId, req: { method: request.method, url: request.url, remoteAddress: request.socket.remoteAddress }, res: { statusCode: status }, responseTime: seconds * 1000 }, 'request completed');
    }
  }
}
