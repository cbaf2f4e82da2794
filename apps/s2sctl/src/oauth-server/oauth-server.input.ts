import type { InputFile } from '../certificate/certificate.input.js';
import { UsageError } from '../common/cli-errors.js';
import { nonEmptyArgument } from '../common/option-argument.parser.js';
import { httpUrlArgument, issuerPath, refuseHttpMetadataUrl, type TrustedIssuerSettingsOptions, trustedIssuerSettingsFields } from '../trusted-issuer/trusted-issuer.input.js';
import type { OAuthServerChangeBody, OAuthServerCreateBody } from './oauth-server.dto.js';

/**
 * Pure helpers of the oauth-server commands: option values to request bodies and paths. The
 * `--metadata-ca-file` is read by the command and passed in already read; messages name its
 * option and path, never its contents.
 */

export const OIDC_METADATA_URL_EXAMPLE = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration';
export const ACS_METADATA_URL_EXAMPLE = 'https://accounts.accesscontrol.windows.net/contoso.onmicrosoft.com/metadata/json/1';
/** Entra's v1 (multi-tenant) discovery document, and the issuer template it names (on another host). */
export const ENTRA_V1_METADATA_URL_EXAMPLE = 'https://login.microsoftonline.com/common/.well-known/openid-configuration';
export const ENTRA_V1_ISSUER_EXAMPLE = 'https://sts.windows.net/{tenantid}/';

/** `--metadata-url`: an absolute http(s) URL of OIDC discovery or ACS metadata (http only for labs, with --allow-http-metadata). */
export function oauthMetadataUrlArgument(value: string): string {
  return httpUrlArgument(value, OIDC_METADATA_URL_EXAMPLE);
}

/**
 * Repeatable options whose values form a set (`--audience`, `--allowed-application-id`,
 * `--allowed-object-id`): trimmed, non-empty, each value once, in the order given.
 */
export function uniqueRepeatableArgument(value: string, previous: readonly string[] | undefined): string[] {
  const entry = nonEmptyArgument(value).trim();
  return previous?.includes(entry) ? [...previous] : [...(previous ?? []), entry];
}

/** Options both `new` and `set` take, keyed as nest-commander names them. */
interface OAuthServerSettingsOptions extends TrustedIssuerSettingsOptions {
  readonly metadataUrl?: string;
  /** `--audience`, repeatable. */
  readonly audience?: readonly string[];
  readonly tenantId?: string;
  /** `--allowed-application-id`, repeatable. */
  readonly allowedApplicationId?: readonly string[];
  /** `--allowed-object-id`, repeatable. */
  readonly allowedObjectId?: readonly string[];
  readonly requiredRole?: string;
  /** `--allowed-tenant`, repeatable: for a multi-tenant issuer. */
  readonly allowedTenant?: readonly string[];
  /** `--allow-any-tenant`: for a multi-tenant issuer, any tenant. */
  readonly allowAnyTenant?: boolean;
}

/** Options of `oauth-server new`. */
export interface OAuthServerNewOptions extends OAuthServerSettingsOptions {
  readonly identity: string;
  readonly metadataUrl: string;
  readonly audience: readonly string[];
  /** `--issuer`: the issuer its tokens carry when the discovery document is not at that issuer's URL (Entra v1). */
  readonly issuer?: string;
}

/** Options of `oauth-server set`: the switches of `new` take `true|false` here, and settings can be cleared. */
export interface OAuthServerSetOptions extends OAuthServerSettingsOptions {
  readonly clearTenantId?: boolean;
  readonly clearRequiredRole?: boolean;
  readonly clearAllowedApplicationIds?: boolean;
  readonly clearAllowedObjectIds?: boolean;
}

/** The `--metadata-ca-file`, already read. */
export interface OAuthServerFiles {
  readonly metadataCaFile?: InputFile;
}

const SET_KEYS: readonly (keyof OAuthServerSetOptions)[] = [
  'metadataUrl',
  'audience',
  'tenantId',
  'allowedApplicationId',
  'allowedObjectId',
  'requiredRole',
  'allowedTenant',
  'allowAnyTenant',
  'enabled',
  'metadataCaFile',
  'metadataHost',
  'allowHttpMetadata',
  'clearTenantId',
  'clearRequiredRole',
  'clearAllowedApplicationIds',
  'clearAllowedObjectIds',
];

