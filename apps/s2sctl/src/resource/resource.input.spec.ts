import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import { appIdUriArgument, buildResourceChangeBody, buildResourceCreateBody, buildRoles, buildScopes, resourcePath } from './resource.input.js';

describe('buildRoles', () => {
  it('maps --role to Application and --user-role to User roles', () => {
    expect(buildRoles({ role: ['Read.All', 'Write.All'], userRole: ['Files.Read'] })).toEqual([
      { value: 'Read.All', allowedMemberTypes: ['Application'] },
      { value: 'Write.All', allowedMemberTypes: ['Application'] },
      { value: 'Files.Read', allowedMemberTypes: ['User'] },
    ]);
  });

  it('makes a value given with both options one role for both member types, and drops repeats', () => {
    expect(buildRoles({ role: ['Read.All', 'Read.All'], userRole: ['Read.All'] })).toEqual([{ value: 'Read.All', allowedMemberTypes: ['Application', 'User'] }]);
    expect(buildRoles({ userRole: ['Read.All'], role: ['Read.All'] })).toEqual([{ value: 'Read.All', allowedMemberTypes: ['Application', 'User'] }]);
  });

  it('is undefined when neither option was given, so set leaves the roles alone', () => {
    expect(buildRoles({ scope: ['user_impersonation'] })).toBeUndefined();
    expect(buildRoles({ userRole: [] })).toEqual([]);
  });
});

describe('buildScopes', () => {
  it('maps each --scope once to {value}', () => {
    expect(buildScopes({ scope: ['user_impersonation', 'Files.Read', 'user_impersonation'] })).toEqual([{ value: 'user_impersonation' }, { value: 'Files.Read' }]);
    expect(buildScopes({ role: ['x'] })).toBeUndefined();
  });
});

describe('buildResourceCreateBody', () => {
  it('sends the App ID URI and only the fields whose options were given', () => {
    expect(buildResourceCreateBody({ appIdUri: 'api://webapi' })).toEqual({ appIdUri: 'api://webapi' });
    expect(buildResourceCreateBody({ appIdUri: 'api://webapi', name: 'Web API', role: ['Read.All'], userRole: ['Read.All', 'Files.Read'], scope: ['user_impersonation'] })).toEqual({
      appIdUri: 'api://webapi',
      displayName: 'Web API',
      roles: [
        { value: 'Read.All', allowedMemberTypes: ['Application', 'User'] },
        { value: 'Files.Read', allowedMemberTypes: ['User'] },
      ],
      scopes: [{ value: 'user_impersonation' }],
    });
  });
});

describe('buildResourceChangeBody', () => {
  it('replaces the roles when any role option is given, the scopes when --scope is', () => {
    expect(buildResourceChangeBody({ userRole: ['Read.All'] })).toEqual({ roles: [{ value: 'Read.All', allowedMemberTypes: ['User'] }] });
    expect(buildResourceChangeBody({ name: 'n', scope: ['s'] })).toEqual({ displayName: 'n', scopes: [{ value: 's' }] });
  });

  it('refuses to send an empty change', () => {
    expect(() => buildResourceChangeBody({})).toThrow(new UsageError('nothing to change: give --name, --role, --user-role or --scope (see s2sctl resource set --help)'));
  });
});

describe('appIdUriArgument', () => {
  it.each(['api://webapi', 'https://api.contoso.com/orders', 'urn:contoso:api', ' api://webapi '])('accepts %j', (uri) => {
    expect(appIdUriArgument(uri)).toBe(uri.trim());
  });

  it.each(['webapi', 'api://', '://webapi', 'api://web api'])('refuses %j', (uri) => {
    expect(() => appIdUriArgument(uri)).toThrow(InvalidOptionArgumentError);
  });
});

describe('resourcePath', () => {
  it('encodes an App ID URI as one path segment, and leaves an id readable', () => {
    expect(resourcePath('api://webapi')).toBe('/resources/api%3A%2F%2Fwebapi');
    expect(resourcePath('https://api.contoso.com/x?y#z')).toBe('/resources/https%3A%2F%2Fapi.contoso.com%2Fx%3Fy%23z');
    expect(resourcePath('0b7c8a52-0000-4000-8000-000000000001')).toBe('/resources/0b7c8a52-0000-4000-8000-000000000001');
    expect(resourcePath('../admin-keys')).toBe('/resources/..%2Fadmin-keys');
  });

  it('refuses an empty argument', () => {
    expect(() => resourcePath(' ')).toThrow(UsageError);
  });
});
