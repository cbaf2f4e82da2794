/**
 * A configuration variable has a bad value. The message names the variable; the server prints it
 * and stops (SPEC 3).
 */
export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable} ${reason}`);
    this.name = 'ConfigurationError';
  }
}
