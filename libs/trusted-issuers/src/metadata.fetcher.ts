import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, rootCertificates } from 'node:tls';
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
    /** For `network`: the system or TLS error code (`ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`, …). */
    readonly systemCode: string | null = null,
  ) {
    super(message);
    this.name = 'MetadataFetchError';
  }
}

/** A downloaded JSON document and the server's `Date` header (for the clock comparison of the connectivity test). */
export interface DownloadedDocument {
  document: unknown;
  /** The `Date` response header, or null when the server sent none. */
  date: string | null;
}

/** What a guarded GET answered: status, the headers a diagnosis needs, and the body (capped). */
export interface GuardedResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
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
  return (await downloadMetadataDocument(url, policy)).document;
}

/** {@link fetchMetadataJson}, also answering the server's `Date` header. */
export async function downloadMetadataDocument(url: string, policy: MetadataFetchPolicy): Promise<DownloadedDocument> {
  let target = checkUrl(url, policy);
  for (let redirects = 0; ; redirects += 1) {
    const response = await download(target, policy, { accept: 'application/json' });
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.location;
      if (!location || redirects >= MAX_REDIRECTS) throw new MetadataFetchError('redirect_refused', `the metadata URL answered ${response.status} without a usable redirect`);
      const next = new URL(location, target);
      if (next.origin !== target.origin) throw new MetadataFetchError('redirect_refused', `a redirect to another origin (${next.origin}) is not followed`);
      target = next;
      continue;
    }
    if (response.status !== 200) throw new MetadataFetchError('http_status', `the metadata URL answered HTTP ${response.status}`);
    try {
      return { document: parseStrictJson(response.body.toString('utf8')), date: response.headers.date ?? null };
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

/**
 * One GET under the same guards as a metadata download (URL rules, host allow-list, connected
 * address, TLS with the issuer's CA bundle, time and size caps), with the given request headers,
 * no redirect followed: the connectivity test presents a token at a partner's probe URL with it.
 *
 * @throws MetadataFetchError when the URL is refused or the request fails.
 */
export async function guardedGet(url: string, policy: MetadataFetchPolicy, headers: Record<string, string>): Promise<GuardedResponse> {
  return download(checkUrl(url, policy), policy, headers);
}

/**
 * Resolves the host of `url` under the URL, allow-list and address rules of a metadata download:
 * the first step of the connectivity test. An IP literal resolves to itself.
 *
 * @throws MetadataFetchError (`url_refused`, `address_refused`, or `network` with the resolver's code).
 */
export async function resolveMetadataHost(url: string, policy: MetadataFetchPolicy): Promise<string[]> {
  const target = checkUrl(url, policy);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return [host];
  return new Promise<string[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, found: LookupAddress[]) => {
      if (error) return reject(new MetadataFetchError('network', `${host} could not be resolved: ${error.message}`, error.code ?? null));
      const allowed = found.filter((entry) => !addressRefused(entry.address, policy.hostAllowList));
      if (allowed.length === 0) return reject(new MetadataFetchError('address_refused', `${host} resolves only to refused addresses`));
      resolve(allowed.map((entry) => entry.address));
    }),
  );
}

/** What a verified TLS handshake showed of the server. */
export interface TlsHandshake {
  protocol: string | null;
  /** End of the validity of the server's certificate. */
  certificateNotAfter: Date | null;
}

/**
 * Completes a verified TLS handshake with the host of `url` at `address` (system store plus the
 * issuer's CA bundle, the URL host as the name to verify), without sending a request; null for an
 * http URL. The second step of the connectivity test.
 *
 * @throws MetadataFetchError (`timeout`, or `network` with the system or TLS code, e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`).
 */
export async function tlsHandshake(url: string, address: string, policy: MetadataFetchPolicy): Promise<TlsHandshake | null> {
  const target = checkUrl(url, policy);
  if (target.protocol !== 'https:') return null;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const timeoutMs = policy.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: address,
      port: Number(target.port || 443),
      ...(isIP(host) ? {} : { servername: host }),
      ...(policy.caBundle ? { ca: [...rootCertificates, policy.caBundle] } : {}),
      checkServerIdentity: (_name, certificate) => checkServerIdentity(host, certificate),
    });
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error instanceof MetadataFetchError ? error : new MetadataFetchError('network', `the TLS connection failed: ${error.message}`, (error as NodeJS.ErrnoException).code ?? null));
    };
    const timer = setTimeout(() => fail(new MetadataFetchError('timeout', `no TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const peer = socket.getPeerCertificate();
      const protocol = socket.getProtocol();
      socket.end();
      resolve({ protocol, certificateNotAfter: peer?.valid_to ? new Date(peer.valid_to) : null });
    });
  });
}

function download(target: URL, policy: MetadataFetchPolicy, headers: Record<string, string>): Promise<GuardedResponse> {
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
    headers,
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
      reject(error instanceof MetadataFetchError ? error : new MetadataFetchError('network', `the metadata URL could not be reached: ${error.message}`, (error as NodeJS.ErrnoException).code ?? null));
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
        const picked: Record<string, string | undefined> = {};
        for (const name of ['location', 'date', 'www-authenticate', 'x-s2s-diagnostics', 'content-type']) {
          const value = response.headers[name];
          picked[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: response.statusCode ?? 0, headers: picked, body: Buffer.concat(chunks) });
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
