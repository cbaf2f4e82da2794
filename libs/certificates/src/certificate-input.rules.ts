import { InvalidInputError, isLowercaseDnsName, realmProblem } from '@s2s/core';
import { type CertificateSubject, parseDistinguishedName } from '@s2s/crypto';

/** Input of a self-signed certificate (`new-self-signed`). */
export interface SelfSignedCertificateInput {
  realms: string[];
  dnsNames?: string[];
  days?: number;
  keySize?: number;
  subject?: string;
}

/** Input of a certificate request (`request`). */
export interface CertificateRequestInput {
  realms: string[];
  dnsNames?: string[];
  keySize?: number;
  subject?: string;
}

export const DEFAULT_VALIDITY_DAYS = 365;
export const MAX_VALIDITY_DAYS = 3650;
export const KEY_SIZES = [2048, 3072, 4096] as const;

/**
 * The SAN DNS names of a new certificate: the realms, then the extra names, without duplicates.
 * Realms follow the realm rule (lowercase DNS name or GUID, SPEC 1); extra names are lowercase DNS
 * names, optionally with a leading `*.` wildcard label.
 *
 * @throws InvalidInputError naming the first bad entry.
 */
export function validateRealmsAndNames(realms: readonly string[], dnsNames: readonly string[]): string[] {
  if (realms.length === 0) throw InvalidInputError.forField('realms', 'give at least one realm');
  realms.forEach((realm, index) => {
    const problem = realmProblem(realm);
    if (problem) throw InvalidInputError.forField(`realms[${index}]`, `${JSON.stringify(realm)} ${problem}`);
  });
  dnsNames.forEach((name, index) => {
    const host = name.startsWith('*.') ? name.slice(2) : name;
    if (!isLowercaseDnsName(host)) {
      throw InvalidInputError.forField(`dnsNames[${index}]`, `${JSON.stringify(name)} must be a lowercase DNS name (a leading *. wildcard is allowed)`);
    }
  });
  return [...new Set([...realms, ...dnsNames])];
}

/** The realms of a request or certificate must include the configured realm, when one is set. */
export function checkRealmsIncludeConfigured(realms: readonly string[], configuredRealm: string | null): void {
  if (configuredRealm && !realms.includes(configuredRealm)) {
    throw InvalidInputError.forField('realms', `must include the configured realm ${configuredRealm}; a certificate that does not name it cannot be used`);
  }
}

/** Subject of a self-signed certificate: `CN=<first realm>` by default; only CN and O may be given. */
export function selfSignedSubject(subject: string | undefined, firstRealm: string): CertificateSubject {
  if (subject === undefined) return { commonName: firstRealm };
  const attributes = parseSubject(subject);
  const commonName = attributes.find((attribute) => attribute.type === 'CN')?.value;
  const organization = attributes.find((attribute) => attribute.type === 'O')?.value;
  if (!commonName || attributes.some((attribute) => attribute.type !== 'CN' && attribute.type !== 'O')) {
    throw InvalidInputError.forField('subject', 'a self-signed subject is "CN=<name>" with an optional ", O=<organization>"');
  }
  return organization === undefined ? { commonName } : { commonName, organization };
}

/** Subject of a CSR: the given DN (CN, O, OU, L, ST, C) or `CN=<first realm>`. */
export function requestSubject(subject: string | undefined, firstRealm: string): string {
  if (subject === undefined) return `CN=${firstRealm}`;
  parseSubject(subject);
  return subject;
}

/** Validity of a self-signed certificate in days: 1–3650, default 365. */
export function validityDays(days: number | undefined): number {
  const value = days ?? DEFAULT_VALIDITY_DAYS;
  if (!Number.isInteger(value) || value < 1 || value > MAX_VALIDITY_DAYS) {
    throw InvalidInputError.forField('days', `must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}`);
  }
  return value;
}

function parseSubject(subject: string): ReturnType<typeof parseDistinguishedName> {
  try {
    return parseDistinguishedName(subject);
  } catch (error) {
    throw InvalidInputError.forField('subject', (error as Error).message);
  }
}
