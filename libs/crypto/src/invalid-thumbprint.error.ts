/**
 * Thrown by {@link normalizeThumbprint} when the input is not a SHA-1 (40 hex
 * digits) or SHA-256 (64 hex digits) certificate thumbprint.
 */
export class InvalidThumbprintError extends Error {
  /** Creates the error; `message` says what is wrong with the input. */
  constructor(message: string) {
    super(message);
    this.name = 'InvalidThumbprintError';
  }
}
