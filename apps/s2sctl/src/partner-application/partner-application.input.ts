import { certificateFromFile, type InputFile } from '../certificate/certificate.input.js';
import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import { caseInsensitiveChoiceArgument } from '../common/option-argument.parser.js';
import { httpUrlArgument, issuerPath, refuseHttpMetadataUrl, type TrustedIssuerSettingsOptions, trustedIssuerSettingsFields } from '../trusted-issuer/trusted-issuer.input.js';
import {
  DEFAULT_TRUST_LEVEL,
  TRUST_LEVELS,
  type PartnerApplicationChangeBody,
  type PartnerApplicationCreateBody,
  type TrustLevel,
} from './partner-application.dto.js';

/**
 * Pure helpers of the partner-application commands: option values to request bodies and paths.
 * Files (`--certificate`, `--metadata-ca-file`) are read by the command and passed in already
 * read; messages name the option and path of a file, never its contents. The metadata options are
 * the trusted-issuer ones (shared with oauth-server).
 */

export { metadataCaBundleFromFile, metadataHostArgument } from '../trusted-issuer/trusted-issuer.input.js';

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
export const METADATA_URL_EXAMPLE = 'https://mail.contoso.com/autodiscover/metadata/json/1';

/** `--trust-level`: Full, Application or User in any case, sent in the API's spelling. */
export function trustLevelArgument(value: string): TrustLevel {
  return caseInsensitiveChoiceArgument(value, TRUST_LEVELS);
}

/**
 * `--application-identifier`: the partner's principal id, a GUID, with or without the braces
 * PowerShell prints; sent in lowercase, the form the API stores and compares.
 */
export function applicationIdentifierArgument(value: string): string {
  const match = GUID.exec(value.trim());
  if (!match) throw new InvalidOptionArgumentError('Expected a GUID, e.g. 00000002-0000-0ff1-ce00-000000000000.');
  return match[1].toLowerCase();
}

/** `--metadata-url`: an absolute http(s) URL (http only for labs, with --allow-http-metadata). */
export function metadataUrlArgument(value: string): string {
  return httpUrlArgument(value, METADATA_URL_EXAMPLE);
}

/** Options both `new` and `set` take, keyed as nest-commander names them. */
interface PartnerSettingsOptions extends TrustedIssuerSettingsOptions {
  readonly metadataUrl?: string;
  readonly applicationIdentifier?: string;
  readonly realm?: string;
  /** Paths of the `--certificate` files. */
  readonly certificate?: readonly string[];
  readonly host?: string;
  readonly trustLevel?: TrustLevel;
  readonly acceptSecurityIdentifierInformation?: boolean;
  /** `--source-address`, repeatable: addresses it downloads our metadata from (rollover evidence). */
  readonly sourceAddress?: readonly string[];
  readonly keyChangePolicy?: 'accept' | 'review';
  /** `--accepted-domain`, repeatable: domains whose users it may act for where its realm is a tenant id. */
  readonly acceptedDomain?: readonly string[];
}

/** `--accepted-domain`: contoso.com or *.contoso.com, sent in lowercase. */
export function acceptedDomainArgument(value: string): string {
  const domain = value.trim().toLowerCase();
  if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)) throw new InvalidOptionArgumentError('Expected a DNS domain, e.g. contoso.com or *.contoso.com.');
  return domain;
}

/** `--key-change-policy`: accept or review (any case). */
export function keyChangePolicyArgument(value: string): 'accept' | 'review' {
  const policy = value.trim().toLowerCase();
  if (policy !== 'accept' && policy !== 'review') throw new InvalidOptionArgumentError('must be accept or review');
  return policy;
}

const SETTING_KEYS: readonly (keyof PartnerSettingsOptions)[] = [
  'metadataUrl',
  'applicationIdentifier',
  'realm',
  'certificate',
  'host',
  'trustLevel',
  'acceptSecurityIdentifierInformation',
  'sourceAddress',
  'keyChangePolicy',
  'acceptedDomain',
  'enabled',
  'metadataCaFile',
  'metadataHost',
  'allowHttpMetadata',
];

