import { Injectable } from '@nestjs/common';
import { ClientDirectory, type Resource } from '@s2s/clients';
import { InvalidRequestError, InvalidScopeError, InvalidTargetError } from '@s2s/oauth-wire';
import { type CachedPartner, PartnerDirectory } from '@s2s/partners';

/** What a token request targets, and which delegated scopes it names (null = all granted, `.default`). */
export interface ResolvedTarget {
  resource: Resource;
  requestedScopes: string[] | null;
}

const DEFAULT_SUFFIX = '/.default';

/**
 * Resolves the target of a token request: `resource` (RFC 8707) and/or `scope` entries of the form
 * `<App ID URI>/.default` or `<App ID URI>/<scope>`. Every named resource must be the same one.
 * Partner applications are resolved first by {@link partnerTarget}.
 */
@Injectable()
export class TokenTargetResolver {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly partners: PartnerDirectory,
  ) {}

  /**
   * The partner application a `resource` names (its identity, e.g. `microsoft.exchange`, or its
   * principal id), when it is not a registered resource's App ID URI (SPEC 5.4).
   */
  partnerTarget(resourceParameter: string | undefined): CachedPartner | undefined {
    if (resourceParameter === undefined || this.directory.resourceByAppIdUri(resourceParameter)) return undefined;
    return this.partners.find(resourceParameter);
  }

  resolve(resourceParameter: string | undefined, scopeParameter: string | undefined, options: { allowNamedScopes: boolean }): ResolvedTarget {
    let resource: Resource | undefined;
    if (resourceParameter !== undefined) {
      if (!/^[a-z][a-z0-9+.-]*:[^\s#]+$/i.test(resourceParameter)) throw new InvalidTargetError('resource must be an absolute URI', 'resource_not_absolute_uri');
      resource = this.directory.resourceByAppIdUri(resourceParameter);
      if (!resource) throw new InvalidTargetError(`unknown resource ${resourceParameter}`, 'unknown_resource');
    }
    let requestedScopes: string[] | null = null;
    if (scopeParameter !== undefined) {
      const entries = scopeParameter.split(' ').filter((entry) => entry !== '');
      if (entries.length === 0 || entries.length !== scopeParameter.split(' ').length) throw new InvalidScopeError('scope is malformed', 'scope_malformed');
      for (const entry of entries) {
        const { uri, scope } = splitScope(entry);
        const named = this.directory.resourceByAppIdUri(uri);
        if (!named) throw new InvalidScopeError(`unknown scope ${entry}`, 'unknown_scope_resource');
        if (resource && named.id !== resource.id) throw new InvalidTargetError('scope and resource name different resources', 'scope_resource_mismatch');
        resource = named;
        if (scope === '.default') continue;
        if (!options.allowNamedScopes) throw new InvalidScopeError(`use ${uri}${DEFAULT_SUFFIX} with client credentials`, 'named_scope_not_allowed');
        if (!named.scopes.some((defined) => defined.value === scope)) throw new InvalidScopeError(`unknown scope ${entry}`, 'unknown_scope');
        requestedScopes = [...(requestedScopes ?? []), scope];
      }
      if (requestedScopes && entries.some((entry) => entry.endsWith(DEFAULT_SUFFIX))) {
        throw new InvalidScopeError('.default cannot be combined with named scopes', 'default_with_named_scopes');
      }
    }
    if (!resource) throw new InvalidRequestError('name the target with resource or scope (<App ID URI>/.default)', 'target_missing');
    return { resource, requestedScopes };
  }
}

function splitScope(entry: string): { uri: string; scope: string } {
  const slash = entry.lastIndexOf('/');
  if (slash <= 0 || slash === entry.length - 1) throw new InvalidScopeError(`scope ${entry} is not <App ID URI>/<scope>`, 'scope_malformed');
  return { uri: entry.slice(0, slash), scope: entry.slice(slash + 1) };
}
