import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { importPKCS8, type JWK, SignJWT } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import Provider from 'oidc-provider';
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
const TENANT_D = 'a1b2c3d4-0000-4000-8000-00000000000d';
/** Entra v1 access tokens carry this issuer (another host than the v1 discovery document's), one per tenant. */
const V1_ISSUER_TEMPLATE = 'https://sts.windows.net/{tenantid}/';
const v1Issuer = (tenant: string): string => `https://sts.windows.net/${tenant}/`;
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
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
  let acsTlsKey: string;
  let signing: { certificatePem: string; privateKeyPem: string };
  let rogue: { certificatePem: string; privateKeyPem: string };
  let introspector: { clientId: string; clientSecret: string };
  let env: Record<string, string>;
  const entraKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /**
   * The trust broker's side: our token-issuer certificate once registered with the tenant, the
   * relying parties it knows, whether the tenant lets us act for users, the assertions it received
   * and what it issued.
   */
  const broker = {
    registeredCertificate: null as string | null,
    relyingParties: new Set([`${EXCHANGE}/mail.contoso.com@${TENANT}`, `${SKYPE}/${HOST}@${TENANT}`]),
    delegationAllowed: true,
    requests: 0,
    assertions: [] as Record<string, unknown>[],
    issued: [] as string[],
  };
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

  /** Our current token-issuer certificate (PEM), from our JWKS's x5c. */
  const ourCertificate = async (): Promise<string> => {
    const jwks = (await httpRequest(`${server.url}/.well-known/jwks.json`, { ca })).json();
    return `-----BEGIN CERTIFICATE-----\n${jwks.keys[0].x5c[0].match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
  };
  /** Whether the server logged `reason` after output position `since` (a refusal is logged just after the answer), within a deadline. */
  const loggedReason = async (reason: string, since: number): Promise<boolean> => {
    const logged = (): boolean => server.output().slice(since).includes(`"reason":"${reason}"`);
    const deadline = Date.now() + 10_000;
    while (!logged() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return logged();
  };
  /** The middle-tier client of the on-behalf-of tests: it serves api://s2s-trust and may get api://downstream/Files.Read. */
  let middleTier: { clientId: string; clientSecret: string };
  const obo = (assertion: string) =>
    httpRequest(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${middleTier.clientId}:${middleTier.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: JWT_BEARER, requested_token_use: 'on_behalf_of', assertion, scope: 'api://downstream/Files.Read' }).toString(),
      ca,
    });

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
    broker.assertions.push(claims);
    const resource = form.get('resource') ?? '';
    if (!broker.relyingParties.has(resource)) return { status: 400, body: { error: 'invalid_request', error_description: `ACS50001: Relying party with identifier '${resource}' was not found.` } };
    const t = now();
    // Trusted for delegation only when the assertion asks for it (a user will be wrapped around it) and the tenant allows it.
    const delegation = claims.trustedfordelegation === 'true' && broker.delegationAllowed ? { trustedfordelegation: 'true' } : {};
    const token = await new SignJWT({ aud: resource, iss: ISSUER, nbf: t, exp: t + 3600, nameid: claims.nameid, identityprovider: ISSUER, ...delegation })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t: x5tOf(signing.certificatePem) })
      .sign(await importPKCS8(signing.privateKeyPem, 'RS256'));
    broker.issued.push(token);
    return { status: 200, body: { token_type: 'Bearer', access_token: token, expires_in: '3599', resource } };
  };

  beforeAll(async () => {
    signing = openssl.selfSigned({ cn: 'accounts.accesscontrol.windows.net', days: 30 });
    rogue = openssl.selfSigned({ cn: 'accounts.accesscontrol.windows.net', days: 30 });
    const tlsKey = await generateRsaKeyPair(2048);
    acsTlsKey = tlsKey.privateKeyPem;
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
      // Entra's v1 discovery documents: at login.microsoftonline.com without /v2.0, naming the issuer
      // https://sts.windows.net/<tenant>/ (another host); the "common" one names the template.
      const v1Tenant = /^\/(common|[0-9a-f-]{36})\/\.well-known\/openid-configuration$/.exec(request.url ?? '')?.[1];
      if (v1Tenant !== undefined) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ issuer: v1Tenant === 'common' ? V1_ISSUER_TEMPLATE : v1Issuer(v1Tenant), jwks_uri: `${acsUrl}/common/discovery/keys`, token_endpoint: `${acsUrl}/${v1Tenant}/oauth2/token` }));
        return;
      }
      if (request.url === '/common/discovery/v2.0/keys' || request.url === '/common/discovery/keys') {
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

  /**
   * An Entra access token of `tenant`. v2: `iss` `…/<tenant>/v2.0`, `ver` 2.0, `azp`, an App ID URI
   * audience; v1: `iss` `https://sts.windows.net/<tenant>/`, `ver` 1.0, `appid`, a GUID audience.
   * An application token carries `roles` and `idtyp: app`; a user token `scp`, `upn` and `idtyp: user`.
   */
  const entraToken = async (tenant: string, version: 'v1' | 'v2', claims: Record<string, unknown> = {}, kind: 'app' | 'user' = version === 'v2' ? 'app' : 'user'): Promise<string> => {
    const t = now();
    const common = { tid: tenant, iat: t - 30, nbf: t - 30, exp: t + 3600, oid: 'c8f2a1e0-0000-4000-8000-000000000002', sub: 'c8f2a1e0-0000-4000-8000-000000000002' };
    const versioned =
      version === 'v2' ? { iss: `${acsUrl}/${tenant}/v2.0`, aud: 'api://s2s-trust', azp: DAEMON, ver: '2.0' } : { iss: v1Issuer(tenant), aud: API_GUID, appid: DAEMON, ver: '1.0' };
    const shaped = kind === 'app' ? { roles: ['S2S.Access'], idtyp: 'app' } : { scp: 'user_impersonation', idtyp: 'user', upn: 'alice@contoso.com' };
    const payload: Record<string, unknown> = { ...common, ...versioned, ...shaped, ...claims };
    for (const name of Object.keys(payload)) if (payload[name] === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'entra-1' }).sign(entraKey.privateKey);
  };

  it('multi-tenant issuer: a {tenantid} template needs its allowed tenants; tokens of two allowed tenants (application and user) are accepted, a third refused', async () => {
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
    const user = await explain(await entraToken(TENANT_B, 'v2', {}, 'user'));
    expect(user).toMatchObject({ valid: true, trust: { kind: 'oauth-server', id: 'entra' }, appId: DAEMON, scopes: ['user_impersonation'], user: { upn: 'alice@contoso.com' } });
    expect(user.checks).toContainEqual({ check: 'tenant', passed: true, detail: TENANT_B });

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
    const certificate = (await admin('POST', '/certificates/self-signed', { realms: ['contoso.com'] })).json();
    expect((await admin('PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint })).status).toBe(200);
    middleTier = (await admin('POST', '/clients', { displayName: 'webapi', grantTypes: ['client_credentials', JWT_BEARER] })).json();
    expect((await admin('POST', '/resources', { appIdUri: 'api://s2s-trust', clientId: middleTier.clientId, scopes: [{ value: 'user_impersonation' }] })).status).toBe(201);
    expect((await admin('POST', '/resources', { appIdUri: 'api://downstream', scopes: [{ value: 'Files.Read' }] })).status).toBe(201);
    expect((await admin('POST', `/clients/${middleTier.clientId}/scope-grants`, { resource: 'api://downstream', scope: 'Files.Read' })).status).toBe(201);

    const userToken = await entraToken(TENANT_A, 'v2', { act: { sub: 'front-end' } }, 'user');
    const answered = await obo(userToken);
    expect(answered.status).toBe(200);
    expect(jsonwebtoken.verify(answered.json().access_token, await ourCertificate(), { algorithms: ['RS256'], audience: 'api://downstream', issuer: `https://${HOST}` })).toMatchObject({
      idtyp: 'user',
      sub: 'c8f2a1e0-0000-4000-8000-000000000002',
      upn: 'alice@contoso.com',
      scp: 'Files.Read',
      client_id: middleTier.clientId,
      act: { sub: middleTier.clientId, act: { sub: 'front-end' } },
    });

    const refused: [string, string, string][] = [
      ['a tenant the policy refuses', await entraToken(TENANT_C, 'v2', {}, 'user'), 'assertion_tenant_not_allowed'],
      ['an app token', await entraToken(TENANT_A, 'v2'), 'assertion_not_user_token'],
      ['a user token for an API the client does not serve', await entraToken(TENANT_A, 'v2', { aud: API_GUID }, 'user'), 'assertion_audience_mismatch'],
    ];
    for (const [name, assertion, code] of refused) {
      const since = server.output().length;
      const response = await obo(assertion);
      expect([name, response.status, response.json().error]).toEqual([name, 400, 'invalid_grant']);
      expect([name, await loggedReason(code, since)]).toEqual([name, true]);
    }
    expect((await obo(refused[0]![1])).json().error_description).toBe(`the assertion is not accepted: tenant ${TENANT_C} is not one of the tenants OAuth server entra accepts`);
  });

  it('on-behalf-of with a user token oidc-provider issued: our token with act; a user of a tenant the policy refuses is refused (assertion_tenant_mismatch)', async () => {
    const op = await startUserTokenProvider({ key: acsTlsKey, cert: acsTls }, { 'alice@contoso.com': TENANT_A, 'eve@fabrikam.com': TENANT_C });
    try {
      const created = await admin('POST', '/oauth-servers', {
        identity: 'webapp.idp',
        metadataUrl: `${op.url}/.well-known/openid-configuration`,
        audiences: ['api://s2s-trust'],
        tenantId: TENANT_A,
        allowedApplicationIds: ['webapp'],
        metadataCaBundle: acsTls,
      });
      expect(created.status).toBe(201);
      expect(created.json()).toMatchObject({ type: 'oidc', issuer: op.url, tenantId: TENANT_A, keys: [{ kid: 'op-user-key', kty: 'RSA' }] });

      // Alice signs in at oidc-provider (authorization code + PKCE) and the web app gets her access token for our API.
      const alice = await op.userToken('alice@contoso.com', 'api://s2s-trust');
      const opJwks = (await httpRequest(`${op.url}/jwks`, { ca: Buffer.from(acsTls) })).json();
      const opKey = createPublicKey({ key: opJwks.keys[0], format: 'jwk' });
      expect(jsonwebtoken.decode(alice, { complete: true })!.header).toMatchObject({ typ: 'at+jwt', kid: 'op-user-key' });
      expect(jsonwebtoken.verify(alice, opKey, { algorithms: ['RS256'], issuer: op.url, audience: 'api://s2s-trust' })).toMatchObject({
        sub: 'alice@contoso.com',
        client_id: 'webapp',
        tid: TENANT_A,
        scope: 'user_impersonation',
      });

      const answered = await obo(alice);
      expect(answered.status).toBe(200);
      const ours = jsonwebtoken.verify(answered.json().access_token, await ourCertificate(), { algorithms: ['RS256'], audience: 'api://downstream', issuer: `https://${HOST}` }) as Record<string, unknown>;
      expect(ours).toMatchObject({ idtyp: 'user', sub: 'alice@contoso.com', upn: 'alice@contoso.com', scp: 'Files.Read', client_id: middleTier.clientId });
      expect(ours.act).toEqual({ sub: middleTier.clientId });

      // Eve's tenant is not the one the policy names: her token from the same server is refused.
      const eve = await op.userToken('eve@fabrikam.com', 'api://s2s-trust');
      expect(jsonwebtoken.verify(eve, opKey, { algorithms: ['RS256'] })).toMatchObject({ sub: 'eve@fabrikam.com', tid: TENANT_C });
      const since = server.output().length;
      const refused = await obo(eve);
      expect(refused.status).toBe(400);
      expect(refused.json()).toEqual({ error: 'invalid_grant', error_description: `the assertion is not accepted: the token's tenant is not ${TENANT_A}` });
      expect(await loggedReason('assertion_tenant_mismatch', since)).toBe(true);
      expect((await admin('DELETE', '/oauth-servers/webapp.idp')).status).toBe(200);
    } finally {
      await op.close();
    }
  });

  it('Entra v1 issuer as its own registration: https://sts.windows.net/{tenantid}/ from the v1 discovery document; v1 tokens only through it, v2 tokens only through the v2 registration', async () => {
    const v1App = await entraToken(TENANT_A, 'v1', {}, 'app');
    // While only the v2 registration exists, a v1 token is nobody's.
    expect(await explain(v1App)).toMatchObject({ valid: false, reason: 'issuer_untrusted', message: `no trusted issuer is registered for ${v1Issuer(TENANT_A)}` });

    const metadataUrl = `${acsUrl}/common/.well-known/openid-configuration`;
    const base = { identity: 'entra.v1', metadataUrl, audiences: ['api://s2s-trust', API_GUID], allowedTenants: [TENANT_A, TENANT_B], metadataCaBundle: acsTls };
    const unstated = await admin('POST', '/oauth-servers', base);
    expect(unstated.status).toBe(422);
    expect(unstated.json()).toMatchObject({
      code: 'metadata_unavailable',
      message: expect.stringContaining(`the discovery document's issuer ${V1_ISSUER_TEMPLATE} does not match the URL it came from (give the issuer explicitly if this server's tokens really carry it)`),
    });
    const another = await admin('POST', '/oauth-servers', { ...base, issuer: 'https://sts.windows.net/' });
    expect(another.status).toBe(422);
    expect(another.json().message).toContain(`the discovery document's issuer ${V1_ISSUER_TEMPLATE} is neither the configured issuer https://sts.windows.net/ nor the URL it came from`);
    const notNamed = await admin('POST', '/oauth-servers', { ...base, metadataUrl: `${acsUrl}/common/v2.0/.well-known/openid-configuration`, issuer: V1_ISSUER_TEMPLATE });
    expect(notNamed.status).toBe(422);
    expect(JSON.stringify(notNamed.json())).toContain(`the metadata names issuer ${acsUrl}/{tenantid}/v2.0, not ${V1_ISSUER_TEMPLATE}`);
    expect((await admin('GET', '/oauth-servers')).json().items.map((registered: { identity: string }) => registered.identity)).not.toContain('entra.v1');

    const caFile = join(openssl.dir, 'entra-tls.pem');
    writeFileSync(caFile, acsTls);
    const registered = await cli(
      'oauth-server', 'new', '--identity', 'entra.v1', '--metadata-url', metadataUrl, '--issuer', V1_ISSUER_TEMPLATE,
      '--allowed-tenant', TENANT_A, '--allowed-tenant', TENANT_B, '--audience', 'api://s2s-trust', '--audience', API_GUID, '--metadata-ca-file', caFile, '-o', 'json',
    );
    expect(registered.stderr).toBe('');
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject({ identity: 'entra.v1', type: 'oidc', issuer: V1_ISSUER_TEMPLATE, jwksUri: `${acsUrl}/common/discovery/keys`, allowedTenants: [TENANT_A, TENANT_B], keys: [{ kid: 'entra-1' }] });
    // One tenant's own v1 document names its exact issuer: a single-tenant registration.
    const single = await admin('POST', '/oauth-servers', { identity: 'entra.v1.d', metadataUrl: `${acsUrl}/${TENANT_D}/.well-known/openid-configuration`, issuer: v1Issuer(TENANT_D), tenantId: TENANT_D, audiences: [API_GUID], metadataCaBundle: acsTls });
    expect(single.status).toBe(201);
    expect(single.json()).toMatchObject({ issuer: v1Issuer(TENANT_D), tenantId: TENANT_D, allowedTenants: [] });

    // v1 shapes: ver 1.0, appid, a GUID or App ID URI audience, roles or scp, idtyp.
    const entraPem = entraKey.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(jsonwebtoken.verify(v1App, entraPem, { algorithms: ['RS256'], issuer: v1Issuer(TENANT_A), audience: API_GUID })).toMatchObject({ ver: '1.0', appid: DAEMON, idtyp: 'app', roles: ['S2S.Access'] });
    expect(await verdictBecomes(v1App, 'valid')).toBe('valid');
    expect(await introspect(v1App)).toMatchObject({ active: true, iss: v1Issuer(TENANT_A), trust: { kind: 'oauth-server', id: 'entra.v1' }, app_id: DAEMON, roles: ['S2S.Access'], user: null });
    const v1User = await explain(await entraToken(TENANT_B, 'v1', { aud: 'api://s2s-trust' }));
    expect(v1User).toMatchObject({ valid: true, trust: { kind: 'oauth-server', id: 'entra.v1' }, appId: DAEMON, scopes: ['user_impersonation'], user: { upn: 'alice@contoso.com' } });
    expect(v1User.checks).toContainEqual({ check: 'tenant', passed: true, detail: TENANT_B });
    expect(await explain(await entraToken(TENANT_D, 'v1', {}, 'app'))).toMatchObject({ valid: true, trust: { kind: 'oauth-server', id: 'entra.v1.d' }, roles: ['S2S.Access'] });
    // v2 tokens still go to the v2 registration.
    const v2App = await entraToken(TENANT_A, 'v2');
    expect(await explain(v2App)).toMatchObject({ valid: true, trust: { kind: 'oauth-server', id: 'entra' } });

    const refusals: [string, string, string][] = [
      ['a v1 token of tenant A claiming tenant B', await entraToken(TENANT_A, 'v1', { tid: TENANT_B }), 'issuer_tenant_mismatch'],
      ['a v1 token of a tenant the v1 registration does not list', await entraToken(TENANT_C, 'v1'), 'tenant_not_allowed'],
      ['a v1 token without tid', await entraToken(TENANT_A, 'v1', { tid: undefined }), 'tenant_missing'],
      ['the single-tenant registration: an audience it does not list', await entraToken(TENANT_D, 'v1', { aud: 'api://s2s-trust' }), 'audience_invalid'],
      ['the single-tenant registration: another tid under its issuer', await entraToken(TENANT_D, 'v1', { tid: TENANT_A }), 'tenant_mismatch'],
    ];
    for (const [name, token, reason] of refusals) expect([name, await verdict(token)]).toEqual([name, reason]);

    // Without the v2 registration, a v2 token is not taken by the v1 one (and v1 tokens still are).
    expect((await admin('DELETE', '/oauth-servers/entra')).status).toBe(200);
    expect(await verdictBecomes(v2App, 'issuer_untrusted')).toBe('issuer_untrusted');
    expect((await explain(v2App)).message).toBe(`no trusted issuer is registered for ${acsUrl}/${TENANT_A}/v2.0`);
    expect(await verdict(v1App)).toBe('valid');

    // Refresh and the connectivity test read the v1 document against the registered issuer.
    const refreshed = await admin('POST', '/oauth-servers/entra.v1/refresh', {});
    expect(refreshed.status).toBe(200);
    expect(refreshed.json().metadataStatus).toMatchObject({ lastError: null, reviewReason: null });
    const tested = (await admin('POST', '/oauth-servers/entra.v1/test', {})).json();
    expect(tested).toMatchObject({ passed: true, failedStep: null });
    expect(tested.steps).toContainEqual(expect.objectContaining({ step: 'issuer', status: 'pass', detail: `${V1_ISSUER_TEMPLATE}, as registered` }));
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

    broker.registeredCertificate = await ourCertificate();
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

  it('outbound through the broker for a user: an actor token trusted for delegation, wrapped in our outer token; refused for a client that may not act as users and for a partner at trust level Application', async () => {
    // This installation stands in for the partner here: registered as a partner of itself through the
    // broker (one Skype for Business pool calling another), so the token we obtain is one our own
    // validator decides.
    const pool = await admin('POST', '/partner-applications', { identity: 'skype.pool', applicationIdentifier: SKYPE, useOAuthServer: 'microsoft.sts', trustLevel: 'Full', acceptedDomains: ['contoso.com'], hostAuthority: HOST });
    expect(pool.status).toBe(201);
    const users = (await admin('POST', '/clients', { displayName: 'conferencing users', actAsUsers: true })).json();
    const appOnly = (await admin('POST', '/clients', { displayName: 'conferencing app-only' })).json();
    const partnerToken = (client: { clientId: string; clientSecret: string }, resource: string, user: Record<string, string> = {}) =>
      httpRequest(`${server.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, ...user }).toString(),
        ca,
      });

    const requests = broker.requests;
    const answered = await partnerToken(users, 'skype.pool', { upn: 'alice@contoso.com', smtp: 'alice@contoso.com' });
    expect(answered.status).toBe(200);
    expect(answered.json()).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(broker.requests).toBe(requests + 1);
    // Our assertion asked the broker for delegation.
    expect(broker.assertions.at(-1)).toMatchObject({ iss: `${SKYPE}@${TENANT}`, nameid: `${SKYPE}@${TENANT}`, trustedfordelegation: 'true' });
    const outer = answered.json().access_token as string;
    // A second JWT library reads the pair: the unsigned outer token, and inside it the broker's signed actor token.
    const outerClaims = jsonwebtoken.verify(outer, null as unknown as string, { algorithms: ['none'] }) as Record<string, unknown>;
    expect(jsonwebtoken.decode(outer, { complete: true })!.header).toEqual({ typ: 'JWT', alg: 'none' });
    expect(outerClaims).toMatchObject({ aud: AUDIENCE, iss: `${SKYPE}@${TENANT}`, nameid: 'alice@contoso.com', nii: 'urn:federation:microsoftonline', upn: 'alice@contoso.com', smtp: 'alice@contoso.com' });
    expect(outerClaims.actortoken).toBe(broker.issued.at(-1));
    const actorClaims = jsonwebtoken.verify(outerClaims.actortoken as string, signing.certificatePem, { algorithms: ['RS256'], issuer: ISSUER, audience: AUDIENCE }) as Record<string, unknown>;
    expect(actorClaims).toMatchObject({ nameid: `${SKYPE}@${TENANT}`, trustedfordelegation: 'true', identityprovider: ISSUER });
    expect(outerClaims.exp as number).toBeLessThanOrEqual(actorClaims.exp as number);
    expect((outerClaims.exp as number) - (outerClaims.nbf as number)).toBe(300);

    // The partner's validator (ours) accepts the pair: the broker's actor token for skype.pool, the user in an accepted domain.
    expect(await introspect(outer)).toMatchObject({ active: true, trust: { kind: 'partner', id: 'skype.pool', via: 'microsoft.sts' }, app_id: SKYPE, user: { upn: 'alice@contoso.com' } });

    // The delegation actor token is cached for the next user; the app-only one is another token, asked for and cached apart.
    const bob = await partnerToken(users, 'skype.pool', { upn: 'bob@contoso.com' });
    expect(bob.status).toBe(200);
    expect((jsonwebtoken.decode(bob.json().access_token) as Record<string, unknown>).actortoken).toBe(outerClaims.actortoken);
    expect(broker.requests).toBe(requests + 1);
    const app = await partnerToken(users, 'skype.pool');
    expect(app.status).toBe(200);
    expect(broker.requests).toBe(requests + 2);
    expect(broker.assertions.at(-1)!.trustedfordelegation).toBeUndefined();
    expect(app.json().access_token).not.toBe(outerClaims.actortoken);
    expect(jsonwebtoken.decode(app.json().access_token)).not.toHaveProperty('trustedfordelegation');
    expect(await introspect(app.json().access_token)).toMatchObject({ active: true, trust: { kind: 'partner', id: 'skype.pool', via: 'microsoft.sts' }, user: null });
    expect((await partnerToken(users, 'skype.pool')).json().access_token).toBe(app.json().access_token);
    const withUser = await partnerToken(users, 'skype.pool', { upn: 'carol@contoso.com' });
    expect((jsonwebtoken.decode(withUser.json().access_token) as Record<string, unknown>).actortoken).toBe(outerClaims.actortoken);
    expect(broker.requests).toBe(requests + 2);

    // A SID is sent as for a direct partner (nameid + nii activedirectory); the partner decides whether it accepts SIDs.
    const bySid = await partnerToken(users, 'skype.pool', { sid: 'S-1-5-21-1-2-3-1001', upn: 'alice@contoso.com' });
    expect(bySid.status).toBe(200);
    expect(jsonwebtoken.decode(bySid.json().access_token)).toMatchObject({ nameid: 'S-1-5-21-1-2-3-1001', nii: 'urn:office:idp:activedirectory', upn: 'alice@contoso.com' });
    expect(await verdict(bySid.json().access_token)).toBe('sid_not_accepted');
    expect((await admin('PATCH', '/partner-applications/skype.pool', { acceptSecurityIdentifierInformation: true })).status).toBe(200);
    expect(await verdictBecomes(bySid.json().access_token, 'valid')).toBe('valid');

    // Refused before the broker is asked: a client that may not act as users, a partner whose trust level is Application.
    const refusals: [string, () => Promise<HttpResponse>, string, string][] = [
      ['a client that may not act as users', () => partnerToken(appOnly, 'skype.pool', { upn: 'alice@contoso.com' }), 'this client may not act as users', 'act_as_users_not_allowed'],
      [
        'a partner at trust level Application',
        () => partnerToken(users, 'microsoft.sharepoint', { upn: 'alice@contoso.com' }),
        'partner application microsoft.sharepoint (trust level Application) does not accept user delegation',
        'partner_refuses_users',
      ],
    ];
    for (const [name, send, description, reason] of refusals) {
      const before = broker.requests;
      const since = server.output().length;
      const response = await send();
      expect([name, response.status, response.json()]).toEqual([name, 400, { error: 'unauthorized_client', error_description: description }]);
      expect([name, await loggedReason(reason, since)]).toEqual([name, true]);
      expect([name, broker.requests]).toEqual([name, before]);
    }

    // A tenant that does not let this service act for users: the broker's actor token lacks trustedfordelegation.
    broker.delegationAllowed = false;
    const since = server.output().length;
    const notDelegated = await partnerToken(users, 'microsoft.exchange', { upn: 'alice@contoso.com' });
    expect(notDelegated.status).toBe(400);
    expect(notDelegated.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'OAuth server microsoft.sts issued an actor token that is not trusted for delegation: the tenant does not let this service act for users',
    });
    expect(await loggedReason('broker_delegation_not_granted', since)).toBe(true);
    broker.delegationAllowed = true;
    const exchange = await partnerToken(users, 'microsoft.exchange', { upn: 'alice@contoso.com' });
    expect(exchange.status).toBe(200);
    expect(jsonwebtoken.decode(exchange.json().access_token)).toMatchObject({ aud: `${EXCHANGE}/mail.contoso.com@${TENANT}`, iss: `${SKYPE}@${TENANT}`, upn: 'alice@contoso.com' });
  });
});

/** oidc-provider from npm over HTTPS, issuing JWT access tokens for users through the authorization code flow. */
interface UserTokenProvider {
  readonly url: string;
  /** The access token for `resource` of the user who signs in as `login` (its dev login form, then consent). */
  userToken(login: string, resource: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts `oidc-provider` (a third-party authorization server nobody here wrote) on 127.0.0.1 over
 * HTTPS with `tls`: one confidential web client (authorization code + PKCE), JWT access tokens for
 * resource indicators (RFC 8707) with the scope `user_impersonation`, and, through
 * `extraTokenClaims`, the tenant of each user (`tid`, from `tenants`), `upn` and `idtyp: user`.
 * Users sign in through its built-in development interactions (any login name; consent by form).
 */
async function startUserTokenProvider(tls: { key: string; cert: string }, tenants: Record<string, string>): Promise<UserTokenProvider> {
  const op = createHttpsServer({ key: tls.key, cert: tls.cert });
  await new Promise<void>((resolve) => op.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(op.address() as AddressInfo).port}`;
  const ca = Buffer.from(tls.cert);
  const redirectUri = 'https://webapp.contoso.com/signin';
  const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'op-user-key', alg: 'RS256', use: 'sig' };
  const provider = new Provider(url, {
    clients: [{ client_id: 'webapp', client_secret: 'webapp-secret', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [redirectUri], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Explicit lifetimes (oidc-provider asks for them rather than use its defaults silently).
    ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 600, IdToken: 3600, Interaction: 600, Session: 600 },
    findAccount: (_ctx: unknown, accountId: string) => ({ accountId, claims: () => ({ sub: accountId }) }),
    features: {
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({ scope: 'user_impersonation', audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    extraTokenClaims: async (_ctx: unknown, token: { accountId?: string }) =>
      token.accountId === undefined ? undefined : { tid: tenants[token.accountId], upn: token.accountId, idtyp: 'user' },
  });
  op.on('request', provider.callback());

  const userToken = async (login: string, resource: string): Promise<string> => {
    const cookies = new Map<string, string>();
    const send = async (method: string, path: string, form?: Record<string, string>): Promise<HttpResponse> => {
      const body = form === undefined ? undefined : new URLSearchParams(form).toString();
      const response = await httpRequest(new URL(path, url).toString(), {
        method,
        headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '), ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
        body,
        ca,
      });
      for (const cookie of response.headers['set-cookie'] ?? []) {
        const [pair] = cookie.split(';');
        cookies.set(pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1));
      }
      return response;
    };
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URLSearchParams({
      client_id: 'webapp',
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid user_impersonation',
      resource,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('hex'),
    });
    let response = await send('GET', `/auth?${authorize.toString()}`);
    let code: string | null = null;
    // Follow the redirects: the login form, the consent form, then back to the web app with the code.
    for (let step = 0; step < 10 && code === null; step += 1) {
      const location = response.headers.location;
      if (response.status !== 303 || typeof location !== 'string') throw new Error(`oidc-provider sign-in: ${response.status} ${response.text.slice(0, 300)}`);
      if (location.startsWith(redirectUri)) {
        code = new URL(location).searchParams.get('code');
      } else if (new URL(location, url).pathname.startsWith('/interaction/')) {
        const page = await send('GET', location);
        response = await send('POST', location, page.text.includes('name="login"') ? { prompt: 'login', login, password: 'any' } : { prompt: 'consent' });
      } else {
        response = await send('GET', location);
      }
    }
    if (code === null) throw new Error('oidc-provider sign-in: no authorization code');
    const token = await httpRequest(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('webapp:webapp-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, resource }).toString(),
      ca,
    });
    if (token.status !== 200) throw new Error(`oidc-provider token: ${token.status} ${token.text}`);
    return token.json().access_token;
  };
  return { url, userToken, close: () => new Promise((resolve) => op.close(() => resolve())) };
}