/** Options of `partner-application new`. */
export interface PartnerNewOptions extends PartnerSettingsOptions {
  readonly identity: string;
  /** `--use-oauth-server`: the OAuth server (type acs) whose tokens speak for the partner (New-CsPartnerApplication -UseOAuthServer). */
  readonly useOauthServer?: string;
}

/** Options of `partner-application set`; the switches of `new` take `true|false` here. */
export type PartnerSetOptions = PartnerSettingsOptions;

/** The `--certificate` and `--metadata-ca-file` files, already read. */
export interface PartnerFiles {
  readonly certificates?: readonly InputFile[];
  readonly metadataCaFile?: InputFile;
}

/** A request body, and the `--certificate` files of which only the first certificate was sent. */
export interface PartnerRequest<T> {
  readonly body: T;
  readonly ignoredChains: readonly string[];
}

const METADATA_ONLY = [
  ['metadataCaFile', '--metadata-ca-file'],
  ['metadataHost', '--metadata-host'],
  ['allowHttpMetadata', '--allow-http-metadata'],
] as const;

/**
 * Which parameter set of New-CsPartnerApplication the options use: `--metadata-url`, or
 * `--application-identifier` with `--realm` and at least one `--certificate`. Checked before any
 * file is read.
 *
 * @throws UsageError for a mix of both sets, an incomplete set, or metadata options without a URL.
 */
export function partnerParameterSet(options: PartnerNewOptions): 'metadata' | 'certificates' | 'oauth-server' {
  if (options.useOauthServer !== undefined) {
    const mixed = [
      ...(options.metadataUrl === undefined ? [] : ['--metadata-url']),
      ...(options.realm === undefined ? [] : ['--realm']),
      ...(options.certificate === undefined ? [] : ['--certificate']),
      ...METADATA_ONLY.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag),
    ];
    if (mixed.length > 0) throw new UsageError(`--use-oauth-server cannot be combined with ${mixed.join(', ')}: the partner's tokens and keys come from the OAuth server, its realm is the server's tenant`);
    if (options.applicationIdentifier === undefined) throw new UsageError('with --use-oauth-server, also give --application-identifier <guid>');
    return 'oauth-server';
  }
  if (options.metadataUrl !== undefined) {
    const mixed = [
      ...(options.applicationIdentifier === undefined ? [] : ['--application-identifier']),
      ...(options.realm === undefined ? [] : ['--realm']),
      ...(options.certificate === undefined ? [] : ['--certificate']),
    ];
    if (mixed.length > 0) {
      throw new UsageError(
        `--metadata-url cannot be combined with ${mixed.join(', ')}: the metadata document names the partner's application identifier, realm and certificates`,
      );
    }
    refuseHttpMetadataUrl(options.metadataUrl, options.allowHttpMetadata);
    return 'metadata';
  }
  const missing = [
    ...(options.applicationIdentifier === undefined ? ['--application-identifier <guid>'] : []),
    ...(options.realm === undefined ? ['--realm <realm>'] : []),
    ...(options.certificate?.length ? [] : ['--certificate <file>']),
  ];
  if (missing.length === 3) {
    throw new UsageError(
      'give --metadata-url <url>, or --application-identifier <guid> --realm <realm> --certificate <file> (see s2sctl partner-application new --help)',
    );
  }
  if (missing.length > 0) throw new UsageError(`without --metadata-url, also give ${missing.join(' and ')}`);
  const metadataOnly = METADATA_ONLY.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  if (metadataOnly.length > 0) throw new UsageError(`${metadataOnly.join(', ')} ${metadataOnly.length > 1 ? 'go' : 'goes'} with --metadata-url`);
  return 'certificates';
}

/**
 * The `certificates` field from the `--certificate` files: PEM text or base64 DER, one entry per
 * file. Only the first certificate of a PEM file is pinned: CA certificates after it must not
 * become trusted token signers.
 */
export function pinnedCertificatesFromFiles(files: readonly InputFile[]): { readonly certificates: string[]; readonly ignoredChains: string[] } {
  const certificates: string[] = [];
  const ignoredChains: string[] = [];
  for (const file of files) {
    const { certificate, chainInFile } = certificateFromFile(file);
    certificates.push(certificate);
    if (chainInFile !== undefined) ignoredChains.push(file.path);
  }
  return { certificates, ignoredChains };
}

