// RFC 1034 3.5 / RFC 1123 2.1 host name label: letters, digits, hyphen; no leading/trailing hyphen; ≤ 63 octets.
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Validates and lower-cases a dNSName for a subjectAltName entry
 * (RFC 5280 4.2.1.6 "preferred name syntax"; a leftmost `*` label is allowed
 * as a wildcard, RFC 6125 6.4.3). Same rules as the certificate builder.
 *
 * @param input - host name; IDNs must already be A-labels.
 * @returns the lower-cased name.
 * @throws TypeError when the name is not a valid host name.
 */
export function normalizeDnsName(input: string): string {
  const name = typeof input === 'string' ? input.toLowerCase() : '';
  const labels = name.split('.');
  const checked = labels[0] === '*' && labels.length > 2 ? labels.slice(1) : labels;
  if (name.length === 0 || name.length > 253 || !checked.every((label) => DNS_LABEL.test(label))) {
    throw new TypeError(
      `Invalid DNS name for subjectAltName: ${JSON.stringify(input)} (RFC 5280 4.2.1.6 preferred name syntax; use A-labels for IDNs)`,
    );
  }
  return name;
}
