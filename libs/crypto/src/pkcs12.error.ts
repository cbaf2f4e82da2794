/**
 * Thrown by {@link readPkcs12} when a PFX cannot be used. Messages are fixed
 * strings: they never contain the password or key material.
 */
export class Pkcs12Error extends Error {
  /** Creates the error; `message` says what is wrong with the PFX. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'Pkcs12Error';
  }
}