/** A setting and the switch that clears it: given together, they contradict each other. */
const CLEARABLE = [
  ['tenantId', '--tenant-id', 'clearTenantId', '--clear-tenant-id'],
  ['requiredRole', '--required-role', 'clearRequiredRole', '--clear-required-role'],
  ['allowedApplicationId', '--allowed-application-id', 'clearAllowedApplicationIds', '--clear-allowed-application-ids'],
  ['allowedObjectId', '--allowed-object-id', 'clearAllowedObjectIds', '--clear-allowed-object-ids'],
] as const;

/**
 * Checks the options of `new` before the CA file is read.
 *
 * @throws UsageError for an `http://` metadata URL without `--allow-http-metadata`.
 */
export function checkOAuthServerNewOptions(options: OAuthServerNewOptions): void {
  refuseHttpMetadataUrl(options.metadataUrl, options.allowHttpMetadata);
}

/**
 * Checks the options of `set` before the CA file is read.
 *
 * @throws UsageError when nothing is to change, or for a setting given with the switch that clears it.
 */
export function checkOAuthServerSetOptions(options: OAuthServerSetOptions): void {
  // Only the keys of this command's options: the global ones (--server, -o) arrive in `options` too.
  if (SET_KEYS.every((key) => options[key] === undefined)) {
    throw new UsageError(
      'nothing to change: give --metadata-url, --audience, --tenant-id, --allowed-application-id, --allowed-object-id, --required-role, --allowed-tenant, --allow-any-tenant, --enabled, ' +
        '--metadata-ca-file, --metadata-host, --allow-http-metadata or a --clear-... option (see s2sctl oauth-server set --help)',
    );
  }
  for (const [key, flag, clearKey, clearFlag] of CLEARABLE) {
    if (options[key] !== undefined && options[clearKey]) throw new UsageError(`${flag} cannot be combined with ${clearFlag}`);
  }
}

/** The fields both bodies share, from the options and file given. */
function settingsFields(options: OAuthServerSettingsOptions, files: OAuthServerFiles): Omit<Partial<OAuthServerCreateBody>, 'identity'> {
  return {
    ...(options.metadataUrl === undefined ? {} : { metadataUrl: options.metadataUrl }),
    ...(options.audience === undefined ? {} : { audiences: options.audience }),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    ...(options.allowedApplicationId === undefined ? {} : { allowedApplicationIds: options.allowedApplicationId }),
    ...(options.allowedObjectId === undefined ? {} : { allowedObjectIds: options.allowedObjectId }),
    ...(options.requiredRole === undefined ? {} : { requiredRole: options.requiredRole }),
    ...(options.allowedTenant === undefined ? {} : { allowedTenants: options.allowedTenant.includes('none') ? [] : options.allowedTenant }),
    ...(options.allowAnyTenant === undefined ? {} : { allowAnyTenant: options.allowAnyTenant }),
    ...trustedIssuerSettingsFields(options, files),
  };
}

/**
 * Body of POST /oauth-servers: the identity, metadata URL and audiences, and only the other
 * settings whose options were given (the server's defaults: any tenant, application and object,
 * no required role, enabled, the URL's host only, https only).
 */
export function buildOAuthServerCreateBody(options: OAuthServerNewOptions, files: OAuthServerFiles): OAuthServerCreateBody {
  checkOAuthServerNewOptions(options);
  if (options.audience.length === 0) throw new UsageError('give at least one --audience (the aud values its tokens may carry)');
  const issuer = options.issuer === undefined ? {} : { issuer: options.issuer };
  return { identity: options.identity, ...settingsFields(options, files), ...issuer, metadataUrl: options.metadataUrl, audiences: options.audience };
}

/**
 * Body of PATCH /oauth-servers/{identity}: exactly the fields whose options were given; the
 * `--clear-...` switches send null (tenant id, required role) or an empty list (allow lists).
 */
export function buildOAuthServerChangeBody(options: OAuthServerSetOptions, files: OAuthServerFiles): OAuthServerChangeBody {
  checkOAuthServerSetOptions(options);
  return {
    ...settingsFields(options, files),
    ...(options.clearTenantId ? { tenantId: null } : {}),
    ...(options.clearRequiredRole ? { requiredRole: null } : {}),
    ...(options.clearAllowedApplicationIds ? { allowedApplicationIds: [] } : {}),
    ...(options.clearAllowedObjectIds ? { allowedObjectIds: [] } : {}),
  };
}

/** `/oauth-servers/{identity}[/suffix]` with the identity as one encoded segment. */
export function oauthServerPath(identity: string, suffix = ''): string {
  return issuerPath('oauth-servers', identity, suffix, 'give the OAuth server identity (see s2sctl oauth-server list)');
}
