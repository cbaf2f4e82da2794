import { createHash, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { importPKCS8, type JWK, SignJWT } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import { createSelfSignedCertificate, generateRsaKeyPair } from '@s2s/crypto';
import {
  createTestDatabase,
  httpRequest,
  OpenSslToolkit,
  removeDir,
  runCli,
  startServerProcess,
  testDatabaseKinds,
  type HttpResponse,
  type ServerProcess,
  type TestDatabase,
} from '@s2s/testing';

const ACS = '00000001-0000-0000-c000-000000000000';
const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
const SHAREPOINT = '00000003-0000-0ff1-ce00-000000000000';
const SKYPE = '00000004-0000-0ff1-ce00-000000000000';
const STRANGER = '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const HOST = 's2s.contoso.com';
const ISSUER = `${ACS}@${TENANT}`;
/** Our audience as ACS writes it for a tenant: `<our service name>/<our host>@<tenant>`. */
const AUDIENCE = `${SKYPE}/${HOST}@${TENANT}`;

/** Tenants of the multi-tenant issuer (Entra `…/{tenantid}/v2.0`). */
const TENANT_A = 'a1b2c3d4-0000-4000-8000-00000000000a';
const TENANT_B = 'a1b2c3d4-0000-4000-8000-00000000000b';
const TENANT_C = 'a1b2c3d4-0000-4000-8000-00000000000c';
const DAEMON = '6e0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const API_GUID = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const derOf = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
/** base64url SHA-1 of the DER certificate, computed here (not by the service's code). */
const x5tOf = (pem: string): string => createHash('sha1').update(derOf(pem)).digest('base64url');

/**
 * Hybrid trust through an authorization server (issue 21): an ACS-like trust broker written here (a
 * real HTTPS server with a node-forge TLS certificate, ACS JSON metadata naming
 * `00000001-…@<tenant>` and an openssl-made signing certificate) issues Microsoft-format actor
 * tokens, signed with jose and cross-checked with jsonwebtoken; the service trusts them for the
 * partners registered with --use-oauth-server, through the admin API, s2sctl, explain and
 * introspection, and refuses every variation with its own reason code.
 */
describe.each(testDatabaseKinds())('hybrid trust through an authorization server, on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  let database: TestDatabase;
  let server: ServerProcess;
  let ca: Buffer;
  let adminKey: string;
  let acs: Server;
  let acsUrl: string;
  let acsTls: string;
  let signing: { certificatePem: string; privateKeyPem: string };
  let rogue: { certificatePem: string; privateKeyPem: string };
  let introspector: { clientId: string; clientSecret: string };
  let env: Record<string, string>;
  const entraKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** The trust broker's side: our token-issuer certificate once registered with the tenant, the relying parties it knows, what it issued. */
  const broker = { registeredCertificate: null as string | null, relyingParties: new Set([`${EXCHANGE}/mail.contoso.com@${TENANT}`]), requests: 0, issued: [] as string[] };
  const now = (): number => Math.floor(Date.now() / 1000);

  const admin = async (method: string, path: string, body?: unknown): Promise<HttpResponse> =>
    httpRequest(`${server.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca,
    });
  const cli = (...args: string[]) => runCli(args, { env });
  const explain = async (token: string): Promise<any> => (await admin('POST', '/tokens/validate', { token })).json();
  const verdict = async (token: string): Promise<string> => {
    const result = await explain(token);
    return result.valid ? 'valid' : result.reason;
  };
  /** The verdict once the change just made has reached the validator (the change feed), within a deadline. */
  const verdictBecomes = async (token: string, expected: string): Promise<string> => {
    const deadline = Date.now() + 15_000;
    let last = await verdict(token);
    while (last !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await verdict(token);
    }
    return last;
  };
  const introspect = async (token: string): Promise<any> =>
    (
      await httpRequest(`${server.url}/oauth2/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${introspector.clientId}:${introspector.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ token }).toString(),
        ca,
      })
    ).json();

  /** An ACS actor token (RS256, x5t of the signing certificate, numeric dates as Entra writes them). */
  const actorToken = async (claims: Record<string, unknown> = {}, options: { key?: { certificatePem: string; privateKeyPem: string }; x5t?: string } = {}): Promise<string> => {
    const key = options.key ?? signing;
    const t = now();
    const payload = { aud: AUDIENCE, iss: ISSUER, nbf: t - 60, exp: t + 3600, nameid: `${EXCHANGE}@${TENANT}`, identityprovider: ISSUER, oid: 'c8f2a1e0-0000-4000-8000-000000000001', ...claims };
    for (const name of Object.keys(payload)) if ((payload as Record<string, unknown>)[name] === undefined) delete (payload as Record<string, unknown>)[name];
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t: options.x5t ?? x5tOf(key.certificatePem) }).sign(await importPKCS8(key.privateKeyPem, 'RS256'));
  };
  /** The unsigned outer token of a user, wrapping `actor` (MS S2S profile). */
  const outerToken = (actor: string, user: Record<string, unknown>, nameid = `${EXCHANGE}@${TENANT}`): string => {
    const t = now();
    return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url({ aud: AUDIENCE, iss: nameid, nbf: t - 10, exp: t + 300, actortoken: actor, nii: 'urn:federation:microsoftonline', ...user })}.`;
  };

  /** The broker's issuance endpoint ([MS-XOAUTH] 3.2.5.2): a self-issued assertion of a registered principal in, an actor token for `resource` out. */
  const issue = async (form: URLSearchParams): Promise<{ status: number; body: Record<string, unknown> }> => {
    broker.requests += 1;
    if (form.get('grant_type') !== 'http://oauth.net/grant_type/jwt/1.0/bearer') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'ACS90001: grant_type' } };
    let claims: Record<string, unknown>;
    try {
      if (broker.registeredCertificate === null) throw new Error('no certificate registered');
      claims = jsonwebtoken.verify(form.get('assertion') ?? '', broker.registeredCertificate, { algorithms: ['RS256'], audience: `${ACS}/${new URL(acsUrl).host}@${TENANT}` }) as Record<string, unknown>;
    } catch {
      return { status: 401, body: { error: 'invalid_client', error_description: 'ACS50027: Invalid JWT token. The signing certificate of the client is not registered with the tenant.' } };
    }
    const resource = form.get('resource') ?? '';
    if (!broker.relyingParties.has(resource)) return { status: 400, body: { error: 'invalid_request', error_description: `ACS50001: Relying party with identifier '${resource}' was not found.` } };
    const t = now();
    const token = await new SignJWT({ aud: resource, iss: ISSUER, nbf: t, exp: t + 3600, nameid: claims.nameid, identityprovider: ISSUER })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t: x5tOf(signing.certificatePem) })
      .sign(await importPKCS8(signing.privateKeyPem, 'RS256'));
    broker.issued.push(token);
    return { status: 200, body: { token_type: 'Bearer', access_token: token, expires_in: '3599', resource } };
  };

  beforeAll(async () => {
    signing = openssl.selfSigned({ cn: 'accounts.accesscontrol.windows.net', days: 30 });
    rogue = openssl.selfSigned({ cn: 'accounts.accesscontrol.windows.net', days: 30 });
    const tlsKey = await generateRsaKeyPair(2048);
    acsTls = createSelfSignedCertificate({ privateKeyPem: tlsKey.privateKeyPem, subject: { commonName: 'acs.test' }, dnsNames: [], ipAddresses: ['127.0.0.1'], notBefore: new Date(Date.now() - 86_400_000), validityDays: 30, extendedKeyUsage: ['serverAuth'] });
    acs = createHttpsServer({ key: tlsKey.privateKeyPem, cert: acsTls }, (request, response) => {
      if (request.method === 'POST' && request.url === `/${TENANT}/tokens/OAuth/2`) {
        let text = '';
        request.on('data', (chunk: Buffer) => (text += chunk.toString()));
        request.on('end', () => {
          void issue(new URLSearchParams(text)).then(({ status, body }) => {
            response.writeHead(status, { 'content-type': 'application/json' });
            response.end(JSON.stringify(body));
          });
        });
        return;
      }
      if (request.url === '/common/v2.0/.well-known/openid-configuration') {
        // Entra's multi-tenant ("common") discovery: the issuer is a template.
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ issuer: `${acsUrl}/{tenantid}/v2.0`, jwks_uri: `${acsUrl}/common/discovery/v2.0/keys`, token_endpoint: `${acsUrl}/common/oauth2/v2.0/token` }));
        return;
      }
      if (request.url === '/common/discovery/v2.0/keys') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [{ ...(entraKey.publicKey.export({ format: 'jwk' }) as JWK), kid: 'entra-1', use: 'sig' }] }));
        return;
      }
      const tenant = /^\/([0-9a-f-]{36})\/metadata\/json\/1(\?.*)?$/.exec(request.url ?? '')?.[1];
      if (request.method !== 'GET' || tenant === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      // The shape accounts.accesscontrol.windows.net publishes: camelCase keyInfo/keyValue, usage Signing.
      response.end(
        JSON.stringify({
          version: 'Web',
          realm: tenant,
          serviceName: ACS,
          issuer: `${ACS}@${tenant}`,
          allowedAudiences: [`${ACS}/accounts.accesscontrol.windows.net@${tenant}`],
          keys: [{ usage: 'Signing', keyInfo: { x5t: x5tOf(signing.certificatePem) }, keyValue: { type: 'x509Certificate', value: derOf(signing.certificatePem).toString('base64') } }],
          endpoints: [{ location: `${acsUrl}/${tenant}/tokens/OAuth/2`, protocol: 'OAuth2', usage: 'Issuance' }],
        }),
      );
    });
    await new Promise<void>((resolve) => acs.listen(0, '127.0.0.1', resolve));
    acsUrl = `https://127.0.0.1:${(acs.address() as AddressInfo).port}`;

    database = await createTestDatabase(kind);
    server = await startServerProcess({ env: { PUBLIC_URL: `https://${HOST}`, ...(database.url ? { DATABASE_URL: database.url } : {}) } });
    ca = (await server.tlsCertificate())!;
    adminKey = await server.bootstrapKey();
    env = { S2S_SERVER: server.url, DATA_DIR: server.dataDir, CERTS_DIR: server.certsDir };
    expect((await admin('PUT', '/oauth-configuration', { realm: 'contoso.com', serviceName: SKYPE })).status).toBe(200);
    introspector = (await admin('POST', '/clients', { displayName: 'resource server' })).json();
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (server) await removeDir(server.dataDir);
    await new Promise((resolve) => acs?.close(resolve));
    openssl.dispose();
  });

  it('registers the ACS server (New-CsOAuthServer microsoft.sts) and a Full partner that uses it, with s2sctl', async () => {
    const caFile = join(openssl.dir, 'acs-tls.pem');
    writeFileSync(caFile, acsTls);
    const sts = await cli('oauth-server', 'new', '--identity', 'microsoft.sts', '--metadata-url', `${acsUrl}/${TENANT}/metadata/json/1`, '--audience', AUDIENCE, '--metadata-ca-file', caFile, '-o', 'json');
    expect(sts.stderr).toBe('');
    expect(sts.code).toBe(0);
    expect(JSON.parse(sts.stdout)).toMatchObject({ identity: 'microsoft.sts', type: 'acs', issuer: ISSUER, keys: [{ x5t: x5tOf(signing.certificatePem) }] });

    const exchange = await cli(
      'partner-application', 'new', '--identity', 'microsoft.exchange', '--application-identifier', EXCHANGE.toUpperCase(),
      '--use-oauth-server', 'microsoft.sts', '--trust-level', 'Full', '--accepted-domain', 'contoso.com', '--accepted-domain', '*.contoso.net', '-o', 'json',
    );
    expect(exchange.stderr).toBe('');
    expect(exchange.code).toBe(0);
    expect(JSON.parse(exchange.stdout)).toMatchObject({
      identity: 'microsoft.exchange',
      applicationIdentifier: EXCHANGE,
      realm: TENANT,
      metadataUrl: null,
      useOAuthServer: 'microsoft.sts',
      acceptedDomains: ['contoso.com', '*.contoso.net'],
      trustLevel: 'Full',
      keys: [],
    });
    const shown = await cli('partner-application', 'get', 'microsoft.exchange');
    expect(shown.stdout).toMatch(/^use-oauth-server\s+microsoft\.sts$/m);
    expect(shown.stdout).toMatch(/^accepted-domain\s+contoso\.com \*\.contoso\.net$/m);
  });

  it('registers an Application-level partner through the admin API; refuses bad registrations, changing nothing', async () => {
    const created = await admin('POST', '/partner-applications', { identity: 'microsoft.sharepoint', applicationIdentifier: SHAREPOINT, useOAuthServer: 'microsoft.sts', trustLevel: 'Application' });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ realm: TENANT, useOAuthServer: 'microsoft.sts', acceptedDomains: [] });

    const unknown = await admin('POST', '/partner-applications', { identity: 'x.one', applicationIdentifier: STRANGER, useOAuthServer: 'nobody.sts' });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.json())).toContain('no OAuth server nobody.sts is registered');
    const mixed = await admin('POST', '/partner-applications', { identity: 'x.two', applicationIdentifier: STRANGER, useOAuthServer: 'microsoft.sts', realm: 'contoso.com' });
    expect(mixed.status).toBe(422);
    expect(JSON.stringify(mixed.json())).toContain('has no metadataUrl, realm or certificates of its own');
    const badDomain = await admin('POST', '/partner-applications', { identity: 'x.three', applicationIdentifier: STRANGER, useOAuthServer: 'microsoft.sts', acceptedDomains: ['not a domain'] });
    expect(badDomain.status).toBe(422);
    expect(JSON.stringify(badDomain.json())).toContain('not a DNS domain');
    const pinned = await admin('PATCH', '/partner-applications/microsoft.sharepoint', { certificates: [signing.certificatePem] });
    expect(pinned.status).toBe(422);
    expect(JSON.stringify(pinned.json())).toContain("uses OAuth server microsoft.sts: its keys are the server's");
    const cliMixed = await cli('partner-application', 'new', '--identity', 'x.four', '--application-identifier', STRANGER, '--use-oauth-server', 'microsoft.sts', '--realm', 'contoso.com');
    expect(cliMixed.code).not.toBe(0);
    expect(cliMixed.stderr).toContain('--use-oauth-server cannot be combined with --realm');

    const names = (await admin('GET', '/partner-applications')).json().items.map((partner: { identity: string }) => partner.identity);
    expect(names.sort()).toEqual(['microsoft.exchange', 'microsoft.sharepoint']);
    // The connectivity test of such a partner points at its OAuth server, which is tested instead.
    const partnerTest = await cli('partner-application', 'test', 'microsoft.sharepoint', '-o', 'json');
    const partnerReport = JSON.parse(partnerTest.stdout);
    expect(partnerReport.steps.map((entry: { step: string; status: string; reason: string }) => `${entry.step}:${entry.status}:${entry.reason}`)).toEqual(
      ['dns', 'tls', 'download', 'parse', 'issuer', 'keys', 'clock', 'actor-token', 'probe'].map((name) => `${name}:skip:uses_oauth_server`),
    );
    expect(partnerReport.steps[0].detail).toBe('partner microsoft.sharepoint uses OAuth server microsoft.sts: test that server (s2sctl oauth-server test microsoft.sts)');
    const serverTest = (await admin('POST', '/oauth-servers/microsoft.sts/test', {})).json();
    expect(serverTest).toMatchObject({ identity: 'microsoft.sts', passed: true, failedStep: null });

    const inUse = await admin('DELETE', '/oauth-servers/microsoft.sts');
    expect(inUse.status).toBe(409);
    expect(inUse.json()).toMatchObject({ code: 'oauth_server_in_use', message: expect.stringContaining('microsoft.exchange, microsoft.sharepoint') });
  });

  it('accepts an ACS app-only actor token for the partner: explain, introspection and s2sctl report trust via the OAuth server', async () => {
    const token = await actorToken();
    // A second JWT library agrees that the token is a good RS256 token of the key the metadata publishes.
    expect(jsonwebtoken.verify(token, signing.certificatePem, { algorithms: ['RS256'], audience: AUDIENCE, issuer: ISSUER })).toMatchObject({ nameid: `${EXCHANGE}@${TENANT}` });

    expect(await verdictBecomes(token, 'valid')).toBe('valid');
    const explained = await explain(token);
    expect(explained).toMatchObject({ valid: true, trust: { kind: 'partner', id: 'microsoft.exchange', via: 'microsoft.sts' }, appId: EXCHANGE, user: null });
    expect(explained.key).toMatchObject({ id: x5tOf(signing.certificatePem), found: true, source: 'OAuth server microsoft.sts metadata' });
    expect(explained.checks.map((check: { check: string }) => check.check)).toEqual(
      expect.arrayContaining(['issuer-class', 'oauth-server-enabled', 'algorithm', 'key', 'signature', 'audience', 'identity-provider', 'nameid', 'tenant', 'partner', 'partner-enabled', 'actor-claims', 'trust-level']),
    );
    expect(explained.checks.every((check: { passed: boolean }) => check.passed)).toBe(true);

    expect(await introspect(token)).toMatchObject({ active: true, iss: ISSUER, aud: AUDIENCE, trust: { kind: 'partner', id: 'microsoft.exchange', via: 'microsoft.sts' }, app_id: EXCHANGE });

    const validated = await cli('token', 'validate', token, '--explain');
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain('valid (trusted as partner microsoft.exchange via microsoft.sts)');

    // Our own realm in the audience is one of the forms SPEC 4.1 allows too.
    expect(await verdict(await actorToken({ aud: `${SKYPE}/${HOST.toUpperCase()}@contoso.com` }))).toBe('valid');
  });

  it('refuses each variation of the ACS actor token with its reason code', async () => {
    const pending: [string, Promise<string>, string][] = [
      ['an application identifier not registered', actorToken({ nameid: `${STRANGER}@${TENANT}` }), 'application_not_registered'],
      ['an application of another tenant', actorToken({ nameid: `${EXCHANGE}@${OTHER_TENANT}` }), 'tenant_mismatch'],
      ['the broker of another tenant', actorToken({ iss: `${ACS}@${OTHER_TENANT}`, identityprovider: `${ACS}@${OTHER_TENANT}` }), 'issuer_untrusted'],
      ['our audience in another tenant', actorToken({ aud: `${SKYPE}/${HOST}@${OTHER_TENANT}` }), 'audience_invalid'],
      ['another host', actorToken({ aud: `${SKYPE}/other.contoso.com@${TENANT}` }), 'audience_invalid'],
      ['a key not in the ACS metadata', actorToken({}, { key: rogue }), 'key_unknown'],
      ['another key under the metadata key x5t', actorToken({}, { key: rogue, x5t: x5tOf(signing.certificatePem) }), 'signature_invalid'],
      ['another identity provider', actorToken({ identityprovider: `${ACS}@${OTHER_TENANT}` }), 'identity_provider_mismatch'],
      ['expired beyond the clock skew', actorToken({ nbf: now() - 7200, exp: now() - 600 }), 'token_expired'],
      ['not yet valid beyond the clock skew', actorToken({ nbf: now() + 600, exp: now() + 3600 }), 'token_not_yet_valid'],
      ['without nbf', actorToken({ nbf: undefined }), 'nbf_missing'],
      ['longer than 24 h', actorToken({ nbf: now() - 60, exp: now() + 2 * 86_400 }), 'lifetime_too_long'],
      ['user claims in the actor token', actorToken({ upn: 'alice@contoso.com' }), 'actor_has_user_claims'],
      ['the Application-level partner app-only (allowed)', actorToken({ nameid: `${SHAREPOINT}@${TENANT}` }), 'valid'],
    ];
    const cases: [string, string, string][] = [];
    for (const [name, token, reason] of pending) cases.push([name, await token, reason]);
    for (const [name, token, reason] of cases) expect([name, await verdict(token)]).toEqual([name, reason]);
    // The forged token is no good RS256 token of the published key for a second library either.
    expect(() => jsonwebtoken.verify(cases[6]![1], signing.certificatePem, { algorithms: ['RS256'] })).toThrow('invalid signature');

    // A token the partner signs itself, as a direct partner would: trusted only through the OAuth server.
    const selfSigned = await new SignJWT({ aud: AUDIENCE, iss: `${EXCHANGE}@${TENANT}`, nameid: `${EXCHANGE}@${TENANT}`, nbf: now() - 60, exp: now() + 600 })
      .setProtectedHeader({ alg: 'RS256', x5t: x5tOf(signing.certificatePem) })
      .sign(await importPKCS8(signing.privateKeyPem, 'RS256'));
    const direct = await explain(selfSigned);
    expect(direct).toMatchObject({ valid: false, reason: 'issuer_untrusted', message: 'partner microsoft.exchange is trusted only through OAuth server microsoft.sts, not with tokens it signs itself' });
  });

  it('actor + outer token with a user: accepted for Full in an accepted domain, refused for Application and outside the accepted domains', async () => {
    const user = { nameid: 'alice@contoso.com', upn: 'alice@contoso.com', smtp: 'alice@contoso.com' };
    const actor = await actorToken({ trustedfordelegation: 'true' });
    const pair = outerToken(actor, user);
    expect(await introspect(pair)).toMatchObject({ active: true, trust: { kind: 'partner', id: 'microsoft.exchange', via: 'microsoft.sts' }, user: { upn: 'alice@contoso.com' } });
    expect(await verdict(outerToken(actor, { nameid: 'bob@mail.contoso.net', upn: 'bob@mail.contoso.net' }))).toBe('valid');

    const refusals: [string, string, string][] = [
      ['a user outside the accepted domains', outerToken(actor, { nameid: 'eve@fabrikam.com', upn: 'eve@fabrikam.com' }), 'user_domain_not_accepted'],
      ['the bare domain of a wildcard entry', outerToken(actor, { nameid: 'eve@contoso.net', upn: 'eve@contoso.net' }), 'user_domain_not_accepted'],
      ['a user named by no address', outerToken(actor, { nameid: '10037ffe8000abcd' }), 'user_domain_not_accepted'],
      ['a SID without SID acceptance', outerToken(actor, { nameid: 's-1-5-21-1-2-3-1001', nii: 'urn:office:idp:activedirectory', upn: 'alice@contoso.com' }), 'sid_not_accepted'],
      ['an actor not trusted for delegation', outerToken(await actorToken(), user), 'delegation_not_trusted'],
      ['the Application-level partner acting for a user', outerToken(await actorToken({ nameid: `${SHAREPOINT}@${TENANT}`, trustedfordelegation: 'true' }), user, `${SHAREPOINT}@${TENANT}`), 'delegation_not_allowed'],
      ['an outer iss that is not the actor nameid', outerToken(actor, user, `${SHAREPOINT}@${TENANT}`), 'outer_issuer_mismatch'],
    ];
    for (const [name, token, reason] of refusals) expect([name, await verdict(token)]).toEqual([name, reason]);
    expect((await explain(refusals[0]![1])).message).toBe('the user eve@fabrikam.com is not in a domain partner microsoft.exchange accepts (contoso.com, *.contoso.net)');
    const cli401 = await cli('token', 'validate', refusals[5]![1]);
    expect(cli401.code).toBe(1);
    expect(cli401.stderr).toContain('delegation_not_allowed');
  });

  it('a disabled partner or OAuth server is refused; accepted domains change with set', async () => {
    const token = await actorToken();
    expect((await admin('PATCH', '/partner-applications/microsoft.exchange', { enabled: false })).status).toBe(200);
    expect(await verdictBecomes(token, 'partner_disabled')).toBe('partner_disabled');
    expect((await admin('PATCH', '/partner-applications/microsoft.exchange', { enabled: true })).status).toBe(200);
    expect((await admin('PATCH', '/oauth-servers/microsoft.sts', { enabled: false })).status).toBe(200);
    expect(await verdictBecomes(token, 'oauth_server_disabled')).toBe('oauth_server_disabled');
    expect((await admin('PATCH', '/oauth-servers/microsoft.sts', { enabled: true })).status).toBe(200);
    expect(await verdictBecomes(token, 'valid')).toBe('valid');

    const set = await cli('partner-application', 'set', 'microsoft.exchange', '--accepted-domain', 'fabrikam.com', '-o', 'json');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).acceptedDomains).toEqual(['fabrikam.com']);
    const actor = await actorToken({ trustedfordelegation: 'true' });
    expect(await verdictBecomes(outerToken(actor, { nameid: 'eve@fabrikam.com', upn: 'eve@fabrikam.com' }), 'valid')).toBe('valid');
    expect(await verdict(outerToken(actor, { nameid: 'alice@contoso.com', upn: 'alice@contoso.com' }))).toBe('user_domain_not_accepted');

    const audit = (await admin('GET', '/audit-events?targetType=partner-application')).json();
    expect(JSON.stringify(audit)).toContain('fabrikam.com');
  });

  /** An Entra access token of `tenant` (v2: azp, roles; v1: appid, scp, a GUID audience). */
  const entraToken = async (tenant: string, shape: 'v1' | 'v2', claims: Record<string, unknown> = {}): Promise<string> => {
    const t = now();
    const common = { iss: `${acsUrl}/${tenant}/v2.0`, tid: tenant, iat: t - 30, nbf: t - 30, exp: t + 3600, oid: 'c8f2a1e0-0000-4000-8000-000000000002', sub: 'c8f2a1e0-0000-4000-8000-000000000002' };
    const shaped =
      shape === 'v2'
        ? { ...common, aud: 'api://s2s-trust', azp: DAEMON, roles: ['S2S.Access'], idtyp: 'app', ver: '2.0' }
        : { ...common, aud: API_GUID, appid: DAEMON, scp: 'user_impersonation', idtyp: 'user', upn: 'alice@contoso.com', ver: '1.0' };
    const payload: Record<string, unknown> = { ...shaped, ...claims };
    for (const name of Object.keys(payload)) if (payload[name] === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'entra-1' }).sign(entraKey.privateKey);
  };

  it('multi-tenant issuer: a {tenantid} template needs its allowed tenants; tokens of two allowed tenants (v2 and v1 shapes) are accepted, a third refused', async () => {
    const metadataUrl = `${acsUrl}/common/v2.0/.well-known/openid-configuration`;
    const base = { identity: 'entra', metadataUrl, audiences: ['api://s2s-trust', API_GUID], metadataCaBundle: acsTls };
    const withoutTenants = await admin('POST', '/oauth-servers', base);
    expect(withoutTenants.status).toBe(422);
    expect(JSON.stringify(withoutTenants.json())).toContain(`the issuer ${acsUrl}/{tenantid}/v2.0 is multi-tenant: list the tenants to accept (allowedTenants), or set allowAnyTenant`);
    const created = await admin('POST', '/oauth-servers', { ...base, allowedTenants: [TENANT_A, TENANT_B.toUpperCase()] });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ type: 'oidc', issuer: `${acsUrl}/{tenantid}/v2.0`, allowedTenants: [TENANT_A, TENANT_B], allowAnyTenant: false });

    const v2 = await entraToken(TENANT_A, 'v2');
    expect(jsonwebtoken.verify(v2, entraKey.publicKey.export({ type: 'spki', format: 'pem' }) as string, { algorithms: ['RS256'], issuer: `${acsUrl}/${TENANT_A}/v2.0` })).toMatchObject({ tid: TENANT_A });
    expect(await verdictBecomes(v2, 'valid')).toBe('valid');
    expect(await introspect(v2)).toMatchObject({ active: true, trust: { kind: 'oauth-server', id: 'entra' }, app_id: DAEMON, roles: ['S2S.Access'], user: null });
    const v1 = await explain(await entraToken(TENANT_B, 'v1'));
    expect(v1).toMatchObject({ valid: true, trust: { kind: 'oauth-server', id: 'entra' }, appId: DAEMON, scopes: ['user_impersonation'], user: { upn: 'alice@contoso.com' } });
    expect(v1.checks).toContainEqual({ check: 'tenant', passed: true, detail: TENANT_B });

    const refusals: [string, string, string][] = [
      ['a third tenant', await entraToken(TENANT_C, 'v2'), 'tenant_not_allowed'],
      ['tenant A claiming tenant B', await entraToken(TENANT_A, 'v2', { tid: TENANT_B }), 'issuer_tenant_mismatch'],
      ['no tid', await entraToken(TENANT_A, 'v2', { tid: undefined }), 'tenant_missing'],
      ['the literal template as issuer', await entraToken(TENANT_A, 'v2', { iss: `${acsUrl}/{tenantid}/v2.0` }), 'issuer_tenant_mismatch'],
      ['another audience', await entraToken(TENANT_A, 'v2', { aud: 'api://other' }), 'audience_invalid'],
    ];
    for (const [name, token, reason] of refusals) expect([name, await verdict(token)]).toEqual([name, reason]);
  });

  it('multi-tenant issuer: any tenant only when the operator says so, audited and flagged in status', async () => {
    const third = await entraToken(TENANT_C, 'v2');
    const set = await cli('oauth-server', 'set', 'entra', '--allow-any-tenant', 'true', '-o', 'json');
    expect(set.stderr).toBe('');
    expect(JSON.parse(set.stdout)).toMatchObject({ allowAnyTenant: true });
    expect(await verdictBecomes(third, 'valid')).toBe('valid');
    const status = (await admin('GET', '/status')).json();
    expect(status.oauthServers).toContainEqual(expect.objectContaining({ identity: 'entra', problem: 'accepts tokens of any tenant (allowAnyTenant)' }));
    const audit = JSON.stringify((await admin('GET', '/audit-events?targetType=oauth-server')).json());
    expect(audit).toContain('allowAnyTenant');

    expect((await cli('oauth-server', 'set', 'entra', '--allow-any-tenant', 'false')).code).toBe(0);
    expect(await verdictBecomes(third, 'tenant_not_allowed')).toBe('tenant_not_allowed');
    // A single-tenant issuer takes tenantId, not allowedTenants.
    const single = await admin('PATCH', '/oauth-servers/microsoft.sts', { allowedTenants: [TENANT_A] });
    expect(single.status).toBe(422);
    expect(JSON.stringify(single.json())).toContain('is not multi-tenant');
  });

  it('on-behalf-of: a user token of the registered multi-tenant OIDC server becomes our delegated token with act; a refused tenant or an app token is refused', async () => {
    const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    const certificate = (await admin('POST', '/certificates/self-signed', { realms: ['contoso.com'] })).json();
    expect((await admin('PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint })).status).toBe(200);
    const middleTier = (await admin('POST', '/clients', { displayName: 'webapi', grantTypes: ['client_credentials', JWT_BEARER] })).json();
    expect((await admin('POST', '/resources', { appIdUri: 'api://s2s-trust', clientId: middleTier.clientId, scopes: [{ value: 'user_impersonation' }] })).status).toBe(201);
    expect((await admin('POST', '/resources', { appIdUri: 'api://downstream', scopes: [{ value: 'Files.Read' }] })).status).toBe(201);
    expect((await admin('POST', `/clients/${middleTier.clientId}/scope-grants`, { resource: 'api://downstream', scope: 'Files.Read' })).status).toBe(201);
    const obo = (assertion: string) =>
      httpRequest(`${server.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${middleTier.clientId}:${middleTier.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: JWT_BEARER, requested_token_use: 'on_behalf_of', assertion, scope: 'api://downstream/Files.Read' }).toString(),
        ca,
      });

    const userToken = await entraToken(TENANT_A, 'v1', { aud: 'api://s2s-trust', act: { sub: 'front-end' } });
    const answered = await obo(userToken);
    expect(answered.status).toBe(200);
    const jwks = (await httpRequest(`${server.url}/.well-known/jwks.json`, { ca })).json();
    const ours = `-----BEGIN CERTIFICATE-----\n${jwks.keys[0].x5c[0].match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
    expect(jsonwebtoken.verify(answered.json().access_token, ours, { algorithms: ['RS256'], audience: 'api://downstream', issuer: `https://${HOST}` })).toMatchObject({
      idtyp: 'user',
      sub: 'c8f2a1e0-0000-4000-8000-000000000002',
      upn: 'alice@contoso.com',
      scp: 'Files.Read',
      client_id: middleTier.clientId,
      act: { sub: middleTier.clientId, act: { sub: 'front-end' } },
    });

    const refused: [string, string, string][] = [
      ['a tenant the policy refuses', await entraToken(TENANT_C, 'v1', { aud: 'api://s2s-trust' }), 'assertion_tenant_not_allowed'],
      ['an app token', await entraToken(TENANT_A, 'v2'), 'assertion_not_user_token'],
      ['a user token for an API the client does not serve', await entraToken(TENANT_A, 'v1'), 'assertion_audience_mismatch'],
    ];
    for (const [name, assertion, code] of refused) {
      const response = await obo(assertion);
      expect([name, response.status, response.json().error]).toEqual([name, 400, 'invalid_grant']);
      // The specific reason goes to the log (written just after the answer): wait for it.
      const deadline = Date.now() + 10_000;
      while (!server.output().includes(`"${code}"`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.output()).toContain(`"${code}"`);
    }
    expect((await obo(refused[0]![1])).json().error_description).toBe(`the assertion is not accepted: tenant ${TENANT_C} is not one of the tenants OAuth server entra accepts`);
  });

  it('outbound through the broker: the token for a partner that uses the OAuth server comes from its issuance endpoint, cached; broker errors pass through with their description', async () => {
    expect((await admin('GET', '/oauth-servers/microsoft.sts')).json()).toMatchObject({ issuanceEndpoint: `${acsUrl}/${TENANT}/tokens/OAuth/2` });
    expect((await admin('PATCH', '/partner-applications/microsoft.exchange', { hostAuthority: 'mail.contoso.com' })).status).toBe(200);
    expect((await admin('PATCH', '/partner-applications/microsoft.sharepoint', { hostAuthority: 'sp.contoso.com' })).status).toBe(200);
    const caller = (await admin('POST', '/clients', { displayName: 'conferencing' })).json();
    const partnerToken = (resource: string) =>
      httpRequest(`${server.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${caller.clientId}:${caller.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource }).toString(),
        ca,
      });

    // Before the one-time step (our token-issuer certificate registered with the tenant), the broker refuses us.
    const unregistered = await partnerToken('microsoft.exchange');
    expect(unregistered.status).toBe(400);
    expect(unregistered.json()).toEqual({ error: 'invalid_grant', error_description: 'ACS50027: Invalid JWT token. The signing certificate of the client is not registered with the tenant.' });

    const jwks = (await httpRequest(`${server.url}/.well-known/jwks.json`, { ca })).json();
    broker.registeredCertificate = `-----BEGIN CERTIFICATE-----\n${jwks.keys[0].x5c[0].match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
    const first = await partnerToken('microsoft.exchange');
    expect(first.status).toBe(200);
    expect(first.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(first.json().access_token).toBe(broker.issued.at(-1));
    expect(jsonwebtoken.verify(first.json().access_token, signing.certificatePem, { algorithms: ['RS256'], issuer: ISSUER })).toMatchObject({
      aud: `${EXCHANGE}/mail.contoso.com@${TENANT}`,
      nameid: `${SKYPE}@${TENANT}`,
    });
    const requests = broker.requests;
    const second = await partnerToken('microsoft.exchange');
    expect(second.json().access_token).toBe(first.json().access_token);
    expect(broker.requests).toBe(requests);

    const unknownToBroker = await partnerToken('microsoft.sharepoint');
    expect(unknownToBroker.status).toBe(400);
    expect(unknownToBroker.json()).toEqual({ error: 'invalid_request', error_description: `ACS50001: Relying party with identifier '${SHAREPOINT}/sp.contoso.com@${TENANT}' was not found.` });
  });
});
