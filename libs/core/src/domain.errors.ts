/** One rejected field of an input, named as the API names it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Base of the errors domain services throw. Services never throw HTTP exceptions (STYLE habit 5):
 * the transport maps each subclass to a status and a stable `code`.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details?: FieldProblem[];

  constructor(message: string, details?: FieldProblem[]) {
    super(message);
    this.name = new.target.name;
    if (details?.length) this.details = details;
  }
}

/** The input is well-formed but breaks a rule (422 on the admin API). */
export class InvalidInputError extends DomainError {
  readonly code: string;

  /** `code` names the broken rule when clients need to tell rules apart (e.g. `certificate_expired`). */
  constructor(message: string, details?: FieldProblem[], code = 'validation_failed') {
    super(message, details);
    this.code = code;
  }

  /** Convenience for one rejected field. */
  static forField(field: string, message: string): InvalidInputError {
    return new InvalidInputError(`${field}: ${message}`, [{ field, message }]);
  }
}

/** The named thing does not exist (404). */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

/** The change conflicts with the current state (409). */
export class ConflictError extends DomainError {
  readonly code: string;
  constructor(message: string, code = 'conflict', details?: FieldProblem[]) {
    super(message, details);
    this.code = code;
  }
}

/** A dependency (the database) is unavailable; the caller may retry later (503). */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'service_unavailable';
}

/** No valid credential was presented (401). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'unauthorized';
}

/** The credential is valid but may not do this (403). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** The request itself is malformed: not JSON, duplicate keys, wrong shape (400). */
export class MalformedRequestError extends DomainError {
  readonly code = 'bad_request';
}
