import type { InputFile } from '../certificate/certificate.input.js';
import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import { readInputFile } from '../common/input-file.reader.js';
import { nonEmptyArgument } from '../common/option-argument.parser.js';

/**
 * Pure helpers both trusted-issuer command groups share (partner-application, oauth-server): the
 * metadata URL and download-policy options, and the request fields they become. Files are read by
 * the commands and passed in already read; messages name the option and path, never the contents.
 */

const PEM_CERTIFICATE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** `--metadata-url`: an absolute http(s) URL (http only for labs, with --allow-http-metadata); `example` is named in the error. */
export function httpUrlArgument(value: string, example: string): string {
  const trimmed = value.trim();
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') throw new InvalidOptionArgumentError(`Expected an https URL, e.g. ${example}.`);
  return trimmed;
}

/** Repeatable `--metadata-host`: host names or IP addresses (no scheme, path or port), each once. */
export function metadataHostArgument(value: string, previous: readonly string[] | undefined): string[] {
  const host = nonEmptyArgument(value).trim();
  if (/[\s/]/.test(host) || /^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    throw new InvalidOptionArgumentError('Expected a host name or IP address without scheme or path, e.g. mail.contoso.com.');
  }
  return previous?.includes(host) ? [...previous] : [...(previous ?? []), host];
}

/**
 * Refuses an `http://` metadata URL without `--allow-http-metadata`, before anything is read or sent.
 *
 * @throws UsageError naming the lab flag.
 */
export function refuseHttpMetadataUrl(metadataUrl: string, allowHttpMetadata: boolean | undefined): void {
  if (new URL(metadataUrl).protocol === 'http:' && !allowHttpMetadata) {
    throw new UsageError('the metadata URL is http://: use https, or add --allow-http-metadata (labs only: the keys could be tampered with in transit)');
  }
}

/**
 * The CA certificates of a `--metadata-ca-file` (PEM, one or more), without any other block the
 * file may hold.
 */
export function metadataCaBundleFromFile(file: InputFile): string {
  const blocks = file.bytes.toString('utf8').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new UsageError(`${file.option} ${file.path} holds no PEM certificate (a CA bundle is PEM, one or more CA certificates)`);
  return `${blocks.join('\n')}\n`;
}

/** Reads the `--metadata-ca-file` named by the options (1 MiB at most). */
export async function readMetadataCaFile(options: { readonly metadataCaFile?: string }): Promise<{ readonly metadataCaFile?: InputFile }> {
  const path = options.metadataCaFile;
  return path === undefined ? {} : { metadataCaFile: { option: '--metadata-ca-file', path, bytes: await readInputFile(path, '--metadata-ca-file') } };
}

/** The options of the enabled flag and the download policy, keyed as nest-commander names them. */
export interface TrustedIssuerSettingsOptions {
  readonly enabled?: boolean;
  readonly metadataCaFile?: string;
  readonly metadataHost?: readonly string[];
  readonly allowHttpMetadata?: boolean;
}

/** The request fields of those options: only the ones given. */
export interface TrustedIssuerSettingsFields {
  readonly enabled?: boolean;
  readonly metadataCaBundle?: string;
  readonly metadataHostAllowList?: readonly string[];
  readonly allowHttpMetadata?: boolean;
}

export function trustedIssuerSettingsFields(options: TrustedIssuerSettingsOptions, files: { readonly metadataCaFile?: InputFile }): TrustedIssuerSettingsFields {
  return {
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
    ...(files.metadataCaFile === undefined ? {} : { metadataCaBundle: metadataCaBundleFromFile(files.metadataCaFile) }),
    ...(options.metadataHost === undefined ? {} : { metadataHostAllowList: options.metadataHost }),
    ...(options.allowHttpMetadata === undefined ? {} : { allowHttpMetadata: options.allowHttpMetadata }),
  };
}

/**
 * `/<collection>/{identity}[/suffix]` with the identity as one encoded segment.
 *
 * @throws UsageError with `missing` for a blank identity.
 */
export function issuerPath(collection: string, identity: string, suffix: string, missing: string): string {
  const name = identity.trim();
  if (name === '') throw new UsageError(missing);
  return `/${collection}/${encodeURIComponent(name)}${suffix}`;
}
