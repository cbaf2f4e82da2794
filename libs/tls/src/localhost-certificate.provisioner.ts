import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import {
  certificateThumbprints,
  createSelfSignedCertificate,
  describeCertificate,
  generateRsaKeyPair,
  privateKeyMatchesCertificate,
} from '@s2s/crypto';
import { TlsConfigurationError } from './tls-configuration.error.js';
import type { TlsLogger } from './tls-logger.js';

/** File name of the generated self-signed certificate inside `certsDir`. */
export const LOCALHOST_CERT_FILE_NAME = 'localhost-tls.crt';
/** File name of the generated private key inside `certsDir` (mode 0600). */
export const LOCALHOST_KEY_FILE_NAME = 'localhost-tls.key';

const VALIDITY_DAYS = 365;
const MS_PER_DAY = 86_400_000;
/** Renew when fewer than this many days remain, so a long-running server never serves an expired certificate. */
const RENEW_WITHIN_MS = 7 * MS_PER_DAY;
/** Backdate notBefore so clients whose clocks lag slightly do not reject a fresh certificate as not yet valid (RFC 5280 4.1.2.5). */
const BACKDATE_MS = 5 * 60_000;
const DEFAULT_DNS_NAMES = ['localhost'];
const DEFAULT_IP_ADDRESSES = ['127.0.0.1', '::1'];

/** PEM key and certificate of the self-signed localhost certificate. */
export interface LocalhostCertificate {
  /** Private key PEM (PKCS#8). */
  key: Buffer;
  /** Certificate PEM. */
  cert: Buffer;
}

/**
 * Returns the self-signed TLS certificate for `localhost` kept in `certsDir`,
 * generating it on first start and regenerating it when it is missing,
 * unreadable, does not match its key, is not yet valid, expires within 7
 * days, or does not cover the requested host names.
 *
 * Subject alternative names: DNS `localhost` + `hostNames`, IP 127.0.0.1 and
 * ::1 (+ any IP literal in `hostNames`); when SANs are present clients match
 * against them, not the CN (RFC 6125 6.4.4, RFC 9110 4.3.4).
 *
 * @param options - `certsDir` (created, mode 0700, if missing), `now`, extra `hostNames`.
 * @param log - receives paths and reasons only, never key material.
 * @returns the key and certificate PEM buffers.
 * @throws TlsConfigurationError when `certsDir` or the files cannot be written, or a host name is invalid.
 */
