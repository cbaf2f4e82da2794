/** Why a compact JWT was refused before any signature or claim check. */
export type JwtFormatReason =
  | 'token_missing'
  | 'token_too_large'
  | 'malformed_token'
  | 'invalid_base64url'
  | 'invalid_json'
  | 'duplicate_json_key'
  | 'missing_alg'
  | 'forbidden_header'
  | 'unsigned_token';

/** A token refused by the strict pre-parser; `reason` is a stable code for logs and metrics. */
export class JwtFormatError extends Error {
  constructor(
    readonly reason: JwtFormatReason,
    message: string,
  ) {
    super(message);
    this.name = 'JwtFormatError';
  }
}
