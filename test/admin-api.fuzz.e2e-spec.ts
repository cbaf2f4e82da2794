import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { createTestDatabase, removeDir, startServerProcess, testDatabaseKinds, type ServerProcess, type TestDatabase } from '@s2s/testing';
import {
  asText,
  bodyPlan,
  fewMutations,
  hostileKey,
  hostileRawBody,
  hostileString,
  type Hints,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  percentEncode,
  type PoolPick,
  queryPlan,
  type RequestPlan,
  type Schema,
} from './fuzz/openapi.arbitraries.js';

/**
 * "Nothing a client sends makes the server answer 500", checked by a machine. The real server (a
 * process, PGlite and PostgreSQL) is driven with requests generated from its own OpenAPI document:
 * for every admin route and the OAuth endpoints, valid bodies, path parameters and query strings,
 * and the same mutated with hostile input (see fuzz/openapi.arbitraries.ts). For every answer:
 *
 * - never a 5xx; errors in the route's error shape with the request id of the `X-Request-Id` header;
 * - a 4xx changes nothing: the lists of every admin resource and the newest audit event are the same
 *   before and after;
 * - a 2xx change is audited (the newest audit event carries this request's id) and reflected in the
 *   following GET (the created or changed object is listed as answered; a removed one is gone); a
 *   2xx that changed nothing (an idempotent repeat) needs no audit event.
 *
 * Seed: FUZZ_SEED (printed; default 20261206, `random` for a new one), requests: FUZZ_REQUESTS
 * (default 2,000 in total, split across the database kinds). `npm run fuzz` runs a longer campaign
 * (20,000 requests, random seed). Traffic goes to 127.0.0.1 only:
 * every http(s) URL a plan contains is rewritten to a closed port on 127.0.0.1 before it is sent.
 *
 * Left out or sequenced, because they act on the whole server rather than on one object:
 * - `force=true` on PUT /oauth-configuration (re-keys the installation: service name or realm change
 *   after certificates and partners depend on them); sent as `false` or hostile instead.
 * - DELETE of the admin key the fuzzer uses (it would lock itself out), and of the seeded client,
 *   resource and partner (the token endpoint would answer nothing but invalid_client afterwards);
 *   every other object, created by the fuzzer, may be deleted.
 * - `autoRenew` other than `off` in valid plans (the service would then make and stage a
 *   certificate by itself, a change no request made); hostile values are still sent.
 * - RSA key sizes above 2048 in valid plans (a 4096-bit key costs seconds on a loaded 2-core box);
 *   hostile key sizes are still sent.
 * - Background refresh and expiry counters are left out of the state comparison (metadata status,
 *   days to expiry, a key's last use): they change without a request.
 */

const kinds = testDatabaseKinds();
/** Fixed by default, so that CI runs are repeatable; FUZZ_SEED=<n> replays a run, FUZZ_SEED=random explores. */
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_261_206;
const TOTAL = process.env.FUZZ_REQUESTS ? Number(process.env.FUZZ_REQUESTS) : 2_000;
if (!Number.isInteger(SEED) || !Number.isInteger(TOTAL) || TOTAL < 1) throw new Error('FUZZ_SEED must be an integer or "random", FUZZ_REQUESTS a positive integer');
const PER_KIND = Math.ceil(TOTAL / kinds.length);
const MAX_FAILURES = 15;
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface Snapshot {
  fingerprint: string;
  lists: Record<string, unknown>;
  newestAudit: { id: string; requestId: string | null } | null;
}

/** Where an operation's answer must be found afterwards: which list, by which key. */
const LISTS: Record<string, { path: string; key: string }> = {
  'admin-keys': { path: '/admin/v1/admin-keys', key: 'id' },
  certificates: { path: '/admin/v1/certificates', key: 'thumbprint' },
  'certificate-requests': { path: '/admin/v1/certificate-requests', key: 'id' },
  resources: { path: '/admin/v1/resources', key: 'id' },
  clients: { path: '/admin/v1/clients', key: 'clientId' },
  'partner-applications': { path: '/admin/v1/partner-applications', key: 'identity' },
  'oauth-servers': { path: '/admin/v1/oauth-servers', key: 'identity' },
};
const OBJECTS: Record<string, string> = {
  'oauth-configuration': '/admin/v1/oauth-configuration',
  'certificate-assignments': '/admin/v1/certificate-assignments/oauth-token-issuer',
};
/** Fields that change without a request (see the header comment). */
const VOLATILE = new Set(['lastUsedAt', 'daysToExpiry', 'expiresSoon', 'metadataStatus']);

function stripVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripVolatile);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !VOLATILE.has(key)).map(([key, inner]) => [key, stripVolatile(inner)]));
}

/** The family of a template (`/admin/v1/clients/{clientId}/secrets` → `clients`). */
const familyOf = (template: string): string => template.split('/')[3] ?? '';

describe.each(kinds)('admin API and OAuth endpoints fuzzed from the OpenAPI document on %s', (kind) => {
  let database: TestDatabase;
  let server: ServerProcess;
  let adminKey: string;
  let closedPort: number;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });

  /**
   * One request. Fuzzed requests get a connection of their own (`fresh`): the server may close one
   * mid-body (413), and a kept-alive socket would pass that on to the next request.
   */
  const send = (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}, fresh = false): Promise<Reply> => sendOnce(method, path, init, fresh);
  const sendOnce = (method: string, path: string, init: { headers?: Record<string, string>; body?: string }, fresh: boolean): Promise<Reply> =>
    new Promise((resolveReply, reject) => {
      const target = new URL(`${server.url}${path.startsWith('/') ? '' : '/'}${path}`);
      if (target.hostname !== '127.0.0.1') throw new Error(`refusing to send to ${target.hostname}`);
      const req = request(
        { host: '127.0.0.1', port: target.port, path, method, agent: fresh ? false : agent, headers: { ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}), ...init.headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolveReply({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      // A connection the server closed without an answer (e.g. mid-way through an oversized body) is status 0.
      req.on('error', (error: NodeJS.ErrnoException) => resolveReply({ status: 0, headers: {}, text: error.code ?? error.message }));
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  const admin = async (method: string, path: string, body?: unknown): Promise<any> => {
    const reply = await send(method, `/admin/v1${path}`, {
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (reply.status >= 300) throw new Error(`seeding ${method} ${path}: ${reply.status} ${reply.text}`);
    return JSON.parse(reply.text);
  };

  beforeAll(async () => {
    closedPort = await new Promise<number>((resolvePort) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolvePort(port));
      });
    });
    database = await createTestDatabase(kind);
    server = await startServerProcess({
      env: {
        TLS_MODE: 'off',
        // The back-off would turn every later token request from 127.0.0.1 into a 429.
        AUTH_BACKOFF_CLIENT_FAILURES: '1000000',
        AUTH_BACKOFF_ADDRESS_FAILURES: '1000000',
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      },
    });
    adminKey = await server.bootstrapKey();
  });

  afterAll(async () => {
    agent.destroy();
    await server?.stop();
    await database?.drop();
    if (server) await removeDir(server.dataDir);
  });

  // 60 s for seeding plus 250 ms a request: several times what a loaded 2-core box needs.
  it(`never answers 5xx, changes nothing on 4xx, audits and reflects every 2xx change (seed ${SEED}, ${PER_KIND} requests)`, async () => {
    // ---- seed objects the valid plans refer to ---------------------------------------------
    await admin('PUT', '/oauth-configuration', { realm: 'contoso.com' });
    const signing = await admin('POST', '/certificates/self-signed', { realms: ['contoso.com'] });
    await admin('PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: signing.thumbprint });
    const spare = await admin('POST', '/certificates/self-signed', { realms: ['contoso.com'], days: 30 });
    const csr = await admin('POST', '/certificate-requests', { realms: ['contoso.com'] });
    const resource = await admin('POST', '/resources', {
      appIdUri: 'api://fuzz-seed',
      roles: [{ value: 'Files.Read', allowedMemberTypes: ['Application'] }],
      scopes: [{ value: 'user_impersonation' }],
    });
    const client = await admin('POST', '/clients', { displayName: 'fuzz seed', grantTypes: ['client_credentials', JWT_BEARER] });
    await admin('POST', `/clients/${client.clientId}/role-grants`, { resource: 'api://fuzz-seed', role: 'Files.Read' });
    // The OAuth endpoints authenticate as a client of their own, which no path parameter pool names:
    // the admin fuzzing may disable or strip the other one, and the token endpoint would then
    // answer nothing but invalid_client.
    const oauthClient = await admin('POST', '/clients', { displayName: 'fuzz oauth', grantTypes: ['client_credentials', JWT_BEARER] });
    await admin('POST', `/clients/${oauthClient.clientId}/role-grants`, { resource: 'api://fuzz-seed', role: 'Files.Read' });
    const partner = await admin('POST', '/partner-applications', {
      identity: 'fuzz-seed-partner',
      applicationIdentifier: '00000002-0000-0ff1-ce00-000000000000',
      realm: 'fabrikam.com',
      certificates: [spare.certificatePem],
      hostAuthority: 'mail.fabrikam.com',
    });
    const reader = await admin('POST', '/admin-keys', { name: 'fuzz reader', role: 'reader' });
    const tokenReply = await send('POST', '/oauth2/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: oauthClient.clientId, client_secret: oauthClient.clientSecret, scope: 'api://fuzz-seed/.default' }).toString(),
    });
    expect(tokenReply.status).toBe(200);
    const accessToken = JSON.parse(tokenReply.text).access_token as string;

    const loopbackUrl = `https://127.0.0.1:${closedPort}/metadata/json/1`;
    const pools = new Map<string, string[]>([
      ['admin-keys:id', [reader.id]],
      ['certificates:thumbprint', [signing.thumbprint, spare.thumbprint, spare.thumbprintSha256.toLowerCase()]],
      ['certificate-requests:id', [csr.id]],
      ['resources:resource', [resource.id, encodeURIComponent('api://fuzz-seed')]],
      ['clients:clientId', [client.clientId]],
      ['clients:secretId', [client.clientSecretId]],
      ['clients:thumbprint', [spare.thumbprint]],
      ['partner-applications:identity', [partner.identity]],
      ['oauth-servers:identity', ['microsoft.sts']],
    ]);
    const bootstrapKeyId = adminKey.split('.')[1]!;
    const protectedIds = new Set([bootstrapKeyId, client.clientId, resource.id, encodeURIComponent('api://fuzz-seed'), partner.identity]);

    // ---- the contract ----------------------------------------------------------------------
    const document = JSON.parse((await send('GET', '/docs/openapi.json')).text) as OpenApiDocument;
    const operations = operationsOf(document, (_method, template) => template.startsWith('/admin/v1/') || template.startsWith('/oauth2/'));
    expect(operations.find((operation) => operation.template === '/oauth2/token')?.form).toBeTruthy();
    // The introspection endpoint documents no body: it takes the token endpoint's client authentication and `token`.
    const introspectForm: Schema = { type: 'object', required: ['token'], properties: { token: { type: 'string' }, client_id: { type: 'string' }, client_secret: { type: 'string' } } };
    for (const operation of operations) if (operation.template === '/oauth2/introspect') operation.form = introspectForm;
    expect(operations.length).toBeGreaterThan(40);

    const foreignKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const hints: Hints = {
      identity: fc.stringMatching(/^fuzz-[a-z0-9]{1,8}$/),
      realm: fc.constantFrom('contoso.com', 'fabrikam.com'),
      realms: fc.constant(['contoso.com']),
      dnsNames: fc.constant(['s2s.contoso.com']),
      keySize: fc.constant(2048),
      days: fc.integer({ min: 1, max: 400 }),
      subject: fc.constantFrom('CN=fuzz', 'CN=s2s.contoso.com, O=Contoso'),
      applicationIdentifier: fc.uuid().map((id) => id.toLowerCase()),
      certificates: fc.constant([spare.certificatePem]),
      certificate: fc.constantFrom(spare.certificatePem, signing.certificatePem),
      chain: fc.constant(spare.certificatePem),
      // Made here, never committed: a real key that matches no certificate, and the same PEM cut short.
      privateKey: fc.constantFrom(foreignKeyPem, `${foreignKeyPem.slice(0, 60)}\n${foreignKeyPem.slice(-30)}`),
      pfx: fc.base64String({ maxLength: 64 }),
      password: fc.string({ maxLength: 12 }),
      hostAuthority: fc.constantFrom('mail.contoso.com', 'mail.contoso.com:8443'),
      publicHost: fc.constantFrom('s2s.contoso.com', 's2s.contoso.com:443'),
      metadataUrl: fc.constant(loopbackUrl),
      metadataHostAllowList: fc.constant(['127.0.0.1']),
      metadataCaBundle: fc.constant(spare.certificatePem),
      audiences: fc.constant(['api://fuzz']),
      tenantId: fc.uuid().map((id) => id.toLowerCase()),
      requiredRole: fc.constantFrom('Files.Read', 'Admin'),
      allowedApplicationIds: fc.array(fc.uuid(), { maxLength: 2 }),
      allowedObjectIds: fc.array(fc.uuid(), { maxLength: 2 }),
      appIdUri: fc.stringMatching(/^api:\/\/fuzz-[a-z0-9]{1,8}$/),
      displayName: fc.string({ minLength: 1, maxLength: 30 }),
      name: fc.string({ minLength: 1, maxLength: 30 }),
      description: fc.string({ maxLength: 40 }),
      value: fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,10}$/),
      roles: fc.array(fc.record({ value: fc.stringMatching(/^[A-Z][a-z]{1,6}\.Read$/), allowedMemberTypes: fc.subarray(['Application', 'User'], { minLength: 1 }) }), { maxLength: 2 }),
      scopes: fc.array(fc.record({ value: fc.stringMatching(/^[a-z]{1,8}_impersonation$/) }), { maxLength: 2 }),
      clientId: fc.constantFrom(client.clientId, null),
      grantTypes: fc.subarray(['client_credentials', JWT_BEARER], { minLength: 1 }),
      secretExpiresAt: fc.constant('2031-01-01T00:00:00Z'),
      expiresAt: fc.constant('2031-01-01T00:00:00Z'),
      thumbprint: fc.constantFrom(signing.thumbprint, spare.thumbprint, spare.thumbprint.replace(/(..)/g, '$1:').slice(0, -1)),
      effectiveDate: fc.constantFrom('2027-01-31T00:00:00Z', '2020-01-01T00:00:00Z'),
      resource: fc.constantFrom('api://fuzz-seed', resource.id),
      role: fc.constantFrom('Files.Read', 'Nope'),
      scope: fc.constantFrom('user_impersonation', 'nope'),
      token: fc.constantFrom(accessToken, `Bearer ${accessToken}`, 'a.b.c'),
      audience: fc.constantFrom('api://fuzz-seed', 'api://other'),
      serviceName: fc.uuid().map((id) => id.toLowerCase()),
      actorTokenLifetimeSeconds: fc.integer({ min: 60, max: 86_400 }),
      outerTokenLifetimeSeconds: fc.integer({ min: 60, max: 3_600 }),
      accessTokenLifetimeSeconds: fc.integer({ min: 60, max: 86_400 }),
      clockSkewSeconds: fc.integer({ min: 0, max: 900 }),
      metadataRefreshIntervalSeconds: fc.integer({ min: 3_600, max: 604_800 }),
      minimumRollLeadSeconds: fc.integer({ min: 0, max: 2_592_000 }),
      renewBeforeSeconds: fc.integer({ min: 86_400, max: 31_536_000 }),
      // Automatic renewal would change the certificates by itself mid-run (see the header).
      autoRenew: fc.constant('off'),
      reason: fc.string({ minLength: 1, maxLength: 40 }),
      deadline: fc.constantFrom('2027-02-07T00:00:00Z', '2020-01-01T00:00:00Z'),
      sourceAddresses: fc.constantFrom(['10.0.0.5'], ['::1', '10.0.0.6'], []),
      force: fc.constant('false'),
      action: fc.constantFrom('client.create', 'oauth-configuration.update', 'nothing'),
      targetType: fc.constantFrom('client', 'resource', 'admin-key'),
      targetId: fc.constantFrom(client.clientId, 'x'),
      actorKeyId: fc.constantFrom(bootstrapKeyId, '00000000-0000-4000-8000-000000000000'),
      limit: fc.integer({ min: 1, max: 500 }),
      // Mostly left out: a cursor is only valid when the server made it, and a bad one stops the query early.
      cursor: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }),
      since: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2025-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
      until: fc.date({ min: new Date('2030-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
    };
    const formHints: Record<string, fc.Arbitrary<string>> = {
      grant_type: fc.constantFrom('client_credentials', JWT_BEARER),
      client_id: fc.constant(oauthClient.clientId),
      client_secret: fc.constant(oauthClient.clientSecret),
      scope: fc.constantFrom('api://fuzz-seed/.default', 'user_impersonation'),
      resource: fc.constantFrom('api://fuzz-seed', partner.identity, '00000002-0000-0ff1-ce00-000000000000'),
      token: fc.constant(accessToken),
      requested_token_use: fc.constant('on_behalf_of'),
      assertion: fc.constant(accessToken),
      client_assertion_type: fc.constant('urn:ietf:params:oauth:client-assertion-type:jwt-bearer'),
      client_assertion: fc.constant('a.b.c'),
      upn: fc.constant('alice@contoso.com'),
      smtp: fc.constant('alice@contoso.com'),
      sip: fc.constant('sip:alice@contoso.com'),
      sid: fc.constant('S-1-5-21-1-2-3-1001'),
    };

    const pathPlan = (operation: Operation, mutated: boolean): fc.Arbitrary<Record<string, PoolPick | string>> => {
      const model: Record<string, fc.Arbitrary<PoolPick | string>> = {};
      for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
        const pick = fc.nat().map((index): PoolPick => ({ pool: `${familyOf(operation.template)}:${parameter.name}`, index }));
        model[parameter.name] = mutated ? fc.oneof(pick, hostileString) : pick;
      }
      return fc.record(model);
    };
    const formPlan = (schema: Schema, mutated: boolean): fc.Arbitrary<{ body: RequestPlan['body']; notes: string[] }> => {
      const names = Object.keys(schema.properties ?? {});
      const model: Record<string, fc.Arbitrary<string>> = {};
      for (const name of names) model[name] = formHints[name] ?? fc.string({ maxLength: 12 });
      // A canonical request (so that valid plans also reach the 200 paths), or any mix of the documented parameters.
      const canonical: Record<string, string> = schema.properties?.grant_type
        ? { grant_type: 'client_credentials', client_id: oauthClient.clientId, client_secret: oauthClient.clientSecret, scope: 'api://fuzz-seed/.default' }
        : { token: accessToken, client_id: oauthClient.clientId, client_secret: oauthClient.clientSecret };
      const values = fc.oneof(fc.constant<Record<string, string>>(canonical), fc.record(model, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, string>>);
      const valid = fc.tuple(values, fc.boolean()).map(([values, basic]) => {
        const form = Object.entries(values) as [string, string][];
        if (!basic || !values.client_id) return { form };
        return { form: form.filter(([name]) => name !== 'client_id' && name !== 'client_secret'), basic: [values.client_id, values.client_secret ?? ''] as [string, string] };
      });
      if (!mutated) return valid.map((body) => ({ body, notes: [] }));
      const change = fc.oneof(
        fc.tuple(fc.constantFrom(...names), hostileString).map(([name, value]) => ({ name, value, replace: true, note: `${name} = hostile` })),
        fc.tuple(hostileKey, hostileString).map(([name, value]) => ({ name, value, replace: false, note: `+ ${JSON.stringify(name)}` })),
      );
      return fc.oneof(
        { weight: 9, arbitrary: fc.tuple(valid, fewMutations(change), fc.option(fc.tuple(hostileString, hostileString), { freq: 4 })).map(([body, changes, basic]) => {
          const form = [...body.form];
          for (const { name, value, replace } of changes) {
            const at = replace ? form.findIndex(([existing]) => existing === name) : -1;
            if (at >= 0) form[at] = [name, value];
            else form.push([name, value]);
          }
          return { body: { form, ...(basic ? { basic } : body.basic ? { basic: body.basic } : {}) }, notes: changes.map((c) => c.note).concat(basic ? ['basic = hostile'] : []) };
        }) },
        { weight: 1, arbitrary: hostileRawBody.map((raw) => ({ body: raw, notes: ['raw body'] })) },
      );
    };
    const planOf = (opIndex: number, mutated: boolean): fc.Arbitrary<RequestPlan> => {
      const operation = operations[opIndex]!;
      const body = operation.body
        ? bodyPlan(operation.body, document, hints, mutated)
        : operation.form
          ? formPlan(operation.form, mutated)
          : fc.constant({ body: null, notes: [] as string[] });
      return fc.record({ path: pathPlan(operation, mutated), query: queryPlan(operation.parameters, document, hints, mutated), body }).map(({ path, query, body: planned }) => ({
        opIndex,
        mutated,
        path,
        query: query.query,
        body: planned.body,
        notes: [...query.notes, ...planned.notes],
      }));
    };
    // Every operation alike, except the two OAuth endpoints, which get 15 % of the requests between them.
    const oauthIndexes = operations.flatMap((operation, index) => (operation.template.startsWith('/oauth2/') ? [index] : []));
    const adminIndexes = operations.flatMap((operation, index) => (operation.template.startsWith('/oauth2/') ? [] : [index]));
    const opIndex = fc.oneof({ weight: 85, arbitrary: fc.constantFrom(...adminIndexes) }, { weight: 15, arbitrary: fc.constantFrom(...oauthIndexes) });
    const plans = fc.sample(
      fc.tuple(opIndex, fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 7, arbitrary: fc.constant(true) })).chain(([index, mutated]) => planOf(index, mutated)),
      { seed: SEED, numRuns: PER_KIND },
    );

    // ---- state ----------------------------------------------------------------------------
    const snapshot = async (): Promise<Snapshot> => {
      const headers = { authorization: `Bearer ${adminKey}` };
      const paths = [...Object.entries(LISTS).map(([name, list]) => [name, list.path]), ...Object.entries(OBJECTS), ['audit', '/admin/v1/audit-events?limit=1']];
      const get = async (path: string): Promise<Reply> => {
        const reply = await send('GET', path, { headers });
        return reply.status === 0 ? send('GET', path, { headers }) : reply;
      };
      const replies = await Promise.all(paths.map(([, path]) => get(path!)));
      const lists: Record<string, unknown> = {};
      replies.forEach((reply, index) => {
        if (reply.status !== 200) throw new Error(`snapshot GET ${paths[index]![1]}: ${reply.status} ${reply.text.slice(0, 300)}`);
        lists[paths[index]![0]!] = stripVolatile(JSON.parse(reply.text));
      });
      const newest = (lists.audit as { items: { id: string; requestId: string | null }[] }).items[0] ?? null;
      return { fingerprint: JSON.stringify(lists), lists, newestAudit: newest ? { id: newest.id, requestId: newest.requestId } : null };
    };
    const resolvePath = (operation: Operation, plan: RequestPlan): string =>
      operation.template.replace(/\{(\w+)\}/g, (_match, name: string) => {
        const choice = plan.path[name];
        if (typeof choice === 'string') return percentEncode(choice);
        if (!choice) return 'missing';
        const isDelete = operation.method === 'DELETE' && operation.template.endsWith(`{${name}}`);
        const pool = (pools.get(choice.pool) ?? ['00000000-0000-4000-8000-000000000000']).filter((id) => !(isDelete && protectedIds.has(id)));
        return pool.length ? pool[choice.index % pool.length]! : '00000000-0000-4000-8000-000000000000';
      });
    /** Any http(s) URL in a plan points at a closed port on 127.0.0.1 (SSRF guard of the fuzzer itself). */
    const loopbackOnly = (value: unknown, depth = 0): unknown => {
      if (depth > 64) return value; // the deep values of the generators hold no strings
      if (typeof value === 'string') {
        if (value.length > 4096 || !URL.canParse(value)) return value;
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:' ? `${url.protocol}//127.0.0.1:${closedPort}${url.pathname}` : value;
      }
      if (Array.isArray(value)) return value.map((item) => loopbackOnly(item, depth + 1));
      if (typeof value === 'object' && value !== null) {
        const copy = {};
        for (const [key, inner] of Object.entries(value)) Object.defineProperty(copy, key, { value: loopbackOnly(inner, depth + 1), enumerable: true, writable: true, configurable: true });
        return copy;
      }
      return value;
    };

    // ---- run ------------------------------------------------------------------------------
    process.stdout.write(`admin API fuzz on ${kind}: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${TOTAL} (${PER_KIND} on ${kind})\n`);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let oauthSuccesses = 0;
    const started = Date.now();
    let before = await snapshot();
    for (let i = 0; i < plans.length && failures.length < MAX_FAILURES; i++) {
      const plan = plans[i]!;
      const operation = operations[plan.opIndex]!;
      const isOAuth = operation.template.startsWith('/oauth2/');
      const requestId = `fuzz-${kind}-${SEED}-${i}`;
      const headers: Record<string, string> = { 'x-request-id': requestId };
      if (!isOAuth) headers.authorization = `Bearer ${adminKey}`;
      const query = plan.query.map(([name, value]) => [name, name === 'force' && value === 'true' ? 'false' : String(loopbackOnly(value))] as [string, string]);
      let body: string | undefined;
      if (plan.body && 'json' in plan.body) {
        body = JSON.stringify(loopbackOnly(plan.body.json));
        headers['content-type'] = 'application/json';
      } else if (plan.body && 'raw' in plan.body) {
        body = plan.body.raw;
        headers['content-type'] = plan.body.contentType ?? (isOAuth ? 'application/x-www-form-urlencoded' : 'application/json');
      } else if (plan.body && 'form' in plan.body) {
        body = plan.body.form.map(([name, value]) => `${percentEncode(name)}=${percentEncode(asText(loopbackOnly(value)))}`).join('&');
        headers['content-type'] = 'application/x-www-form-urlencoded';
        if (plan.body.basic) headers.authorization = `Basic ${Buffer.from(`${percentEncode(plan.body.basic[0])}:${percentEncode(plan.body.basic[1])}`, 'utf8').toString('base64')}`;
      }
      const path = resolvePath(operation, plan) + (query.length ? `?${query.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&')}` : '');
      const reply = await send(operation.method, path, { headers, body }, true);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (isOAuth && reply.status === 200) oauthSuccesses++;
      const describe = (): string =>
        `#${i} ${operation.method} ${path.slice(0, 300)} ${plan.mutated ? `mutated: ${plan.notes.join(', ')}` : 'valid'}\n  body: ${JSON.stringify(body?.slice(0, 400))}\n  -> ${reply.status} ${reply.text.slice(0, 400)}`;
      const fail = (why: string): void => {
        failures.push(`${why}\n${describe()}`);
      };

      // 1. never a 5xx, and the error shape of the route with its request id
      if (reply.status >= 500) fail('5xx');
      if (reply.status === 0) {
        // Closing the connection on a body over BODY_LIMIT_BYTES (256 KiB) instead of reading it all is fine.
        if (Buffer.byteLength(body ?? '') <= 256 * 1024) fail(`connection closed without an answer (${reply.text})`);
        continue;
      }
      let json: any = null;
      try {
        json = JSON.parse(reply.text);
      } catch {
        fail('the answer is not JSON');
      }
      if (json && reply.status >= 400) {
        // Also what Node's HTTP parser (an oversized URL or header block: 431) and Fastify's router
        // (an undecodable URL such as %ED%A0%80: 400) refuse before any route runs (server.factory.ts).
        if (isOAuth) {
          if (typeof json.error !== 'string' || typeof json.error_description !== 'string' || reply.headers['cache-control'] !== 'no-store') fail('not an RFC 6749 5.2 error');
        } else if (typeof json.code !== 'string' || json.requestId !== reply.headers['x-request-id']) {
          fail('not the admin error shape with the request id of X-Request-Id');
        }
      }

      // 2. state: unchanged on 4xx (and for reads), audited and reflected on a 2xx change
      const readOnly = operation.method === 'GET' || isOAuth || operation.template === '/admin/v1/tokens/validate';
      if (operation.method !== 'GET' && reply.status < 500) {
        const after = await snapshot();
        if (reply.status >= 400 || readOnly) {
          if (after.fingerprint !== before.fingerprint) fail(`state changed: ${diff(before.lists, after.lists)}`);
        } else {
          // A change is audited; a 2xx that changed nothing (assigning the current certificate again) need not be.
          if (after.fingerprint !== before.fingerprint && after.newestAudit?.requestId !== requestId) fail(`no audit event for this change (newest: ${JSON.stringify(after.newestAudit)}): ${diff(before.lists, after.lists)}`);
          const problem = json ? reflected(operation, json, after.lists) : null;
          if (problem) fail(`not reflected: ${problem}`);
          harvest(operation, json, pools);
        }
        before = after;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `admin API fuzz on ${kind}: ${plans.length} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; OAuth 200s ${oauthSuccesses}\n`,
    );
    if (failures.length) throw new Error(`${failures.length} failure(s) with FUZZ_SEED=${SEED} FUZZ_REQUESTS=${TOTAL} on ${kind}:\n\n${failures.join('\n\n')}`);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    // The server never logged an unhandled error during the run.
    expect(server.output()).not.toMatch(/unhandled error/);
  }, 60_000 + 250 * PER_KIND);
});

