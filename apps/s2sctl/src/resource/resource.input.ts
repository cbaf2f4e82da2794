import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import type { ResourceChangeBody, ResourceCreateBody, RoleInput, RoleMemberType, ScopeInput } from './resource.dto.js';

/**
 * Pure helpers of the resource commands: option values to request bodies. `--role` grants a role
 * to applications (client credentials), `--user-role` to users (delegated tokens); a value given
 * with both is one role that allows both member types, as Entra ID models it.
 */

/** Options shared by `resource new` and `resource set`, keyed as nest-commander names them. */
export interface ResourceListOptions {
  readonly role?: readonly string[];
  readonly userRole?: readonly string[];
  readonly scope?: readonly string[];
}

export interface ResourceNewOptions extends ResourceListOptions {
  readonly appIdUri: string;
  readonly name?: string;
}

export interface ResourceSetOptions extends ResourceListOptions {
  readonly name?: string;
}

/** `scheme:rest`, e.g. `api://webapi`, `https://api.contoso.com` or `urn:contoso:api`; not `api://` alone. */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?!\/*$)\S+$/;

/** `--app-id-uri`: an absolute URI; the API checks the details. */
export function appIdUriArgument(value: string): string {
  const uri = value.trim();
  if (!ABSOLUTE_URI.test(uri)) {
    throw new InvalidOptionArgumentError('Expected an absolute URI, e.g. api://webapi or https://api.contoso.com.');
  }
  return uri;
}

/**
 * The `roles` list from `--role` (Application) and `--user-role` (User), in the order given, each
 * value once; `undefined` when neither option was given (so `set` leaves the roles alone).
 */
export function buildRoles(options: ResourceListOptions): RoleInput[] | undefined {
  if (options.role === undefined && options.userRole === undefined) return undefined;
  const memberTypes = new Map<string, RoleMemberType[]>();
  const add = (values: readonly string[] | undefined, type: RoleMemberType): void => {
    for (const value of values ?? []) {
      const types = memberTypes.get(value) ?? [];
      if (!types.includes(type)) types.push(type);
      memberTypes.set(value, types);
    }
  };
  add(options.role, 'Application');
  add(options.userRole, 'User');
  return [...memberTypes].map(([value, allowedMemberTypes]) => ({ value, allowedMemberTypes }));
}

/** The `scopes` list from `--scope`, each value once; `undefined` when not given. */
export function buildScopes(options: ResourceListOptions): ScopeInput[] | undefined {
  if (options.scope === undefined) return undefined;
  return [...new Set(options.scope)].map((value) => ({ value }));
}

/** Body of POST /resources: the App ID URI and only the fields whose options were given. */
export function buildResourceCreateBody(options: ResourceNewOptions): ResourceCreateBody {
  const roles = buildRoles(options);
  const scopes = buildScopes(options);
  return {
    appIdUri: options.appIdUri,
    ...(options.name === undefined ? {} : { displayName: options.name }),
    ...(roles === undefined ? {} : { roles }),
    ...(scopes === undefined ? {} : { scopes }),
  };
}

/**
 * Body of PATCH /resources/{idOrAppIdUri}. Giving any of `--role`/`--user-role` replaces all the
 * roles (so both kinds must be repeated), `--scope` all the scopes.
 *
 * @throws UsageError when no option was given.
 */
export function buildResourceChangeBody(options: ResourceSetOptions): ResourceChangeBody {
  const roles = buildRoles(options);
  const scopes = buildScopes(options);
  if (options.name === undefined && roles === undefined && scopes === undefined) {
    throw new UsageError('nothing to change: give --name, --role, --user-role or --scope (see s2sctl resource set --help)');
  }
  return {
    ...(options.name === undefined ? {} : { displayName: options.name }),
    ...(roles === undefined ? {} : { roles }),
    ...(scopes === undefined ? {} : { scopes }),
  };
}

/** `/resources/{idOrAppIdUri}`: the App ID URI holds `:` and `/`, so it is one encoded segment. */
export function resourcePath(idOrAppIdUri: string): string {
  const key = idOrAppIdUri.trim();
  if (key === '') throw new UsageError('give the App ID URI or the id of the resource (see s2sctl resource list)');
  return `/resources/${encodeURIComponent(key)}`;
}
