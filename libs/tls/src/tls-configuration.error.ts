/**
 * A TLS misconfiguration that must stop the server from starting (unreadable
 * or mismatched files, expired certificate, wrong PFX password, conflicting
 * settings). The message names the offending environment variable(s) and
 * file paths, never key material or passwords.
 */
export class TlsConfigurationError extends Error {
  /** Creates the error; `cause` keeps the underlying fs/OpenSSL error for diagnostics. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TlsConfigurationError';
  }
}