/** The fields both bodies share, from the options and files given. */
function settingsFields(options: PartnerSettingsOptions, files: PartnerFiles): { readonly fields: PartnerApplicationChangeBody; readonly ignoredChains: string[] } {
  const pinned = files.certificates === undefined ? undefined : pinnedCertificatesFromFiles(files.certificates);
  const fields: PartnerApplicationChangeBody = {
    ...(options.metadataUrl === undefined ? {} : { metadataUrl: options.metadataUrl }),
    ...(options.applicationIdentifier === undefined ? {} : { applicationIdentifier: options.applicationIdentifier }),
    ...(options.realm === undefined ? {} : { realm: options.realm }),
    ...(pinned === undefined ? {} : { certificates: pinned.certificates }),
    ...(options.host === undefined ? {} : { hostAuthority: options.host }),
    ...(options.trustLevel === undefined ? {} : { trustLevel: options.trustLevel }),
    ...(options.acceptSecurityIdentifierInformation === undefined ? {} : { acceptSecurityIdentifierInformation: options.acceptSecurityIdentifierInformation }),
    ...(options.sourceAddress === undefined ? {} : { sourceAddresses: options.sourceAddress.includes('none') ? [] : [...options.sourceAddress] }),
    ...(options.keyChangePolicy === undefined ? {} : { keyChangePolicy: options.keyChangePolicy }),
    ...(options.acceptedDomain === undefined ? {} : { acceptedDomains: options.acceptedDomain.includes('none') ? [] : [...options.acceptedDomain] }),
    ...trustedIssuerSettingsFields(options, files),
  };
  return { fields, ignoredChains: pinned?.ignoredChains ?? [] };
}

/**
 * Body of POST /partner-applications: the identity, one parameter set, the trust level (always
 * sent, so the level is the one s2sctl documents whatever the server's default), and only the
 * other settings whose options were given.
 */
export function buildPartnerCreateBody(options: PartnerNewOptions, files: PartnerFiles): PartnerRequest<PartnerApplicationCreateBody> {
  partnerParameterSet(options);
  const { fields, ignoredChains } = settingsFields(options, files);
  return {
    body: {
      identity: options.identity,
      ...fields,
      ...(options.useOauthServer === undefined ? {} : { useOAuthServer: options.useOauthServer }),
      trustLevel: options.trustLevel ?? DEFAULT_TRUST_LEVEL,
    },
    ignoredChains,
  };
}

/**
 * Checks the options of `set` before any file is read.
 *
 * @throws UsageError when nothing is to change, or for `--metadata-url` with `--certificate`.
 */
export function checkPartnerSetOptions(options: PartnerSetOptions): void {
  // Only the keys of this command's options: the global ones (--server, -o) arrive in `options` too.
  if (SETTING_KEYS.every((key) => options[key] === undefined)) {
    throw new UsageError(
      'nothing to change: give --metadata-url, --certificate, --host, --trust-level, --accept-security-identifier-information, --source-address, --key-change-policy, --accepted-domain, --enabled, ' +
        '--metadata-ca-file, --metadata-host or --allow-http-metadata (see s2sctl partner-application set --help)',
    );
  }
  if (options.metadataUrl !== undefined && options.certificate !== undefined) {
    throw new UsageError('--metadata-url cannot be combined with --certificate: a partner with a metadata URL takes its keys from the metadata');
  }
}

/** Body of PATCH /partner-applications/{identity}: exactly the fields whose options were given. */
export function buildPartnerChangeBody(options: PartnerSetOptions, files: PartnerFiles): PartnerRequest<PartnerApplicationChangeBody> {
  checkPartnerSetOptions(options);
  const { fields, ignoredChains } = settingsFields(options, files);
  return { body: fields, ignoredChains };
}

/** `/partner-applications/{identity}[/suffix]` with the identity as one encoded segment. */
export function partnerPath(identity: string, suffix = ''): string {
  return issuerPath('partner-applications', identity, suffix, 'give the partner application identity (see s2sctl partner-application list)');
}