/** Where the answer of a successful change must show up afterwards; null when it does. */
function reflected(operation: Operation, answer: any, lists: Record<string, unknown>): string | null {
  const family = familyOf(operation.template);
  if (OBJECTS[family]) {
    const now = stripVolatile(lists[family]);
    return JSON.stringify(stripVolatile(answer)) === JSON.stringify(now) ? null : `${family} is ${JSON.stringify(now).slice(0, 300)}`;
  }
  const list = LISTS[family];
  if (!list || typeof answer?.[list.key] !== 'string') return null; // e.g. a new client secret: the audit check covers it
  const items = ((lists[family] as { items: Record<string, unknown>[] }).items ?? []) as Record<string, unknown>[];
  const found = items.find((item) => item[list.key] === answer[list.key]);
  const removesIt = operation.method === 'DELETE' && operation.template.split('/').length === 5;
  if (removesIt && family !== 'admin-keys') return found ? `${family} still lists ${answer[list.key]}` : null;
  if (!found) return `${family} does not list ${answer[list.key]}`;
  const clean = stripVolatile(answer) as Record<string, unknown>;
  const mismatched = Object.keys(found).filter((key) => key in clean && JSON.stringify(clean[key]) !== JSON.stringify(found[key]));
  return mismatched.length ? `${family} lists ${answer[list.key]} with other ${mismatched.join(', ')}` : null;
}

