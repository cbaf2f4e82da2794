import type { Resource } from '@s2s/clients';
import { InvalidRequestError, InvalidScopeError, InvalidTargetError, type OAuthError } from '@s2s/oauth-wire';
import type { PartnerDirectory } from '@s2s/partners';
import { caught, clientDirectoryOf } from '@s2s/testing';
import { TokenTargetResolver } from './token-target.resolver.js';

const CREATED = new Date('2026-11-01T08:00:00Z');

function resource(id: string, appIdUri: string, scopes: string[] = []): Resource {
  return {
    id,
    appIdUri,
    displayName: appIdUri,
    roles: [{ value: 'Files.Read.All', description: '', allowedMemberTypes: ['Application'] }],
    scopes: scopes.map((value) => ({ value, description: '' })),
    clientId: null,
    createdAt: CREATED,
    updatedAt: CREATED,
  };
}

const WEBAPI = resource('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'api://WebApi', ['Files.Read', 'user_impersonation']);
const MAIL = resource('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'https://mail.contoso.com/api', ['Mail.Send']);
const URN = resource('cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'urn:contoso:reports');

describe('TokenTargetResolver', () => {
  let resolver: TokenTargetResolver;

  beforeAll(async () => {
    const directory = await clientDirectoryOf([], [WEBAPI, MAIL, URN]);
    // No partner application is registered: every target here is a resource.
    const noPartners = { find: () => undefined } as unknown as PartnerDirectory;
    resolver = new TokenTargetResolver(directory, noPartners);
  });

  const APP = { allowNamedScopes: false };
  const DELEGATED = { allowNamedScopes: true };

  describe('resolves', () => {
    it.each<[string, string | undefined, string | undefined, Resource]>([
      ['resource (RFC 8707)', 'api://WebApi', undefined, WEBAPI],
      ['scope <App ID URI>/.default', undefined, 'api://WebApi/.default', WEBAPI],
      ['resource and its own /.default scope', 'api://WebApi', 'api://WebApi/.default', WEBAPI],
      ['resource with another case', 'API://webapi', undefined, WEBAPI],
      ['scope with another case', undefined, 'Api://WEBAPI/.default', WEBAPI],
      ['resource and scope in different cases', 'api://webapi', 'API://WEBAPI/.default', WEBAPI],
      ['an https App ID URI with a path', 'https://mail.contoso.com/api', undefined, MAIL],
      ['/.default of an https App ID URI with a path', undefined, 'https://mail.contoso.com/api/.default', MAIL],
      ['a URN App ID URI', 'urn:contoso:reports', undefined, URN],
    ])('%s', (_name, resourceParameter, scopeParameter, expected) => {
      const target = resolver.resolve(resourceParameter, scopeParameter, APP);
      expect(target.resource).toBe(expected);
      expect(target.requestedScopes).toBeNull();
    });

    it('named delegated scopes when they are allowed (on-behalf-of), in request order', () => {
      const target = resolver.resolve(undefined, 'api://WebApi/user_impersonation api://webapi/Files.Read', DELEGATED);
      expect(target.resource).toBe(WEBAPI);
      expect(target.requestedScopes).toEqual(['user_impersonation', 'Files.Read']);
    });

    it('a named scope together with the matching resource parameter', () => {
      const target = resolver.resolve('https://mail.contoso.com/api', 'https://mail.contoso.com/api/Mail.Send', DELEGATED);
      expect(target).toEqual({ resource: MAIL, requestedScopes: ['Mail.Send'] });
    });

    it('.default when named scopes are allowed: all granted scopes (null)', () => {
      expect(resolver.resolve(undefined, 'api://webapi/.default', DELEGATED)).toEqual({ resource: WEBAPI, requestedScopes: null });
    });
  });

  describe('refuses', () => {
    it.each<[string, string | undefined, string | undefined, { allowNamedScopes: boolean }, new (...args: never[]) => OAuthError, string, string]>([
      ['an unknown resource', 'api://unknown', undefined, APP, InvalidTargetError, 'unknown_resource', 'unknown resource api://unknown'],
      ['a resource that differs by a trailing slash', 'api://WebApi/', undefined, APP, InvalidTargetError, 'unknown_resource', 'unknown resource api://WebApi/'],
      ['a resource that is not an absolute URI', 'webapi', undefined, APP, InvalidTargetError, 'resource_not_absolute_uri', 'resource must be an absolute URI'],
      ['a resource that is a relative path', '/api/webapi', undefined, APP, InvalidTargetError, 'resource_not_absolute_uri', 'resource must be an absolute URI'],
      ['a resource with a fragment (RFC 8707 2)', 'api://WebApi#x', undefined, APP, InvalidTargetError, 'resource_not_absolute_uri', 'resource must be an absolute URI'],
      ['a resource with a space', 'api://Web Api', undefined, APP, InvalidTargetError, 'resource_not_absolute_uri', 'resource must be an absolute URI'],
      ['a resource with only a scheme', 'api:', undefined, APP, InvalidTargetError, 'resource_not_absolute_uri', 'resource must be an absolute URI'],
      ['scope and resource naming different resources', 'api://WebApi', 'https://mail.contoso.com/api/.default', APP, InvalidTargetError, 'scope_resource_mismatch', 'scope and resource name different resources'],
      ['two scopes naming different resources', undefined, 'api://WebApi/.default https://mail.contoso.com/api/.default', APP, InvalidTargetError, 'scope_resource_mismatch', 'scope and resource name different resources'],
      ['a named scope with client credentials', undefined, 'api://WebApi/Files.Read', APP, InvalidScopeError, 'named_scope_not_allowed', 'use api://WebApi/.default with client credentials'],
      ['an app role named as a scope with client credentials', 'api://WebApi', 'api://WebApi/Files.Read.All', APP, InvalidScopeError, 'named_scope_not_allowed', 'use api://WebApi/.default with client credentials'],
      ['a scope the resource does not define', undefined, 'api://WebApi/Mail.Send', DELEGATED, InvalidScopeError, 'unknown_scope', 'unknown scope api://WebApi/Mail.Send'],
      ['a scope that differs in case from the defined one', undefined, 'api://WebApi/files.read', DELEGATED, InvalidScopeError, 'unknown_scope', 'unknown scope api://WebApi/files.read'],
      ['.default first, then a named scope', undefined, 'api://WebApi/.default api://WebApi/Files.Read', DELEGATED, InvalidScopeError, 'default_with_named_scopes', '.default cannot be combined with named scopes'],
      ['a named scope, then .default', undefined, 'api://WebApi/Files.Read api://WebApi/.default', DELEGATED, InvalidScopeError, 'default_with_named_scopes', '.default cannot be combined with named scopes'],
      ['a scope of an unknown resource', undefined, 'api://unknown/.default', APP, InvalidScopeError, 'unknown_scope_resource', 'unknown scope api://unknown/.default'],
      ['a bare App ID URI as scope', undefined, 'urn:contoso:reports', APP, InvalidScopeError, 'scope_malformed', 'scope urn:contoso:reports is not <App ID URI>/<scope>'],
      ['a scope ending in "/"', undefined, 'api://WebApi/', APP, InvalidScopeError, 'scope_malformed', 'scope api://WebApi/ is not <App ID URI>/<scope>'],
      ['a scope with two spaces between entries', undefined, 'api://WebApi/.default  api://WebApi/.default', APP, InvalidScopeError, 'scope_malformed', 'scope is malformed'],
      ['a scope with a leading space', undefined, ' api://WebApi/.default', APP, InvalidScopeError, 'scope_malformed', 'scope is malformed'],
      ['a scope of spaces only', undefined, '   ', APP, InvalidScopeError, 'scope_malformed', 'scope is malformed'],
      ['neither resource nor scope', undefined, undefined, APP, InvalidRequestError, 'target_missing', 'name the target with resource or scope (<App ID URI>/.default)'],
    ])('%s', (_name, resourceParameter, scopeParameter, options, type, reason, description) => {
      const error = caught(() => resolver.resolve(resourceParameter, scopeParameter, options));
      expect(error).toBeInstanceOf(type);
      expect((error as OAuthError).reason).toBe(reason);
      expect((error as OAuthError).description).toBe(description);
    });
  });
});
