/**
 * OAuth 2.0 token endpoint errors (RFC 6749 5.2, RFC 8707 2), one class per error code, after
 * oidc-provider's `errors.js`. `description` is public; `reason` is the private, specific cause
 * that goes to the log and to metrics (STYLE habit 6): authentication failures all answer with the
 * same public text.
 */
export abstract class OAuthError extends Error {
  abstract readonly error: string;
  abstract readonly status: number;

  constructor(
    readonly description: string,
    readonly reason: string,
  ) {
    super(description);
    this.name = new.target.name;
  }
}

/** 400: a parameter is missing, repeated, malformed, or the request is otherwise broken. */
export class InvalidRequestError extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 400;
}

/** 401 with `WWW-Authenticate`: client authentication failed (one public text for every cause). */
export class InvalidClientError extends OAuthError {
  readonly error = 'invalid_client';
  readonly status = 401;

  constructor(reason: string) {
    super('client authentication failed', reason);
  }
}

/** 400: the grant (assertion) is invalid, expired, not for this client, or unsigned. */
export class InvalidGrantError extends OAuthError {
  readonly error = 'invalid_grant';
  readonly status = 400;
}

/** 400: the authenticated client may not use this grant type or act as users. */
export class UnauthorizedClientError extends OAuthError {
  readonly error = 'unauthorized_client';
  readonly status = 400;
}

/** 400: `grant_type` is not one this server supports. */
export class UnsupportedGrantTypeError extends OAuthError {
  readonly error = 'unsupported_grant_type';
  readonly status = 400;
}

/** 400: the scope is unknown, malformed, or not granted. */
export class InvalidScopeError extends OAuthError {
  readonly error = 'invalid_scope';
  readonly status = 400;
}

/** 400 (RFC 8707 2): the `resource` is not a registered target. */
export class InvalidTargetError extends OAuthError {
  readonly error = 'invalid_target';
  readonly status = 400;
}

/** 500: the server cannot issue a correct token (e.g. its certificate does not name the realm). */
export class ServerError extends OAuthError {
  readonly error = 'server_error';
  readonly status = 500;
}

/** 503 (or 429 with `Retry-After`): try again later. */
export class TemporarilyUnavailableError extends OAuthError {
  readonly error = 'temporarily_unavailable';

  constructor(
    description: string,
    reason: string,
    readonly status = 503,
    readonly retryAfterSeconds?: number,
  ) {
    super(description, reason);
  }
}

/** 413: the form is larger than `BODY_LIMIT_BYTES` (RFC 6749 5.2 shape, `invalid_request`). */
export class RequestTooLargeError extends OAuthError {
  readonly error = 'invalid_request';
  readonly status = 413;

  constructor() {
    super('the request body is too large', 'body_too_large');
  }
}
