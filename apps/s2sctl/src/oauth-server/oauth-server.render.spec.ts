import { OutputFormatter } from '../common/output.formatter.js';
import type { OAuthServer } from './oauth-server.dto.js';
import {
  formatLastSuccess,
  formatMetadataStatus,
  refreshWarning,
  renderOAuthServer,
  renderOAuthServerList,
  renderOAuthServerRefresh,
  renderOAuthServerRemoved,
} from './oauth-server.render.js';

const formatter = new OutputFormatter();
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ACS_URL = `https://accounts.accesscontrol.windows.net/${TENANT}/metadata/json/1`;
const ACS_ISSUER = `00000001-0000-0000-c000-000000000000@${TENANT}`;

const STS: OAuthServer = {
  identity: 'microsoft.sts',
  metadataUrl: ACS_URL,
  type: 'acs',
  issuer: ACS_ISSUER,
  jwksUri: null,
  issuanceEndpoint: null,
  audiences: ['00000004-0000-0ff1-ce00-000000000000'],
  tenantId: TENANT,
  allowedApplicationIds: [],
  allowedObjectIds: [],
  requiredRole: null,
  allowedTenants: [],
  allowAnyTenant: false,
  enabled: true,
  hasMetadataCaBundle: false,
  metadataHostAllowList: ['accounts.accesscontrol.windows.net'],
  allowHttpMetadata: false,
  keys: [
    { kid: null, x5t: 'x5t-acs-1', alg: null, kty: 'RSA' },
    { kid: null, x5t: 'x5t-acs-2', alg: null, kty: 'RSA' },
  ],
  metadataStatus: { lastAttemptAt: '2025-05-31T23:00:00.000Z', lastSuccessAt: '2025-05-31T23:00:00.000Z', lastError: null, reviewReason: null },
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-05-31T23:00:00.000Z',
};

const ENTRA: OAuthServer = {
  ...STS,
  identity: 'entra',
  metadataUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration',
  type: 'oidc',
  issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  jwksUri: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/discovery/v2.0/keys',
  audiences: ['api://webapi', 'api://webapi-v2'],
  tenantId: null,
  allowedApplicationIds: ['2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f', 'app-2'],
  allowedObjectIds: ['oid-1'],
  requiredRole: 'Read.All',
  enabled: false,
  hasMetadataCaBundle: true,
  metadataHostAllowList: ['login.microsoftonline.com'],
  keys: [{ kid: 'kid-1', x5t: 'x5t-1', alg: 'RS256', kty: 'RSA' }, { kid: 'ec-1', x5t: null, alg: 'ES256', kty: 'EC' }],
  metadataStatus: { lastAttemptAt: null, lastSuccessAt: null, lastError: null, reviewReason: null },
};

const FAILED: OAuthServer = {
  ...STS,
  metadataStatus: { ...STS.metadataStatus, lastAttemptAt: '2025-06-01T00:00:00.000Z', lastError: 'connect ECONNREFUSED\n10.0.0.5:443' },
};

const REVIEW_REASON = 'the metadata now names issuer x@y instead of 00000001-0000-0000-c000-000000000000@t; re-create the OAuth server to accept it';
const REVIEW: OAuthServer = { ...STS, metadataStatus: { ...STS.metadataStatus, lastError: REVIEW_REASON, reviewReason: REVIEW_REASON } };