/** Ids from a successful answer, for later path parameters. */
function harvest(operation: Operation, answer: any, pools: Map<string, string[]>): void {
  if (!answer || operation.method === 'DELETE') return;
  const add = (pool: string, id: unknown): void => {
    if (typeof id !== 'string') return;
    const ids = pools.get(pool) ?? [];
    if (!ids.includes(id)) pools.set(pool, [...ids, id]);
  };
  const family = familyOf(operation.template);
  if (family === 'admin-keys') add('admin-keys:id', answer.id);
  if (family === 'certificates' || operation.template.endsWith('/complete')) add('certificates:thumbprint', answer.thumbprint);
  if (family === 'certificate-requests') add('certificate-requests:id', answer.id);
  if (family === 'resources') add('resources:resource', answer.id);
  if (family === 'clients') {
    add('clients:clientId', answer.clientId);
    add('clients:secretId', answer.clientSecretId);
    if (operation.template.endsWith('/secrets')) add('clients:secretId', answer.id);
  }
  if (family === 'partner-applications') add('partner-applications:identity', answer.identity);
  if (family === 'oauth-servers') add('oauth-servers:identity', answer.identity);
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>): string {
  return Object.keys(after)
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key}: ${JSON.stringify(before[key]).slice(0, 200)} -> ${JSON.stringify(after[key]).slice(0, 200)}`)
    .join('; ');
}