export async function provisionLocalhostCertificate(
  options: { certsDir: string; now: Date; hostNames?: string[] },
  log: TlsLogger,
): Promise<LocalhostCertificate> {
  const certsDir = resolve(options.certsDir);
  const certFile = join(certsDir, LOCALHOST_CERT_FILE_NAME);
  const keyFile = join(certsDir, LOCALHOST_KEY_FILE_NAME);
  const wanted = requiredSubjectAltNames(options.hostNames ?? []);
  try {
    // 0700: the directory holds the private key (only applies when it is created here).
    await mkdir(certsDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new TlsConfigurationError(
      `Cannot create the TLS certificate directory ${certsDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }

  const existing = await loadReusable(certFile, keyFile, wanted, options.now);
  if ('key' in existing) {
    log.info('TLS: reusing self-signed certificate', {
      certFile,
      keyFile,
      notAfter: existing.notAfter.toISOString(),
      sha256Thumbprint: certificateThumbprints(existing.cert.toString('utf8')).sha256Hex,
    });
    warnSelfSigned(log, certFile);
    return { key: existing.key, cert: existing.cert };
  }

  // A first start is routine; replacing an existing certificate is worth an operator's attention.
  const announce = existing.firstStart ? log.info.bind(log) : log.warn.bind(log);
  announce(`TLS: generating self-signed certificate (${existing.reason})`, { certFile, keyFile });

  const { privateKeyPem } = await generateRsaKeyPair(2048);
  let certificatePem: string;
  try {
    certificatePem = createSelfSignedCertificate({
      privateKeyPem,
      subject: { commonName: 'localhost', organization: 's2s-trust self-signed' },
      dnsNames: wanted.dnsNames,
      ipAddresses: wanted.ipAddresses,
      notBefore: new Date(options.now.getTime() - BACKDATE_MS),
      validityDays: VALIDITY_DAYS,
      extendedKeyUsage: ['serverAuth'],
    });
  } catch (error) {
    // Only the host names come from configuration; report them as such.
    throw new TlsConfigurationError(`Invalid TLS host name: ${(error as Error).message}`, { cause: error });
  }

  try {
    // Key first: if the process dies in between, the next start sees a
    // mismatched pair and regenerates instead of serving a stale certificate.
    await writeFileAtomically(keyFile, privateKeyPem, 0o600);
    await writeFileAtomically(certFile, certificatePem, 0o644);
  } catch (error) {
    throw new TlsConfigurationError(
      `Cannot write the self-signed TLS certificate to ${certsDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. ` +
        'Make the directory writable, or configure TLS_CERT_FILE + TLS_KEY_FILE or TLS_PFX_FILE.',
      { cause: error },
    );
  }

  const description = describeCertificate(certificatePem);
  log.info('TLS: generated self-signed certificate', {
    certFile,
    keyFile,
    dnsNames: description.dnsNames,
    ipAddresses: description.ipAddresses,
    notAfter: description.notAfter.toISOString(),
    sha256Thumbprint: certificateThumbprints(certificatePem).sha256Hex,
  });
  warnSelfSigned(log, certFile);
  return { key: Buffer.from(privateKeyPem, 'utf8'), cert: Buffer.from(certificatePem, 'utf8') };
}

function warnSelfSigned(log: TlsLogger, certFile: string): void {
  log.warn(
    'TLS: serving a self-signed certificate for localhost; clients must trust it explicitly. ' +
      'Configure TLS_CERT_FILE + TLS_KEY_FILE or TLS_PFX_FILE for production.',
    { certFile },
  );
}

type ReuseDecision = (LocalhostCertificate & { notAfter: Date }) | { reason: string; firstStart: boolean };

async function loadReusable(
  certFile: string,
  keyFile: string,
  wanted: { dnsNames: string[]; ipAddresses: string[] },
  now: Date,
): Promise<ReuseDecision> {
  const [certRead, keyRead] = await Promise.allSettled([readFile(certFile), readFile(keyFile)]);
  if (certRead.status === 'rejected' || keyRead.status === 'rejected') {
    const codes = [certRead, keyRead].map((read) =>
      read.status === 'rejected' ? ((read.reason as NodeJS.ErrnoException).code ?? 'unreadable') : 'ok',
    );
    if (codes.every((code) => code === 'ENOENT')) {
      return { reason: 'no certificate yet', firstStart: true };
    }
    return { reason: `existing files are missing or unreadable (certificate: ${codes[0]}, key: ${codes[1]})`, firstStart: false };
  }
  const cert = certRead.value;
  const key = keyRead.value;
  let description;
  try {
    description = describeCertificate(cert.toString('utf8'));
    if (!privateKeyMatchesCertificate(key.toString('utf8'), cert.toString('utf8'))) {
      return { reason: 'existing key does not match the certificate', firstStart: false };
    }
  } catch {
    return { reason: 'existing certificate or key cannot be parsed', firstStart: false };
  }
  if (description.notBefore.getTime() > now.getTime()) {
    return { reason: `existing certificate is not valid before ${description.notBefore.toISOString()}`, firstStart: false };
  }
  if (description.notAfter.getTime() - now.getTime() <= RENEW_WITHIN_MS) {
    return {
      reason: `existing certificate expires ${description.notAfter.toISOString()}, within 7 days`,
      firstStart: false,
    };
  }
  const dnsNames = new Set(description.dnsNames.map((name) => name.toLowerCase()));
  const ipAddresses = new Set(description.ipAddresses.map(canonicalIp));
  const missing = [
    ...wanted.dnsNames.filter((name) => !dnsNames.has(name)),
    ...wanted.ipAddresses.filter((ip) => !ipAddresses.has(canonicalIp(ip))),
  ];
  if (missing.length > 0) {
    return { reason: `existing certificate does not cover ${missing.join(', ')}`, firstStart: false };
  }
  return { key, cert, notAfter: description.notAfter };
}

/** Splits host names into DNS and IP SANs (an IP literal is matched against iPAddress SANs, RFC 5280 4.2.1.6 / RFC 9110 4.3.4), deduplicated. */
function requiredSubjectAltNames(hostNames: string[]): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = new Set(DEFAULT_DNS_NAMES);
  const ipAddresses = new Map(DEFAULT_IP_ADDRESSES.map((ip) => [canonicalIp(ip), ip]));
  for (const raw of hostNames) {
    const host = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (host === '') continue;
    if (isIP(host) !== 0) ipAddresses.set(canonicalIp(host), host);
    else dnsNames.add(host.toLowerCase());
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses.values()] };
}

/** Canonical text of an IP (RFC 5952 for IPv6, via the WHATWG URL serializer) so `::1` equals `0:0:0:0:0:0:0:1`. */
function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

async function writeFileAtomically(path: string, data: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  try {
    // 'wx' creates a fresh file so `mode` applies; chmod again because the
    // process umask may have masked bits off, then rename atomically so a
    // reader never sees a half-written file.
    await writeFile(temporary, data, { mode, flag: 'wx' });
    await chmod(temporary, mode);
    await rename(temporary, path);
    await chmod(path, mode);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
