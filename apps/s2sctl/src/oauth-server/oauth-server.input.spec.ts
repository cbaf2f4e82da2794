import type { InputFile } from '../certificate/certificate.input.js';
import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import {
  OIDC_METADATA_URL_EXAMPLE,
  buildOAuthServerChangeBody,
  buildOAuthServerCreateBody,
  checkOAuthServerNewOptions,
  checkOAuthServerSetOptions,
  oauthMetadataUrlArgument,
  oauthServerPath,
  uniqueRepeatableArgument,
} from './oauth-server.input.js';

// Synthetic PEM blocks: the helpers look at the armour, not at ASN.1 contents.
const pem = (label: string, body: string): string => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
const ROOT = pem('CERTIFICATE', 'Uk9PVA==');
const KEY = pem('PRIVATE KEY', 'S0VZLXNlY3JldA==');
const URL = 'https://accounts.accesscontrol.windows.net/contoso.onmicrosoft.com/metadata/json/1';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const APP_ID = '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f';

const caFile = (content: string, path = 'ca.pem'): InputFile => ({ option: '--metadata-ca-file', path, bytes: Buffer.from(content, 'utf8') });

/** Runs `fn` expecting a UsageError and returns its message. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('option values', () => {
  it('--metadata-url takes http(s) URLs only', () => {
    expect(oauthMetadataUrlArgument(` ${URL} `)).toBe(URL);
    expect(oauthMetadataUrlArgument('http://idp.lab.local/.well-known/openid-configuration')).toBe('http://idp.lab.local/.well-known/openid-configuration');
    for (const bad of ['login.microsoftonline.com/common/v2.0', 'ftp://idp/m', 'file:///etc/passwd', '']) {
      expect(() => oauthMetadataUrlArgument(bad)).toThrow(new InvalidOptionArgumentError(`Expected an https URL, e.g. ${OIDC_METADATA_URL_EXAMPLE}.`));
    }
  });

  it('--audience, --allowed-application-id, --allowed-object-id: repeatable, trimmed, each value once', () => {
    const first = uniqueRepeatableArgument(' api://webapi ', undefined);
    expect(first).toEqual(['api://webapi']);
    expect(uniqueRepeatableArgument(APP_ID, first)).toEqual(['api://webapi', APP_ID]);
    expect(uniqueRepeatableArgument('api://webapi', first)).toEqual(['api://webapi']);
    // Case matters in aud values: both are kept.
    expect(uniqueRepeatableArgument('API://WEBAPI', first)).toEqual(['api://webapi', 'API://WEBAPI']);
    expect(() => uniqueRepeatableArgument(' ', first)).toThrow(new InvalidOptionArgumentError('Must not be empty.'));
  });
});

describe('buildOAuthServerCreateBody', () => {
  it('the identity, metadata URL and audiences, and nothing else by default', () => {
    expect(buildOAuthServerCreateBody({ identity: 'microsoft.sts', metadataUrl: URL, audience: ['00000004-0000-0ff1-ce00-000000000000'] }, {})).toEqual({
      identity: 'microsoft.sts',
      metadataUrl: URL,
      audiences: ['00000004-0000-0ff1-ce00-000000000000'],
    });
  });

  it('every option; the CA file sends only its certificates', () => {
    const body = buildOAuthServerCreateBody(
      {
        identity: 'lab.idp',
        metadataUrl: 'http://idp.lab.local/.well-known/openid-configuration',
        audience: ['api://webapi', 'api://other'],
        tenantId: TENANT,
        allowedApplicationId: [APP_ID],
        allowedObjectId: ['oid-1', 'oid-2'],
        requiredRole: 'Read.All',
        enabled: false,
        metadataCaFile: 'ca.pem',
        metadataHost: ['idp.lab.local', '10.0.0.5'],
        allowHttpMetadata: true,
      },
      { metadataCaFile: caFile(`subject=CN=lab root\n${ROOT}\n${KEY}\n`) },
    );
    expect(body).toEqual({
      identity: 'lab.idp',
      metadataUrl: 'http://idp.lab.local/.well-known/openid-configuration',
      audiences: ['api://webapi', 'api://other'],
      tenantId: TENANT,
      allowedApplicationIds: [APP_ID],
      allowedObjectIds: ['oid-1', 'oid-2'],
      requiredRole: 'Read.All',
      enabled: false,
      metadataCaBundle: `${ROOT}\n`,
      metadataHostAllowList: ['idp.lab.local', '10.0.0.5'],
      allowHttpMetadata: true,
    });
  });

  it('--issuer for a discovery document on another host than its issuer (Entra v1), with the allowed tenants', () => {
    const v1 = 'https://login.microsoftonline.com/common/.well-known/openid-configuration';
    expect(buildOAuthServerCreateBody({ identity: 'entra.v1', metadataUrl: v1, audience: ['api://webapi'], issuer: 'https://sts.windows.net/{tenantid}/', allowedTenant: [TENANT] }, {})).toEqual({
      identity: 'entra.v1',
      metadataUrl: v1,
      audiences: ['api://webapi'],
      issuer: 'https://sts.windows.net/{tenantid}/',
      allowedTenants: [TENANT],
    });
  });

  it('refuses an http:// metadata URL without --allow-http-metadata, and no audience', () => {
    expect(usageMessage(() => checkOAuthServerNewOptions({ identity: 'x', metadataUrl: 'http://idp.lab.local/m', audience: ['a'] }))).toBe(
      'the metadata URL is http://: use https, or add --allow-http-metadata (labs only: the keys could be tampered with in transit)',
    );
    expect(usageMessage(() => buildOAuthServerCreateBody({ identity: 'x', metadataUrl: URL, audience: [] }, {}))).toBe(
      'give at least one --audience (the aud values its tokens may carry)',
    );
  });

  it('refuses a CA file without a certificate, without quoting it', () => {
    expect(usageMessage(() => buildOAuthServerCreateBody({ identity: 'x', metadataUrl: URL, audience: ['a'], metadataCaFile: 'key.pem' }, { metadataCaFile: caFile(KEY, 'key.pem') }))).toBe(
      '--metadata-ca-file key.pem holds no PEM certificate (a CA bundle is PEM, one or more CA certificates)',
    );
  });
});

describe('buildOAuthServerChangeBody', () => {
  it('sends exactly the given fields; switches may be false', () => {
    expect(buildOAuthServerChangeBody({ enabled: false, allowHttpMetadata: false, audience: ['api://webapi'] }, {})).toEqual({
      enabled: false,
      allowHttpMetadata: false,
      audiences: ['api://webapi'],
    });
    expect(buildOAuthServerChangeBody({ metadataUrl: URL, tenantId: TENANT, requiredRole: 'Read.All', allowedObjectId: ['oid'] }, {})).toEqual({
      metadataUrl: URL,
      tenantId: TENANT,
      requiredRole: 'Read.All',
      allowedObjectIds: ['oid'],
    });
  });

  it('--clear-... sends null for the tenant id and role, an empty list for the allow lists', () => {
    expect(
      buildOAuthServerChangeBody({ clearTenantId: true, clearRequiredRole: true, clearAllowedApplicationIds: true, clearAllowedObjectIds: true }, {}),
    ).toEqual({ tenantId: null, requiredRole: null, allowedApplicationIds: [], allowedObjectIds: [] });
    expect(buildOAuthServerChangeBody({ clearTenantId: true, allowedApplicationId: [APP_ID] }, {})).toEqual({ tenantId: null, allowedApplicationIds: [APP_ID] });
  });

  it('nothing to change is a usage error; global options do not count', () => {
    expect(usageMessage(() => checkOAuthServerSetOptions({}))).toBe(
      'nothing to change: give --metadata-url, --audience, --tenant-id, --allowed-application-id, --allowed-object-id, --required-role, --allowed-tenant, --allow-any-tenant, --enabled, ' +
        '--metadata-ca-file, --metadata-host, --allow-http-metadata or a --clear-... option (see s2sctl oauth-server set --help)',
    );
    expect(usageMessage(() => checkOAuthServerSetOptions({ server: 'https://x', output: 'json' } as never))).toMatch(/^nothing to change/);
  });

  it.each([
    [{ tenantId: TENANT, clearTenantId: true }, '--tenant-id cannot be combined with --clear-tenant-id'],
    [{ requiredRole: 'Read.All', clearRequiredRole: true }, '--required-role cannot be combined with --clear-required-role'],
    [{ allowedApplicationId: [APP_ID], clearAllowedApplicationIds: true }, '--allowed-application-id cannot be combined with --clear-allowed-application-ids'],
    [{ allowedObjectId: ['oid'], clearAllowedObjectIds: true }, '--allowed-object-id cannot be combined with --clear-allowed-object-ids'],
  ])('refuses a setting with the switch that clears it: %j', (options, message) => {
    expect(usageMessage(() => buildOAuthServerChangeBody(options, {}))).toBe(message);
  });
});

describe('oauthServerPath', () => {
  it('encodes the identity as one segment', () => {
    expect(oauthServerPath(' microsoft.sts ')).toBe('/oauth-servers/microsoft.sts');
    expect(oauthServerPath('a/b c', '/refresh')).toBe('/oauth-servers/a%2Fb%20c/refresh');
    expect(usageMessage(() => oauthServerPath(' '))).toBe('give the OAuth server identity (see s2sctl oauth-server list)');
  });
});
