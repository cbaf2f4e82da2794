/** A request refused by the resource-server guard: 401 (no or invalid token) or 403 (insufficient scope/role). */
export class BearerTokenError extends Error {
  constructor(
    readonly status: 401 | 403,
    /** RFC 6750 3.1 error code; null when no token was sent at all. */
    readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | null,
    /** The validator's reason code (machine-readable diagnostics). */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'BearerTokenError';
  }
}
