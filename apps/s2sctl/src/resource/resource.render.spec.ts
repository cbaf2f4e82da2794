import { OutputFormatter } from '../common/output.formatter.js';
import type { Resource } from './resource.dto.js';
import { formatRole, renderResource, renderResourceList } from './resource.render.js';

const formatter = new OutputFormatter();

const RESOURCE: Resource = {
  id: '0b7c8a52-0000-4000-8000-000000000001',
  appIdUri: 'api://webapi',
  displayName: 'Web API',
  roles: [
    { value: 'Read.All', description: 'Read everything', allowedMemberTypes: ['Application'] },
    { value: 'Files.Read', description: '', allowedMemberTypes: ['Application', 'User'] },
  ],
  scopes: [{ value: 'user_impersonation', description: 'Act as the user' }],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
};

describe('resource rendering', () => {
  it('formatRole names the member types unless it is an application role', () => {
    expect(formatRole(RESOURCE.roles[0])).toBe('Read.All');
    expect(formatRole(RESOURCE.roles[1])).toBe('Files.Read (application, user)');
    expect(formatRole({ value: 'X', allowedMemberTypes: ['User'] })).toBe('X (user)');
  });

  it('lists resources in a table', () => {
    expect(renderResourceList(formatter, { items: [RESOURCE] }).split('\n')).toEqual([
      'APP ID URI    NAME     ROLES                                     SCOPES              ID',
      `api://webapi  Web API  Read.All, Files.Read (application, user)  user_impersonation  ${RESOURCE.id}`,
      '',
    ]);
  });

  it('shows one resource with its roles and scopes', () => {
    expect(renderResource(formatter, RESOURCE).split('\n')).toEqual([
      'app-id-uri  api://webapi',
      `id          ${RESOURCE.id}`,
      'name        Web API',
      'created-at  2025-01-01T00:00:00.000Z',
      'updated-at  2025-01-02T00:00:00.000Z',
      '',
      'roles:',
      '  VALUE       MEMBER TYPES       DESCRIPTION',
      '  Read.All    Application        Read everything',
      '  Files.Read  Application, User  -',
      '',
      'scopes:',
      '  VALUE               DESCRIPTION',
      '  user_impersonation  Act as the user',
      '',
    ]);
    expect(renderResource(formatter, { ...RESOURCE, roles: [], scopes: [] })).toMatch(/\nroles: \(none\)\n\nscopes: \(none\)\n$/);
  });
});
