/**
 * Certificate thumbprints as admins type or paste them: hex SHA-1 (40 digits, what Windows and
 * `Get-ChildItem Cert:` show) or SHA-256 (64 digits), any case, grouped with spaces or colons
 * (`openssl x509 -fingerprint` prints `AB:CD:...`).
 */

/**
 * Characters dropped before checking the digits: whitespace, `:` separators, and the invisible
 * marks that come along when a thumbprint is copied from the Windows certificate dialog (it
 * starts the field with U+200E LEFT-TO-RIGHT MARK), plus zero-width spaces and the BOM.
 */
const SEPARATORS = /[\s:\u200b-\u200f\ufeff]/g;
const HEX_THUMBPRINT = /^(?:[0-9A-F]{40}|[0-9A-F]{64})$/;

export const THUMBPRINT_SYNTAX = 'a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint; spaces and colons are ignored';

/**
 * The canonical form the admin API uses (uppercase hex, no separators), or `undefined` when `text`
 * is not a SHA-1 or SHA-256 thumbprint (the caller names the option or argument).
 */
export function normaliseThumbprint(text: string): string | undefined {
  const hex = text.replace(SEPARATORS, '').toUpperCase();
  return HEX_THUMBPRINT.test(hex) ? hex : undefined;
}
