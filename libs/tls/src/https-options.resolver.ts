import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { certificateThumbprints, describeCertificate, privateKeyMatchesCertificate } from '@s2s/crypto';
import { provisionLocalhostCertificate } from './localhost-certificate.provisioner.js';
import { TlsConfigurationError } from './tls-configuration.error.js';
import type { TlsLogger } from './tls-logger.js';

/** TLS settings, usually read from the environment variables named in the comments. */
export interface ResolveHttpsOptionsInput {
  /** `'off'` serves plain HTTP (e.g. behind a TLS-terminating proxy). */
  mode: 'on' | 'off';
  /** TLS_CERT_FILE: PEM certificate, optionally followed by its intermediate chain. */
  certFile?: string;
  /** TLS_KEY_FILE: unencrypted PEM private key of the certificate. */
  keyFile?: string;
  /** TLS_PFX_FILE: PKCS#12 (.pfx/.p12) holding key and certificate chain. */
  pfxFile?: string;
  /** TLS_PFX_PASSWORD: password of the PKCS#12 file. Never logged. */
  pfxPassword?: string;
  /** Directory for the generated self-signed localhost certificate. */
  certsDir: string;
  /** Current time (expiry checks, validity of generated certificates). */
  now: Date;
  /** Extra host names / IP literals the self-signed certificate must cover. */
  hostNames?: string[];
}

/** PEM key + certificate (chain), as `node:https.createServer` takes them. */
export interface PemHttpsOptions {
  /** Private key PEM. */
  key: Buffer;
  /** Certificate PEM, leaf first, optionally followed by intermediates. */
  cert: Buffer;
}

/** PKCS#12 bundle, as `node:https.createServer` takes it. */
export interface PfxHttpsOptions {
  /** The PKCS#12 file content. */
  pfx: Buffer;
  /** Its password, when one was configured. */
  passphrase?: string;
}

/** Options to spread into `https.createServer` / Fastify's `https` option. */
export type HttpsOptions = PemHttpsOptions | PfxHttpsOptions;

/** Warn when a configured certificate expires within this period. */
const EXPIRY_WARNING_MS = 30 * 86_400_000;

/**
 * Decides how the server speaks TLS and loads/validates the material, so a
 * misconfiguration stops the start-up with a clear message instead of
 * surfacing as handshake failures at clients.
 *
 * - `mode: 'off'` → `null` (plain HTTP).
 * - TLS_CERT_FILE + TLS_KEY_FILE → PEM files; the key must match the
 *   certificate and the certificate must not be expired.
 * - TLS_PFX_FILE (+ TLS_PFX_PASSWORD) → PKCS#12, verified to open with OpenSSL.
 * - nothing configured → a self-signed certificate for localhost kept in
 *   `certsDir` (see {@link provisionLocalhostCertificate}).
 *
 * Empty strings count as "not set", as environment variables often are.
 *
 * @param input - the TLS settings and `now`.
 * @param log - receives paths, subjects and thumbprints only, never keys or passwords.
 * @returns `null` for plain HTTP, otherwise the options for `https.createServer`.
 * @throws TlsConfigurationError naming the offending setting(s).
 */
export async function resolveHttpsOptions(input: ResolveHttpsOptionsInput, log: TlsLogger): Promise<HttpsOptions | null> {
  if (input.mode !== 'on' && input.mode !== 'off') {
    throw new TlsConfigurationError(`TLS mode must be "on" or "off"; got ${JSON.stringify(input.mode)}`);
  }
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) {
    throw new TlsConfigurationError('now must be a valid Date');
  }
  const certFile = setting(input.certFile);
  const keyFile = setting(input.keyFile);
  const pfxFile = setting(input.pfxFile);
  const pfxPasswordSet = input.pfxPassword !== undefined && input.pfxPassword !== '';

  if (input.mode === 'off') {
    if (certFile || keyFile || pfxFile) {
      log.warn('TLS is off: TLS_CERT_FILE / TLS_KEY_FILE / TLS_PFX_FILE are ignored; serving plain HTTP');
    }
    return null;
  }

  if ((certFile || keyFile) && pfxFile) {
    throw new TlsConfigurationError('Configure either TLS_CERT_FILE + TLS_KEY_FILE or TLS_PFX_FILE, not both');
  }
  if (certFile && !keyFile) {
    throw new TlsConfigurationError('TLS_CERT_FILE is set but TLS_KEY_FILE is not; both are required');
  }
  if (keyFile && !certFile) {
    throw new TlsConfigurationError('TLS_KEY_FILE is set but TLS_CERT_FILE is not; both are required');
  }
  if (pfxPasswordSet && !pfxFile) {
    throw new TlsConfigurationError('TLS_PFX_PASSWORD is set but TLS_PFX_FILE is not');
  }

  if (certFile && keyFile) {
    return loadPemFiles(certFile, keyFile, input.now, log);
  }
  if (pfxFile) {
    return loadPfxFile(pfxFile, input.pfxPassword, log);
  }
  return provisionLocalhostCertificate({ certsDir: input.certsDir, now: input.now, hostNames: input.hostNames }, log);
}

