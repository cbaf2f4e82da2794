/**
 * Syntax rules for the names S2S trust is built on (SPEC 1). Tokens compare these names exactly,
 * so the service stores only their canonical lowercase form and refuses anything else instead of
 * quietly lowercasing it.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A lowercase GUID such as `00000004-0000-0ff1-ce00-000000000000`. */
export function isLowercaseGuid(value: string): boolean {
  return GUID.test(value);
}

/** A lowercase DNS name: labels of 1–63 letters, digits or inner hyphens, at most 253 characters. */
export function isLowercaseDnsName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value.split('.').every((label) => DNS_LABEL.test(label));
}

/** A realm is a lowercase DNS name (`contoso.com`) or a lowercase GUID (a tenant id). */
export function isRealm(value: string): boolean {
  return isLowercaseGuid(value) || isLowercaseDnsName(value);
}

/** Why a realm candidate is rejected, or null when it is valid. */
export function realmProblem(value: string): string | null {
  if (isRealm(value)) return null;
  if (isRealm(value.toLowerCase())) return 'must be lowercase';
  return 'must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID';
}

/**
 * A host authority as used in S2S audiences (`<principal>/<host>@<realm>`): a lowercase DNS name or
 * IPv4 address, optionally with `:port`.
 */
export function hostAuthorityProblem(value: string): string | null {
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return 'must be a host name with an optional :port';
  const [, host, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'has a port outside 1-65535';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return null;
  if (isLowercaseDnsName(host)) return null;
  if (isLowercaseDnsName(host.toLowerCase())) return 'must be lowercase';
  return 'must be a host name with an optional :port';
}
