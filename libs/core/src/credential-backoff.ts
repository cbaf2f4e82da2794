import { DomainError } from './domain.errors.js';

/** What a failed authentication is counted against: a client id, an admin key id, or the caller's address. */
export type BackoffSubject = { kind: 'client'; clientId: string } | { kind: 'admin-key'; keyId: string } | { kind: 'address'; address: string };

/** Where credentials are checked: the label of the back-off's metrics. */
export type CredentialEndpoint = 'token' | 'introspect' | 'revoke' | 'admin';

/**
 * The back-off after failed authentication, as a port: the rule lives in `@s2s/oauth-wire`
 * (`AuthenticationBackoff`, shared between instances through the database); the admin guard, which
 * may not depend on the OAuth libraries, reaches the same instance through this class.
 */
export abstract class CredentialBackoff {
  /** Seconds the subject must wait before trying again, or 0 (memory only). */
  abstract retryAfterSeconds(subject: BackoffSubject): number;
  /** Counts a failure at `endpoint` (shared with every instance before it resolves). */
  abstract recordFailure(subject: BackoffSubject, endpoint: CredentialEndpoint): Promise<void>;
  /** Counts a request refused (429) at `endpoint` while `subject` waits (metrics only). */
  abstract recordRefusal(subject: BackoffSubject, endpoint: CredentialEndpoint): void;
  abstract recordSuccess(subject: BackoffSubject): void;
}

/** Too many failed authentications: retry after `retryAfterSeconds` (429 with `Retry-After`). */
export class TooManyAttemptsError extends DomainError {
  readonly code = 'too_many_requests';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