function setting(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

async function readSettingFile(path: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new TlsConfigurationError(`${variable} (${resolve(path)}) cannot be read: ${reason}`, { cause: error });
  }
}

async function loadPemFiles(certFile: string, keyFile: string, now: Date, log: TlsLogger): Promise<PemHttpsOptions> {
  const cert = await readSettingFile(certFile, 'TLS_CERT_FILE');
  const key = await readSettingFile(keyFile, 'TLS_KEY_FILE');
  const certPem = cert.toString('utf8');

  let description;
  try {
    description = describeCertificate(certPem);
  } catch (error) {
    throw new TlsConfigurationError(`TLS_CERT_FILE (${resolve(certFile)}) does not contain a PEM certificate`, { cause: error });
  }

  let matches: boolean;
  try {
    matches = privateKeyMatchesCertificate(key.toString('utf8'), certPem);
  } catch (error) {
    throw new TlsConfigurationError(
      `TLS_KEY_FILE (${resolve(keyFile)}) is not a readable unencrypted PEM private key (encrypted keys are not supported; use TLS_PFX_FILE for password-protected keys)`,
      { cause: error },
    );
  }
  if (!matches) {
    throw new TlsConfigurationError(
      `TLS_KEY_FILE (${resolve(keyFile)}) does not match the certificate in TLS_CERT_FILE (${resolve(certFile)})`,
    );
  }

  const remainingMs = description.notAfter.getTime() - now.getTime();
  if (remainingMs <= 0) {
    throw new TlsConfigurationError(
      `The certificate in TLS_CERT_FILE (${resolve(certFile)}, ${description.subject}) expired at ${description.notAfter.toISOString()}`,
    );
  }
  const fields = {
    certFile: resolve(certFile),
    keyFile: resolve(keyFile),
    subject: description.subject,
    dnsNames: description.dnsNames,
    notAfter: description.notAfter.toISOString(),
    sha256Thumbprint: certificateThumbprints(certPem).sha256Hex,
  };
  if (description.notBefore.getTime() > now.getTime()) {
    log.warn(`TLS: the certificate in TLS_CERT_FILE is not valid before ${description.notBefore.toISOString()}; clients will reject it until then`, fields);
  } else if (remainingMs <= EXPIRY_WARNING_MS) {
    log.warn('TLS: the certificate in TLS_CERT_FILE expires within 30 days', fields);
  }
  log.info('TLS: using certificate from TLS_CERT_FILE / TLS_KEY_FILE', fields);
  return { key, cert };
}

async function loadPfxFile(pfxFile: string, passphrase: string | undefined, log: TlsLogger): Promise<PfxHttpsOptions> {
  const pfx = await readSettingFile(pfxFile, 'TLS_PFX_FILE');
  try {
    // The same OpenSSL code path https.createServer uses: PKCS12_parse, then
    // loading key + chain, which also rejects a key that does not match the certificate.
    createSecureContext({ pfx, passphrase });
  } catch (error) {
    throw new TlsConfigurationError(
      `TLS_PFX_FILE (${resolve(pfxFile)}) cannot be opened: ${describePfxFailure(error, passphrase)}`,
      { cause: error },
    );
  }
  log.info('TLS: using PKCS#12 from TLS_PFX_FILE', { pfxFile: resolve(pfxFile) });
  return passphrase === undefined ? { pfx } : { pfx, passphrase };
}

function describePfxFailure(error: unknown, passphrase: string | undefined): string {
  // Duck-typed rather than `instanceof Error`: errors from Node internals can come from another realm (e.g. under jest's vm).
  const message = (error as { message?: unknown } | null)?.message;
  let reason = typeof message === 'string' ? message : String(error);
  // OpenSSL does not echo passwords, but make sure a future message cannot leak it.
  if (passphrase) reason = reason.split(passphrase).join('***');
  if (/mac verify failure/i.test(reason)) {
    return `wrong or missing TLS_PFX_PASSWORD (${reason})`;
  }
  if (/unsupported/i.test(reason)) {
    return (
      `${reason}; the file probably uses legacy RC2/3DES encryption that OpenSSL 3 disables. ` +
      'Re-export it with AES-256 (e.g. openssl pkcs12 -legacy -in old.pfx -nodes | openssl pkcs12 -export -out new.pfx)'
    );
  }
  return `${reason} (check TLS_PFX_FILE and TLS_PFX_PASSWORD)`;
}
