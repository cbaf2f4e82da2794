import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { parseStrictJson } from '@s2s/jwt';

/** How one metadata URL may be fetched (SPEC 5.5, 5.9; security catalogue E04-E07). */
export interface MetadataFetchPolicy {
  allowHttp: boolean;
  /** Extra trusted CA certificates (PEM), added to the system store; null = system store only. */
  caBundle: string | null;
  /** Hosts the URL (and same-origin redirects) may name; an IP literal also allows that address if it is loopback/link-local. */
  hostAllowList: string[];
  timeoutMs?: number;
  maxBytes?: number;
}

export type MetadataFetchFailure = 'url_refused' | 'address_refused' | 'redirect_refused' | 'http_status' | 'too_large' | 'timeout' | 'not_json' | 'network';

/** A refused or failed download, with a stable reason. Never carries the body. */
export class MetadataFetchError extends Error {
  constructor(
    readonly reason: MetadataFetchFailure,
    message: string,
  ) {
    super(message);
    this.name = 'MetadataFetchError';
  }
}

export const DEFAULT_FETCH_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_METADATA_BYTES = 256 * 1024;
const MAX_REDIRECTS = 2;

/** Addresses never connected to unless the issuer's allow-list names them: loopback, link-local (cloud metadata), unspecified, multicast. */
const DENIED = new BlockList();
DENIED.addSubnet('127.0.0.0', 8, 'ipv4');
DENIED.addSubnet('169.254.0.0', 16, 'ipv4');
DENIED.addSubnet('0.0.0.0', 8, 'ipv4');
DENIED.addSubnet('224.0.0.0', 4, 'ipv4');
DENIED.addAddress('255.255.255.255', 'ipv4');
DENIED.addAddress('::1', 'ipv6');
DENIED.addAddress('::', 'ipv6');
DENIED.addSubnet('fe80::', 10, 'ipv6');
DENIED.addSubnet('ff00::', 8, 'ipv6');

/** Whether connecting to `address` is refused under `allowList` (IPv4-mapped IPv6 is checked as IPv4). */
export function addressRefused(address: string, allowList: readonly string[]): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  if (!DENIED.check(plain, family)) return false;
  return !allowList.some((allowed) => allowed.replace(/^\[|\]$/g, '').toLowerCase() === plain.toLowerCase());
}

/**
 * Downloads and strictly parses a JSON document for a partner or OAuth server: https only (http
 * only with the lab flag), TLS verified against the system store plus the issuer's CA bundle,
 * host on the allow-list, connected address checked at connect time (DNS rebinding), redirects
 * followed only within the same origin, time and size capped, duplicate JSON keys refused.
 */
export async function fetchMetadataJson(url: string, policy: MetadataFetchPolicy): Promise<unknown> {
  let target = checkUrl(url, policy);
  for (let redirects = 0; ; redirects += 1) {
    const response = await download(target, policy);
    if (response.status >= 300 && response.status < 400) {
      const location = response.location;
      if (!location || redirects >= MAX_REDIRECTS) throw new MetadataFetchError('redirect_refused', `the metadata URL answered ${response.status} without a usable redirect`);
      const next = new URL(location, target);
      if (next.origin !== target.origin) throw new MetadataFetchError('redirect_refused', `a redirect to another origin (${next.origin}) is not followed`);
      target = next;
      continue;
    }
    if (response.status !== 200) throw new MetadataFetchError('http_status', `the metadata URL answered HTTP ${response.status}`);
    try {
      return parseStrictJson(response.body.toString('utf8'));
    } catch {
      throw new MetadataFetchError('not_json', 'the metadata URL did not answer a valid JSON document');
    }
  }
}

function checkUrl(url: string, policy: MetadataFetchPolicy): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MetadataFetchError('url_refused', 'not a valid URL');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && policy.allowHttp)) {
    throw new MetadataFetchError('url_refused', 'the metadata URL must use https (http only with the lab flag allowHttpMetadata)');
  }
  if (parsed.username || parsed.password) throw new MetadataFetchError('url_refused', 'the metadata URL must not contain credentials');
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!policy.hostAllowList.some((allowed) => allowed.replace(/^\[|\]$/g, '').toLowerCase() === host)) {
    throw new MetadataFetchError('url_refused', `the host ${host} is not on the metadata host allow-list`);
  }
  if (isIP(host) && addressRefused(host, policy.hostAllowList)) throw new MetadataFetchError('address_refused', `connecting to ${host} is not allowed`);
  return parsed;
}

function download(target: URL, policy: MetadataFetchPolicy): Promise<{ status: number; location?: string; body: Buffer }> {
  const maxBytes = policy.maxBytes ?? DEFAULT_MAX_METADATA_BYTES;
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = addresses.filter((entry) => !addressRefused(entry.address, policy.hostAllowList));
      if (allowed.length === 0) return callback(new MetadataFetchError('address_refused', `${hostname} resolves only to refused addresses`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
  const options: RequestOptions & { ca?: string[] } = {
    method: 'GET',
    headers: { accept: 'application/json' },
    lookup: guardedLookup,
    agent: false,
  };
  if (policy.caBundle) {
    // The issuer's CA is added to (not substituted for) the system store.
    options.ca = [...rootCertificates, policy.caBundle];
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error instanceof MetadataFetchError ? error : new MetadataFetchError('network', `the metadata URL could not be reached: ${error.message}`));
    };
    const request = send(target, options, (response: IncomingMessage) => {
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > maxBytes) return fail(new MetadataFetchError('too_large', `the metadata document is larger than ${maxBytes} bytes`));
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return fail(new MetadataFetchError('too_large', `the metadata document is larger than ${maxBytes} bytes`));
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, location: response.headers.location, body: Buffer.concat(chunks) });
      });
    });
    request.on('socket', (socket) => {
      socket.on('connect', () => {
        // Checked again on the connected socket: DNS answers can change between lookup and connect.
        if (socket.remoteAddress && addressRefused(socket.remoteAddress, policy.hostAllowList)) {
          fail(new MetadataFetchError('address_refused', `connecting to ${socket.remoteAddress} is not allowed`));
        }
      });
    });
    request.on('error', fail);
    const timer = setTimeout(() => fail(new MetadataFetchError('timeout', `no complete answer within ${policy.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS} ms`)), policy.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
    request.end();
  });
}
