/**
 * The minimal logger {@link resolveHttpsOptions} writes to (pino- and
 * Nest-logger-compatible shape). Fields carry paths, subjects, dates and
 * thumbprints only, never keys or passwords.
 */
export interface TlsLogger {
  /** Normal progress, e.g. which certificate is served. */
  info(msg: string, fields?: object): void;
  /** Something an operator should look at, e.g. a self-signed certificate in use. */
  warn(msg: string, fields?: object): void;
}
