import { InvalidInputError } from '@s2s/core';

/** Why a certificate, key or upload is refused; the stable `code` of the 422 answer. */
export type CertificateRejection =
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'unsupported_key_type'
  | 'weak_key'
  | 'weak_signature'
  | 'unsuitable_key_usage'
  | 'private_key_missing'
  | 'private_key_mismatch'
  | 'invalid_private_key'
  | 'invalid_certificate'
  | 'realm_not_covered'
  | 'realm_not_configured'
  | 'wrong_pfx_password'
  | 'invalid_pfx'
  | 'invalid_effective_date'
  | 'roll_lead_too_short'
  | 'invalid_deadline';

/** A certificate step refused for a named reason (422); nothing was stored. */
export class CertificateRejectedError extends InvalidInputError {
  constructor(
    readonly reason: CertificateRejection,
    message: string,
    field?: string,
  ) {
    super(message, field ? [{ field, message }] : undefined, reason);
  }
}
