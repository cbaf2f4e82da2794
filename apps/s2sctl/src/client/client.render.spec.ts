import { OutputFormatter } from '../common/output.formatter.js';
import type { Client } from './client.dto.js';
import { formatExpiry, formatRoleGrants, renderClient, renderClientList, renderCreatedClient, renderCreatedSecret } from './client.render.js';

const formatter = new OutputFormatter();
const NOW = new Date('2025-06-01T00:00:00.000Z');
const ID = '6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b';
const SHA1 = '9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01';

const CLIENT: Client = {
  clientId: ID,
  displayName: 'batch daemon',
  realm: 'contoso.com',
  enabled: true,
  actAsUsers: false,
  grantTypes: ['client_credentials'],
  allowTokenEndpointAudience: false,
  secrets: [
    { id: 'a1', hint: '…Zx9Q', description: 'prod', createdAt: '2025-01-01T00:00:00.000Z', expiresAt: null },
    { id: 'a2', hint: '…k3Lm', description: null, createdAt: '2024-01-01T00:00:00.000Z', expiresAt: '2025-01-01T00:00:00.000Z' },
  ],
  certificates: [{ thumbprint: SHA1, thumbprintSha256: 'AB'.repeat(32), x5t: 'x5t', subject: 'CN=daemon', notAfter: '2026-01-01T00:00:00.000Z' }],
  roleGrants: [
    { resource: 'api://webapi', resourceId: 'r1', role: 'Read.All' },
    { resource: 'api://webapi', resourceId: 'r1', role: 'Write.All' },
  ],
  scopeGrants: [],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-02T00:00:00.000Z',
};

describe('client rendering', () => {
  it('formatExpiry', () => {
    expect(formatExpiry(null, NOW)).toBe('never');
    expect(formatExpiry('2025-06-01T00:00:00.000Z', NOW)).toBe('2025-06-01T00:00:00.000Z (expired)');
    expect(formatExpiry('2025-06-02T00:00:00.000Z', NOW)).toBe('2025-06-02T00:00:00.000Z');
  });

  it('formatRoleGrants', () => {
    expect(formatRoleGrants(CLIENT.roleGrants)).toBe('Read.All (api://webapi), Write.All (api://webapi)');
  });

  it('lists clients with counts of secrets and certificates and the granted roles', () => {
    expect(renderClientList(formatter, { items: [CLIENT] }).split('\n')).toEqual([
      'CLIENT ID                             NAME          REALM        ENABLED  ACT AS USERS  SECRETS  CERTIFICATES  ROLES',
      `${ID}  batch daemon  contoso.com  yes      no            2        1             Read.All (api://webapi), Write.All (api://webapi)`,
      '',
    ]);
  });

  it('shows one client with hints (never secrets), certificates and grants', () => {
    expect(renderClient(formatter, CLIENT, NOW).split('\n')).toEqual([
      `client-id      ${ID}`,
      'name           batch daemon',
      'realm          contoso.com',
      'enabled        yes',
      'act-as-users   no',
      'grant-types    client_credentials',
      'assertion-aud  issuer',
      'created-at     2025-01-01T00:00:00.000Z',
      'updated-at     2025-01-02T00:00:00.000Z',
      '',
      'secrets:',
      '  ID  HINT   DESCRIPTION  CREATED                   EXPIRES',
      '  a1  …Zx9Q  prod         2025-01-01T00:00:00.000Z  never',
      '  a2  …k3Lm  -            2024-01-01T00:00:00.000Z  2025-01-01T00:00:00.000Z (expired)',
      '',
      'certificates:',
      '  THUMBPRINT                                SUBJECT    NOT AFTER',
      `  ${SHA1}  CN=daemon  2026-01-01T00:00:00.000Z`,
      '',
      'role grants:',
      '  RESOURCE      ROLE',
      '  api://webapi  Read.All',
      '  api://webapi  Write.All',
      '',
      'scope grants: (none)',
      '',
    ]);
    expect(renderClient(formatter, { ...CLIENT, allowTokenEndpointAudience: true }, NOW)).toContain('assertion-aud  issuer or token endpoint URL (legacy)\n');
  });

  it('prints a new secret once, on a "client-secret  <secret>" line', () => {
    const created = { ...CLIENT, secrets: [CLIENT.secrets[0]], clientSecret: 'S3cr3t-value', clientSecretId: 'a1' };
    const text = renderCreatedClient(formatter, created);
    expect(text.split('\n')).toEqual([
      `client-id      ${ID}`,
      'name           batch daemon',
      'realm          contoso.com',
      'enabled        yes',
      'act-as-users   no',
      'grant-types    client_credentials',
      'secret-id      a1',
      'client-secret  S3cr3t-value',
      '',
    ]);
    expect(renderCreatedClient(formatter, CLIENT)).not.toContain('client-secret');
    expect(renderCreatedSecret(formatter, ID, { id: 'a3', hint: '…alue', description: null, createdAt: 'c', expiresAt: null, clientSecret: 'S3cr3t-value' }).split('\n')).toEqual([
      `client-id      ${ID}`,
      'secret-id      a3',
      'description    -',
      'expires        never',
      'client-secret  S3cr3t-value',
      '',
    ]);
  });
});