describe('OAuth server rendering', () => {
  it('status and last success', () => {
    expect([STS, FAILED, REVIEW].map(formatMetadataStatus)).toEqual(['ok', 'error: connect ECONNREFUSED 10.0.0.5:443', `review: ${REVIEW_REASON}`]);
    expect(formatLastSuccess(STS)).toBe('2025-05-31T23:00:00.000Z');
    expect(formatLastSuccess(ENTRA)).toBe('never');
  });

  it('lists servers: audiences joined, any tenant, key count, last success, status', () => {
    expect(renderOAuthServerList(formatter, { items: [STS, ENTRA, FAILED] }).split('\n')).toEqual([
      'IDENTITY       TYPE  ISSUER                                                                       AUDIENCES                             TENANT                                KEYS  LAST SUCCESS              STATUS',
      `microsoft.sts  acs   ${ACS_ISSUER}    00000004-0000-0ff1-ce00-000000000000  ${TENANT}  2     2025-05-31T23:00:00.000Z  ok`,
      `entra          oidc  https://login.microsoftonline.com/${TENANT}/v2.0  api://webapi, api://webapi-v2         any                                   2     never                     ok`,
      `microsoft.sts  acs   ${ACS_ISSUER}    00000004-0000-0ff1-ce00-000000000000  ${TENANT}  2     2025-05-31T23:00:00.000Z  error: connect ECONNREFUSED 10.0.0.5:443`,
      '',
    ]);
  });

  it('shows an ACS server: restrictions not set read as any / none', () => {
    expect(renderOAuthServer(formatter, STS).split('\n')).toEqual([
      'identity            microsoft.sts',
      'type                acs',
      `issuer              ${ACS_ISSUER}`,
      `metadata-url        ${ACS_URL}`,
      'jwks-uri            -',
      'audiences           00000004-0000-0ff1-ce00-000000000000',
      `tenant-id           ${TENANT}`,
      'allowed-app-ids     any',
      'allowed-object-ids  any',
      'required-role       none',
      'enabled             yes',
      'metadata-ca         system store',
      'metadata-hosts      accounts.accesscontrol.windows.net',
      'allow-http          no',
      'created-at          2025-01-01T00:00:00.000Z',
      'updated-at          2025-05-31T23:00:00.000Z',
      '',
      'keys:',
      '  KID  X5T        ALG  KTY',
      '  -    x5t-acs-1  -    RSA',
      '  -    x5t-acs-2  -    RSA',
      '',
      'metadata:',
      '  status        ok',
      '  last-attempt  2025-05-31T23:00:00.000Z',
      '  last-success  2025-05-31T23:00:00.000Z',
      '  last-error    -',
      '  review        -',
      '',
    ]);
  });

  it('shows an OIDC server with its restrictions, keys and a never-downloaded status', () => {
    const text = renderOAuthServer(formatter, { ...ENTRA, keys: [...ENTRA.keys] });
    expect(text).toContain(`jwks-uri            ${ENTRA.jwksUri}\n`);
    expect(text).toContain('tenant-id           any\nallowed-app-ids     2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f, app-2\nallowed-object-ids  oid-1\nrequired-role       Read.All\nenabled             no\n');
    expect(text).toContain('metadata-ca         own CA bundle and system store\n');
    expect(text).toContain('keys:\n  KID    X5T    ALG    KTY\n  kid-1  x5t-1  RS256  RSA\n  ec-1   -      ES256  EC\n');
    expect(text).toContain('  last-attempt  never\n  last-success  never\n');
    expect(renderOAuthServer(formatter, { ...ENTRA, keys: [] })).toContain('\nkeys: (none)\n\nmetadata:\n');
  });

  it('refresh: the outcome, keys and status; the warning for stderr', () => {
    const failed = renderOAuthServerRefresh(formatter, FAILED);
    expect(failed.split('\n')[0]).toBe('refresh of microsoft.sts: error (the last known good keys were kept)');
    expect(failed).toContain('  last-error    connect ECONNREFUSED 10.0.0.5:443\n');
    expect(renderOAuthServerRefresh(formatter, STS)).toMatch(/^refresh of microsoft.sts: ok\n\nkeys:\n {2}KID/);
    expect(renderOAuthServerRefresh(formatter, REVIEW)).toMatch(/^refresh of microsoft.sts: review needed \(the new metadata was not applied; re-create the OAuth server/);
    expect(refreshWarning(STS)).toBeUndefined();
    expect(refreshWarning(FAILED)).toBe('connect ECONNREFUSED 10.0.0.5:443');
    expect(refreshWarning(REVIEW)).toBe(REVIEW_REASON);
  });

  it('remove names the server and its issuer', () => {
    expect(renderOAuthServerRemoved(STS)).toBe(`removed OAuth server microsoft.sts (issuer ${ACS_ISSUER})\n`);
    expect(renderOAuthServerRemoved({ identity: 'x', issuer: 'a\u001b[31m\nb' })).toBe('removed OAuth server x (issuer a?[31m b)\n');
  });
});
