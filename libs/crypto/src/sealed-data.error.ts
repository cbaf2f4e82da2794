/**
 * Thrown by {@link openWithMasterKey} when a sealed value cannot be opened:
 * malformed string, wrong master key, wrong associated data, or tampered
 * IV / ciphertext / tag. The causes are deliberately not distinguished
 * (an attacker must not learn which part failed).
 */
export class SealedDataError extends Error {
  /** Creates the error with the fixed, key-free message. */
  constructor(options?: ErrorOptions) {
    super('cannot decrypt: wrong master key or tampered data', options);
    this.name = 'SealedDataError';
  }
}
