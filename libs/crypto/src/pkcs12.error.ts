/** Why a PFX cannot be used. */
export type Pkcs12FailureReason =
  | 'not_pkcs12'
  | 'wrong_password'
  | 'corrupted'
  | 'unsupported'
  | 'no_private_key'
  | 'no_matching_certificate';

const MESSAGES: Record<Pkcs12FailureReason, string> = {
  not_pkcs12: 'not a PKCS#12 file',
  wrong_password: 'wrong PFX password or corrupted file (MAC check failed)',
  corrupted: 'corrupted PKCS#12 file',
  unsupported: 'the PFX uses an unsupported algorithm or bag type',
  no_private_key: 'the PFX contains no private key',
  no_matching_certificate: 'the PFX contains no certificate matching its private key',
};

/**
 * Thrown by {@link readPkcs12} when a PFX cannot be used. Messages are fixed
 * strings: they never contain the password or key material.
 */
export class Pkcs12Error extends Error {
  /** Creates the error for `reason`; the message is the fixed text of that reason. */
  constructor(
    readonly reason: Pkcs12FailureReason,
    options?: ErrorOptions,
  ) {
    super(MESSAGES[reason], options);
    this.name = 'Pkcs12Error';
  }
}
