import { isIP } from 'node:net';

/**
 * Encodes an IP address literal as the network-order octets an X.509
 * `iPAddress` GeneralName carries (RFC 5280 4.2.1.6: 4 octets for IPv4,
 * 16 octets for IPv6).
 *
 * node-forge has its own parser, but it accepts malformed input (e.g.
 * `"300.1.1.1"`) and cannot read IPv4-mapped IPv6 (`::ffff:1.2.3.4`), so the
 * address is validated with `node:net.isIP` and encoded here instead.
 *
 * @param address - an IPv4 or IPv6 literal, without brackets or zone id.
 * @returns the raw octets.
 * @throws TypeError when `address` is not a valid IP literal.
 */
export function encodeIpAddress(address: string): Buffer {
  const version = isIP(address);
  if (version === 4) {
    return Buffer.from(address.split('.').map((part) => Number.parseInt(part, 10)));
  }
  if (version === 6 && !address.includes('%')) {
    return encodeIpv6(address);
  }
  throw new TypeError(`Not a valid IP address literal: ${JSON.stringify(address)}`);
}

function encodeIpv6(address: string): Buffer {
  let text = address;
  // An embedded dotted-quad tail (RFC 4291 2.2 form 3, e.g. ::ffff:192.0.2.1)
  // is rewritten as the two hexadecimal groups it stands for.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = encodeIpAddress(tail);
    text = `${text.slice(0, lastColon + 1)}${v4.readUInt16BE(0).toString(16)}:${v4.readUInt16BE(2).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const doubleColon = text.indexOf('::');
  const groups =
    doubleColon === -1
      ? parse(text)
      : (() => {
          const head = parse(text.slice(0, doubleColon));
          const rest = parse(text.slice(doubleColon + 2));
          // '::' stands for as many zero groups as are needed to reach eight (RFC 4291 2.2 form 2).
          return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
        })();
  const out = Buffer.alloc(16);
  groups.forEach((group, index) => out.writeUInt16BE(group, index * 2));
  return out;
}
