/** Attribute types accepted in a subject string (RFC 4514 3 short names, RFC 5280 4.1.2.4 / Appendix A). */
export type DistinguishedNameAttributeType = 'CN' | 'O' | 'OU' | 'L' | 'ST' | 'C';

/** One attribute of a parsed distinguished name. */
export interface DistinguishedNameAttribute {
  /** Short name, upper case. */
  type: DistinguishedNameAttributeType;
  /** Unescaped value. */
  value: string;
}

// RFC 5280 Appendix A upper bounds (characters); C is exactly two letters (ISO 3166 alpha-2, RFC 5280 4.1.2.4).
const UPPER_BOUNDS: Record<DistinguishedNameAttributeType, number> = { CN: 64, O: 64, OU: 64, L: 128, ST: 128, C: 2 };
// RFC 4514 2.4 / 3: characters that may follow a backslash.
const ESCAPABLE = new Set(['"', '+', ',', ';', '<', '>', '\\', '=', '#', ' ']);

/**
 * Parses an RFC 4514-style subject string such as `"CN=s2s.contoso.com, O=Contoso"`.
 *
 * Supported: comma-separated single-valued RDNs of types CN, O, OU, L, ST, C
 * (case-insensitive), optional spaces around commas and `=`, backslash
 * escapes of the RFC 4514 special characters and `\hh` hex pairs (UTF-8).
 * Not supported (rejected): multi-valued RDNs (`+`), `#`-hex BER values,
 * OIDs as attribute types.
 *
 * @param subject - the DN in RFC 4514 order (most specific RDN first).
 * @returns the attributes in ASN.1 order (reverse of the string order, RFC 4514 2.1).
 * @throws TypeError on unknown attribute types, syntax errors, or out-of-range values.
 */
export function parseDistinguishedName(subject: string): DistinguishedNameAttribute[] {
  if (typeof subject !== 'string' || subject.trim().length === 0) {
    throw new TypeError('subject must be a non-empty distinguished name such as "CN=host.example.com, O=Example"');
  }
  const attributes = splitUnescaped(subject, ',').map(parseAttribute);
  return attributes.reverse();
}

function parseAttribute(rdn: string): DistinguishedNameAttribute {
  if (splitUnescaped(rdn, '+').length > 1) {
    throw new TypeError(`Multi-valued RDNs are not supported: ${JSON.stringify(rdn.trim())}`);
  }
  const equals = rdn.indexOf('=');
  if (equals < 0) {
    throw new TypeError(`Subject attribute must be TYPE=value: ${JSON.stringify(rdn.trim())}`);
  }
  const rawType = rdn.slice(0, equals).trim().toUpperCase();
  if (!(rawType in UPPER_BOUNDS)) {
    throw new TypeError(
      `Unsupported subject attribute type ${JSON.stringify(rdn.slice(0, equals).trim())}; allowed: ${Object.keys(UPPER_BOUNDS).join(', ')}`,
    );
  }
  const type = rawType as DistinguishedNameAttributeType;
  // Trim surrounding spaces, but keep a trailing escaped space ("\\ ", RFC 4514 2.4).
  const rawValue = rdn.slice(equals + 1).trimStart().replace(/(?<!\\)\s+$/, '');
  const value = unescapeValue(rawValue, type);
  const length = [...value].length;
  if (length < 1 || length > UPPER_BOUNDS[type]) {
    throw new TypeError(`Subject ${type} must be 1 to ${UPPER_BOUNDS[type]} characters (RFC 5280 Appendix A)`);
  }
  if (type === 'C' && !/^[A-Z]{2}$/i.test(value)) {
    throw new TypeError('Subject C must be a two-letter ISO 3166 country code (RFC 5280 4.1.2.4)');
  }
  return { type, value: type === 'C' ? value.toUpperCase() : value };
}

/** Splits on `separator` where it is not preceded by an escaping backslash. */
function splitUnescaped(input: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (char === '\\' && i + 1 < input.length) {
      current += char + input[i + 1]!;
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeValue(raw: string, type: string): string {
  if (raw.startsWith('#')) {
    throw new TypeError(`Subject ${type}: #-hex encoded values are not supported`);
  }
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const chars = Array.from(raw); // code points, so astral characters stay whole
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\\') {
      const next = chars.slice(i + 1, i + 3).join('');
      if (/^[0-9a-f]{2}$/i.test(next)) {
        bytes.push(parseInt(next, 16));
        i += 2;
      } else if (next.length > 0 && ESCAPABLE.has(chars[i + 1]!)) {
        bytes.push(next.charCodeAt(0));
        i += 1;
      } else {
        throw new TypeError(`Subject ${type}: invalid escape sequence in value`);
      }
    } else if (char === '=' || char === '"' || char === ';' || char === '<' || char === '>') {
      // RFC 4514 3: these must be escaped in a value.
      throw new TypeError(`Subject ${type}: character ${JSON.stringify(char)} must be escaped with a backslash`);
    } else {
      bytes.push(...encoder.encode(char));
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (error) {
    throw new TypeError(`Subject ${type}: escaped bytes are not valid UTF-8`, { cause: error });
  }
}
