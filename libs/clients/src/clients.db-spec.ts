import 'reflect-metadata';
import { createHash, createHmac, hkdfSync, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { type AuditEvent, AuditLogService, AuditModule } from '@s2s/audit';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, ConflictError, CoreModule, type DomainError, FrozenClock, InvalidInputError, NotFoundError } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OperationsModule } from '@s2s/operations';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, OpenSslToolkit, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { DataSource } from 'typeorm';
import { ClientDirectory, credentialIdOf } from './client.directory.js';
import { ClientRepository } from './client-registry.repository.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { ClientService } from './client.service.js';
import { ClientsModule } from './clients.module.js';
import { ResourceService } from './resource.service.js';

const REALM = 'contoso.com';
const MINUTE = 60_000;
const DAY = 86_400_000;
const PERMISSION_VALUE_MESSAGE = 'must be 1-120 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

interface Harness {
  module: TestingModule;
  resources: ResourceService;
  clients: ClientService;
  directory: ClientDirectory;
  hasher: ClientSecretHasher;
  audit: AuditLogService;
  dataSource: DataSource;
}

async function openHarness(database: TestDatabase, clock: FrozenClock, masterKey: MasterKey, actor: AdminActor): Promise<Harness> {
  const config = Object.assign(new AppConfig(), { publicUrl: 'https://s2s.contoso.com' });
  const module = await Test.createTestingModule({
    imports: [
      CoreModule.forRoot(clock),
      AppConfigModule.forRoot(config, masterKey),
      PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
      OperationsModule,
      AuditModule,
      OAuthConfigurationModule,
      ClientsModule,
    ],
  }).compile();
  module.useLogger(false);
  const configuration = module.get(OAuthConfigurationService);
  await configuration.ensureInitialized();
  await module.init();
  await configuration.update({ realm: REALM }, { force: false }, actor);
  return {
    module,
    resources: module.get(ResourceService),
    clients: module.get(ClientService),
    directory: module.get(ClientDirectory),
    hasher: module.get(ClientSecretHasher),
    audit: module.get(AuditLogService),
    dataSource: module.get(DataSource),
  };
}

/** Runs `fn`, expecting a domain error of this class with this code (and message, when given). */
async function expectDomainError(fn: () => Promise<unknown>, type: new (...args: never[]) => DomainError, code: string, message?: string | RegExp): Promise<DomainError> {
  const error = await fn().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as DomainError).code).toBe(code);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else if (message) expect((error as Error).message).toMatch(message);
  return error as DomainError;
}

describe.each(testDatabaseKinds())('clients and resources on %s', (kind) => {
  const openssl = new OpenSslToolkit();
  const actor: AdminActor = { keyId: null, name: 'tester', requestId: 'req-1' };
  let database: TestDatabase;
  let clock: FrozenClock;
  let masterKey: MasterKey;
  let h: Harness;

  const rows = async <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> => h.dataSource.query(sql, parameters);
  const count = async (table: string, where = 'TRUE', parameters: unknown[] = []): Promise<number> =>
    Number((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, parameters))[0]!.n);
  const events = async (action: string, targetId: string): Promise<AuditEvent[]> => (await h.audit.list({ action, targetId })).items;
  /** The stored hash, computed without our code: HMAC-SHA-256 under HKDF-SHA-256(master key, "s2s-trust:client-secret-hash"). */
  const independentHash = (secret: string): string =>
    createHmac('sha256', Buffer.from(hkdfSync('sha256', masterKey.key, Buffer.alloc(0), 's2s-trust:client-secret-hash', 32))).update(secret, 'utf8').digest('base64url');
  const uniqueUri = (name: string): string => `api://${name}-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // openssl stamps certificates with the real time; the frozen clock starts at that second.
    clock = new FrozenClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    masterKey = new MasterKey(randomBytes(32));
    h = await openHarness(database, clock, masterKey, actor);
  });

  afterAll(async () => {
    await h?.module.close();
    await database?.drop();
    openssl.dispose();
  });

  describe('resources', () => {
    it('creates, updates and removes a resource, auditing each step and updating the directory at once', async () => {
      const appIdUri = uniqueUri('WebApi');
      const created = await h.resources.create(
        {
          appIdUri,
          displayName: ' Web API ',
          roles: [{ value: 'Files.Read.All', description: 'Read files' }, { value: 'Reports.View', allowedMemberTypes: ['User', 'Application', 'User'] }],
          scopes: [{ value: 'user_impersonation' }],
        },
        actor,
      );
      expect(created).toMatchObject({
        appIdUri,
        displayName: 'Web API',
        roles: [
          { value: 'Files.Read.All', description: 'Read files', allowedMemberTypes: ['Application'] },
          { value: 'Reports.View', description: '', allowedMemberTypes: ['User', 'Application'] },
        ],
        scopes: [{ value: 'user_impersonation', description: '' }],
        clientId: null,
        createdAt: clock.now(),
      });
      const [row] = await rows<{ app_id_uri: string; roles: unknown }>('SELECT app_id_uri, roles FROM resource WHERE id = $1', [created.id]);
      expect(row).toEqual({ app_id_uri: appIdUri, roles: created.roles });
      expect((await h.resources.get(appIdUri.toUpperCase())).id).toBe(created.id);
      expect((await h.resources.get(created.id)).appIdUri).toBe(appIdUri);
      expect(h.directory.resourceByAppIdUri(appIdUri.toUpperCase())?.id).toBe(created.id);
      const [createEvent] = await events('resource.create', created.id);
      expect(createEvent).toMatchObject({ actorName: 'tester', requestId: 'req-1', targetType: 'resource', after: { appIdUri, displayName: 'Web API', clientId: null } });

      clock.advance(MINUTE);
      const updated = await h.resources.update(appIdUri, { displayName: 'Web API v2', scopes: [{ value: 'user_impersonation' }, { value: 'Files.Read' }] }, actor);
      expect(updated).toMatchObject({ id: created.id, displayName: 'Web API v2', roles: created.roles, updatedAt: clock.now(), createdAt: created.createdAt });
      expect(updated.scopes.map((scope) => scope.value)).toEqual(['user_impersonation', 'Files.Read']);
      expect(h.directory.resourceById(created.id)?.displayName).toBe('Web API v2');
      const [updateEvent] = await events('resource.update', created.id);
      expect(updateEvent).toMatchObject({ before: { displayName: 'Web API' }, after: { displayName: 'Web API v2' } });

      const removed = await h.resources.remove(created.id, actor);
      expect(removed.id).toBe(created.id);
      expect(await count('resource', 'id = $1', [created.id])).toBe(0);
      expect(h.directory.resourceByAppIdUri(appIdUri)).toBeUndefined();
      expect(h.directory.resourceById(created.id)).toBeUndefined();
      expect(await events('resource.remove', created.id)).toHaveLength(1);
      await expectDomainError(() => h.resources.get(appIdUri), NotFoundError, 'not_found', `no resource ${appIdUri}`);
    });

    it('refuses a second resource whose App ID URI differs only in case, storing nothing', async () => {
      const appIdUri = uniqueUri('Dup');
      await h.resources.create({ appIdUri }, actor);
      const before = await count('resource');
      const auditBefore = await count('audit_event');
      await expectDomainError(
        () => h.resources.create({ appIdUri: appIdUri.toUpperCase() }, actor),
        ConflictError,
        'resource_exists',
        `a resource with Application ID URI ${appIdUri.toUpperCase()} already exists`,
      );
      expect(await count('resource')).toBe(before);
      expect(await count('audit_event')).toBe(auditBefore);
    });

    it.each<[string, () => Parameters<ResourceService['create']>[0], { field: string; message: string }[]]>([
      [
        'bad, duplicate and mistyped roles',
        () => ({
          appIdUri: uniqueUri('roles'),
          roles: [{ value: 'has space' }, { value: 'A' }, { value: 'A' }, { value: 'B', allowedMemberTypes: ['Robot'] }, { value: 'C', allowedMemberTypes: [] }],
        }),
        [
          { field: 'roles[0].value', message: PERMISSION_VALUE_MESSAGE },
          { field: 'roles[2].value', message: 'duplicate role A' },
          { field: 'roles[3].allowedMemberTypes', message: 'must be a non-empty list of Application and/or User' },
          { field: 'roles[4].allowedMemberTypes', message: 'must be a non-empty list of Application and/or User' },
        ],
      ],
      [
        'the reserved .default, a duplicate and an empty scope',
        () => ({ appIdUri: uniqueUri('scopes'), scopes: [{ value: '.default' }, { value: 'read' }, { value: 'read' }, { value: '' }] }),
        [
          { field: 'scopes[0].value', message: PERMISSION_VALUE_MESSAGE },
          { field: 'scopes[0].value', message: '".default" is reserved' },
          { field: 'scopes[2].value', message: 'duplicate scope read' },
          { field: 'scopes[3].value', message: PERMISSION_VALUE_MESSAGE },
        ],
      ],
      ['an App ID URI that is not absolute', () => ({ appIdUri: 'webapi' }), [{ field: 'appIdUri', message: 'must be an absolute URI such as api://webapi or https://webapi.contoso.com' }]],
      ['an App ID URI ending in /.default', () => ({ appIdUri: 'api://webapi/.default' }), [{ field: 'appIdUri', message: 'must not end with "/" or "/.default"' }]],
      ['an App ID URI with a fragment', () => ({ appIdUri: 'api://webapi#x' }), [{ field: 'appIdUri', message: 'must be an absolute URI such as api://webapi or https://webapi.contoso.com' }]],
      ['a blank display name', () => ({ appIdUri: uniqueUri('blank'), displayName: '   ' }), [{ field: 'displayName', message: 'must be 1-200 characters' }]],
      ['an owning client that does not exist', () => ({ appIdUri: uniqueUri('owner'), clientId: randomUUID() }), [{ field: 'clientId', message: expect.stringMatching(/^no client [0-9a-f-]{36}$/) }]],
    ])('refuses %s with InvalidInputError naming each field, and stores nothing', async (_name, input, details) => {
      const before = await count('resource');
      const error = await expectDomainError(() => h.resources.create(input(), actor), InvalidInputError, 'validation_failed');
      expect(error.details).toEqual(details);
      expect(await count('resource')).toBe(before);
    });
  });

  describe('clients and secrets', () => {
    it('creates a client with a 256-bit secret shown once and stored only as its keyed hash', async () => {
      const { registration, issued } = await h.clients.create({ displayName: 'conferencing' }, actor);
      const clientId = registration.client.clientId;
      expect(clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(registration.client).toMatchObject({ displayName: 'conferencing', realm: REALM, enabled: true, actAsUsers: false, grantTypes: ['client_credentials'], allowTokenEndpointAudience: false });
      const secret = issued!.value;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);

      const stored = await rows('SELECT * FROM client_secret WHERE client_id = $1', [clientId]);
      expect(stored).toHaveLength(1);
      for (const [column, value] of Object.entries(stored[0]!)) {
        expect({ column, containsSecret: String(value instanceof Date ? value.toISOString() : value).includes(secret) }).toEqual({ column, containsSecret: false });
      }
      expect(stored[0]!.secret_hash).toBe(independentHash(secret));
      expect(stored[0]!.hint).toBe(secret.slice(-4));
      expect(stored[0]!.id).toBe(issued!.secret.id);
      // Nowhere else in the database either.
      for (const table of ['client', 'client_secret', 'audit_event', 'change_counter']) {
        expect(JSON.stringify(await rows(`SELECT * FROM ${table}`))).not.toContain(secret);
      }

      expect(h.hasher.matches(secret, String(stored[0]!.secret_hash))).toBe(true);
      const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      expect(h.hasher.matches(wrong, String(stored[0]!.secret_hash))).toBe(false);
      expect(h.hasher.matches(String(stored[0]!.secret_hash), String(stored[0]!.secret_hash))).toBe(false);

      const [event] = await events('client.create', clientId);
      expect(event).toMatchObject({ actorName: 'tester', after: { displayName: 'conferencing', realm: REALM, enabled: true } });
      expect(JSON.stringify(event)).not.toContain(secret);
      expect(JSON.stringify(event)).not.toContain(String(stored[0]!.secret_hash));

      expect(h.directory.client(clientId)?.secrets).toEqual([{ id: issued!.secret.id, secretHash: independentHash(secret), expiresAt: null, credentialId: credentialIdOf('secret', issued!.secret.id) }]);
      // The credential id our tokens record (cred): 16 base64url characters of SHA-256("secret:<id>"), computed here without our code.
      expect(credentialIdOf('secret', issued!.secret.id)).toBe(createHash('sha256').update(`secret:${issued!.secret.id}`).digest('base64url').slice(0, 16));
      expect(h.directory.client(clientId)?.credentials.get(credentialIdOf('secret', issued!.secret.id))).toEqual({ kind: 'secret', expiresAt: null });
    });

    it('creates a client without a secret when asked, and refuses bad input before storing anything', async () => {
      const { registration, issued } = await h.clients.create({ displayName: 'cert-only', withSecret: false, grantTypes: ['urn:ietf:params:oauth:grant-type:jwt-bearer'] }, actor);
      expect(issued).toBeNull();
      expect(await count('client_secret', 'client_id = $1', [registration.client.clientId])).toBe(0);
      const before = await count('client');
      await expectDomainError(() => h.clients.create({ displayName: 'x', grantTypes: ['password'] }, actor), InvalidInputError, 'validation_failed', 'grantTypes: must be a non-empty list of client_credentials, urn:ietf:params:oauth:grant-type:jwt-bearer; unknown: password');
      await expectDomainError(() => h.clients.create({ displayName: 'x', realm: 'Not A Realm!' }, actor), InvalidInputError, 'validation_failed', /^realm: /);
      await expectDomainError(() => h.clients.create({ displayName: 'x', secretExpiresAt: new Date(clock.now().getTime() - 1) }, actor), InvalidInputError, 'validation_failed', 'expiresAt: must be in the future');
      expect(await count('client')).toBe(before);
    });

    it('adds a second secret for rotation and removes the first, auditing both without the value', async () => {
      const { registration, issued } = await h.clients.create({ displayName: 'rotating' }, actor);
      const clientId = registration.client.clientId;
      const expiresAt = new Date(clock.now().getTime() + 30 * DAY);
      const second = await h.clients.addSecret(clientId, { description: 'rotation 2026', expiresAt }, actor);
      expect(second.value).not.toBe(issued!.value);
      expect(second.secret).toMatchObject({ clientId, description: 'rotation 2026', expiresAt, hint: second.value.slice(-4), secretHash: independentHash(second.value) });
      expect(await count('client_secret', 'client_id = $1', [clientId])).toBe(2);
      expect(h.directory.client(clientId)?.secrets.map((s) => s.id)).toEqual([issued!.secret.id, second.secret.id]);
      const [added] = await events('client.add-secret', clientId);
      expect(added!.after).toMatchObject({ hint: second.value.slice(-4), expiresAt: expiresAt.toISOString() });
      expect(JSON.stringify(added)).not.toContain(second.value);

      const after = await h.clients.removeSecret(clientId, issued!.secret.id, actor);
      expect(after.secrets.map((s) => s.id)).toEqual([second.secret.id]);
      expect(await rows('SELECT id FROM client_secret WHERE client_id = $1', [clientId])).toEqual([{ id: second.secret.id }]);
      // Revoked at once on this instance: the token endpoint no longer knows the old hash.
      expect(h.directory.client(clientId)?.secrets.map((s) => s.secretHash)).toEqual([independentHash(second.value)]);
      expect(await events('client.remove-secret', clientId)).toHaveLength(1);

      await expectDomainError(() => h.clients.removeSecret(clientId, issued!.secret.id, actor), NotFoundError, 'not_found', `client ${clientId} has no secret ${issued!.secret.id}`);
      await expectDomainError(() => h.clients.addSecret(clientId, { expiresAt: clock.now() }, actor), InvalidInputError, 'validation_failed', 'expiresAt: must be in the future');
      expect(await count('client_secret', 'client_id = $1', [clientId])).toBe(1);
    });

    it('names the added and removed secret by its id in the audit log (the id is not a secret)', async () => {
      const { registration, issued } = await h.clients.create({ displayName: 'audited' }, actor);
      const clientId = registration.client.clientId;
      const second = await h.clients.addSecret(clientId, {}, actor);
      await h.clients.removeSecret(clientId, issued!.secret.id, actor);
      const [created] = await events('client.create', clientId);
      const [added] = await events('client.add-secret', clientId);
      const [removed] = await events('client.remove-secret', clientId);
      expect(created!.after).toMatchObject({ secretId: issued!.secret.id });
      expect(added!.after).toMatchObject({ secretId: second.secret.id });
      expect(removed!.before).toEqual({ secretId: issued!.secret.id });
    });
  });

  describe('client certificates', () => {
    it('adds an openssl RSA 2048 certificate and makes it usable for assertions at once', async () => {
      const { registration } = await h.clients.create({ displayName: 'jwt-client', withSecret: false }, actor);
      const clientId = registration.client.clientId;
      const made = openssl.selfSigned({ cn: 'jwt-client.contoso.com' });
      const updated = await h.clients.addCertificate(clientId, made.certificatePem, actor);
      const thumbprint = openssl.sha1Thumbprint(made.certFile);
      expect(updated.certificates).toHaveLength(1);
      expect(updated.certificates[0]).toMatchObject({ clientId, thumbprint, subject: expect.stringContaining('jwt-client.contoso.com') });
      expect(await rows('SELECT thumbprint_sha1 FROM client_certificate WHERE client_id = $1', [clientId])).toEqual([{ thumbprint_sha1: thumbprint }]);
      const cached = h.directory.client(clientId)!.certificates;
      expect(cached.map((c) => [c.thumbprint, c.x5t])).toEqual([[thumbprint, openssl.x5t(made.certFile)]]);
      expect(cached[0]!.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
      const [event] = await events('client.add-certificate', clientId);
      expect(event!.after).toMatchObject({ thumbprint });

      await expectDomainError(() => h.clients.addCertificate(clientId, made.certificatePem, actor), ConflictError, 'certificate_exists', `certificate ${thumbprint} is already registered on client ${clientId}`);
      expect(await count('client_certificate', 'client_id = $1', [clientId])).toBe(1);

      // Removal by a thumbprint as admins paste it: lowercase, with colons.
      const removed = await h.clients.removeCertificate(clientId, thumbprint.toLowerCase().match(/.{2}/g)!.join(':'), actor);
      expect(removed.certificates).toEqual([]);
      expect(h.directory.client(clientId)!.certificates).toEqual([]);
      expect(await count('client_certificate', 'client_id = $1', [clientId])).toBe(0);
    });

    it('accepts an EC P-256 certificate', async () => {
      const { registration } = await h.clients.create({ displayName: 'ec-client', withSecret: false }, actor);
      const made = openssl.selfSigned({ cn: 'ec', keyAlgorithm: 'ec' });
      const updated = await h.clients.addCertificate(registration.client.clientId, made.certificatePem, actor);
      expect(updated.certificates.map((c) => c.thumbprint)).toEqual([openssl.sha1Thumbprint(made.certFile)]);
    });

    it('refuses a 1024-bit RSA key, an expired certificate and garbage, storing nothing', async () => {
      const { registration } = await h.clients.create({ displayName: 'picky', withSecret: false }, actor);
      const clientId = registration.client.clientId;
      const weak = openssl.selfSigned({ cn: 'weak', keyAlgorithm: 'rsa:1024' });
      const error = await expectDomainError(() => h.clients.addCertificate(clientId, weak.certificatePem, actor), InvalidInputError, 'unsupported_key_type', 'certificate: the key must be RSA (at least 2048 bits) or EC P-256');
      expect(error.details).toEqual([{ field: 'certificate', message: 'unsupported key' }]);

      const shortLived = openssl.selfSigned({ cn: 'short', days: 1 });
      const notAfter = new Date(new X509Certificate(shortLived.certificatePem).validTo);
      const now = clock.now();
      try {
        clock.set(new Date(notAfter.getTime() + MINUTE));
        await expectDomainError(() => h.clients.addCertificate(clientId, shortLived.certificatePem, actor), InvalidInputError, 'certificate_expired', `certificate: expired on ${notAfter.toISOString()}`);
        // Exactly at notAfter it is expired too.
        clock.set(notAfter);
        await expectDomainError(() => h.clients.addCertificate(clientId, shortLived.certificatePem, actor), InvalidInputError, 'certificate_expired');
      } finally {
        clock.set(now);
      }

      await expectDomainError(() => h.clients.addCertificate(clientId, 'not-a-certificate', actor), InvalidInputError, 'invalid_certificate', 'certificate: expected PEM text or the base64 of a DER certificate');
      await expectDomainError(() => h.clients.addCertificate(clientId, Buffer.from('not a certificate').toString('base64'), actor), InvalidInputError, 'invalid_certificate', 'certificate: certificate 1 is not a valid X.509 certificate');
      await expectDomainError(() => h.clients.addCertificate(clientId, weak.privateKeyPem, actor), InvalidInputError, 'invalid_certificate', /^certificate: expected PEM CERTIFICATE blocks only/);
      expect(await count('client_certificate', 'client_id = $1', [clientId])).toBe(0);
      expect(await events('client.add-certificate', clientId)).toEqual([]);
    });
  });

  describe('grants', () => {
    async function resourceWithRoles(name: string) {
      return h.resources.create(
        {
          appIdUri: uniqueUri(name),
          roles: [{ value: 'Files.Read.All' }, { value: 'User.Only', allowedMemberTypes: ['User'] }, { value: 'Both', allowedMemberTypes: ['User', 'Application'] }],
          scopes: [{ value: 'user_impersonation' }],
        },
        actor,
      );
    }

    it('grants only defined roles open to applications, refuses duplicates, and revokes', async () => {
      const resource = await resourceWithRoles('grants');
      const { registration } = await h.clients.create({ displayName: 'granted' }, actor);
      const clientId = registration.client.clientId;

      const granted = await h.clients.grantRole(clientId, resource.appIdUri.toUpperCase(), 'Files.Read.All', actor);
      expect(granted.roleGrants).toEqual([{ clientId, resourceId: resource.id, role: 'Files.Read.All', createdAt: clock.now() }]);
      expect([...(h.directory.client(clientId)!.roles.get(resource.id) ?? [])]).toEqual(['Files.Read.All']);
      await h.clients.grantRole(clientId, resource.id, 'Both', actor);
      expect([...(h.directory.client(clientId)!.roles.get(resource.id) ?? [])].sort()).toEqual(['Both', 'Files.Read.All']);
      const [event] = await events('client.grant-role', clientId);
      expect(event!.after).toEqual({ resource: resource.appIdUri, role: expect.any(String) });

      const userOnly = await expectDomainError(() => h.clients.grantRole(clientId, resource.id, 'User.Only', actor), InvalidInputError, 'validation_failed', `role: role User.Only of ${resource.appIdUri} is for users only (allowedMemberTypes: User)`);
      expect(userOnly.details).toEqual([{ field: 'role', message: `role User.Only of ${resource.appIdUri} is for users only (allowedMemberTypes: User)` }]);
      await expectDomainError(() => h.clients.grantRole(clientId, resource.id, 'files.read.all', actor), InvalidInputError, 'validation_failed', `role: resource ${resource.appIdUri} defines no role files.read.all`);
      await expectDomainError(() => h.clients.grantRole(clientId, resource.id, 'Files.Read.All', actor), ConflictError, 'grant_exists', `role Files.Read.All of ${resource.appIdUri} is already granted to client ${clientId}`);
      await expectDomainError(() => h.clients.grantRole(clientId, 'api://no-such-resource', 'Files.Read.All', actor), NotFoundError, 'not_found', 'no resource api://no-such-resource');
      expect(await count('client_role_grant', 'client_id = $1', [clientId])).toBe(2);

      const revoked = await h.clients.revokeRole(clientId, resource.appIdUri, 'Files.Read.All', actor);
      expect(revoked.roleGrants.map((g) => g.role)).toEqual(['Both']);
      expect([...(h.directory.client(clientId)!.roles.get(resource.id) ?? [])]).toEqual(['Both']);
      expect(await events('client.revoke-role', clientId)).toHaveLength(1);
      await expectDomainError(() => h.clients.revokeRole(clientId, resource.appIdUri, 'Files.Read.All', actor), NotFoundError, 'not_found', `role Files.Read.All of ${resource.appIdUri} is not granted to client ${clientId}`);
    });

    it('refuses to drop a role or scope from a resource while it is granted, until the grant is revoked', async () => {
      const resource = await resourceWithRoles('guarded');
      const { registration } = await h.clients.create({ displayName: 'holder' }, actor);
      const clientId = registration.client.clientId;
      await h.clients.grantRole(clientId, resource.id, 'Files.Read.All', actor);
      await h.clients.grantScope(clientId, resource.id, 'user_impersonation', actor);

      await expectDomainError(
        () => h.resources.update(resource.id, { roles: [{ value: 'Both', allowedMemberTypes: ['User', 'Application'] }] }, actor),
        ConflictError,
        'grant_exists',
        `role Files.Read.All is granted to client ${clientId} as an application role; revoke the grant first`,
      );
      await expectDomainError(() => h.resources.update(resource.id, { scopes: [] }, actor), ConflictError, 'grant_exists', `scope user_impersonation is granted to client ${clientId}; revoke the grant first`);
      const [row] = await rows<{ roles: { value: string }[]; scopes: { value: string }[] }>('SELECT roles, scopes FROM resource WHERE id = $1', [resource.id]);
      expect(row!.roles.map((r) => r.value)).toEqual(['Files.Read.All', 'User.Only', 'Both']);
      expect(row!.scopes.map((s) => s.value)).toEqual(['user_impersonation']);
      expect(await events('resource.update', resource.id)).toEqual([]);

      await h.clients.revokeRole(clientId, resource.id, 'Files.Read.All', actor);
      const updated = await h.resources.update(resource.id, { roles: [{ value: 'Both', allowedMemberTypes: ['User', 'Application'] }] }, actor);
      expect(updated.roles.map((r) => r.value)).toEqual(['Both']);
      expect(h.directory.resourceById(resource.id)?.roles.map((r) => r.value)).toEqual(['Both']);
    });

    it('refuses to make a role granted to a client user-only (the grant would no longer be allowed)', async () => {
      const resource = await resourceWithRoles('narrowed');
      const { registration } = await h.clients.create({ displayName: 'app-holder' }, actor);
      const clientId = registration.client.clientId;
      await h.clients.grantRole(clientId, resource.id, 'Both', actor);
      const roles = resource.roles.map((role) => (role.value === 'Both' ? { value: 'Both', allowedMemberTypes: ['User'] } : role));
      await expectDomainError(() => h.resources.update(resource.id, { roles }, actor), ConflictError, 'grant_exists');
      const [row] = await rows<{ roles: { value: string; allowedMemberTypes: string[] }[] }>('SELECT roles FROM resource WHERE id = $1', [resource.id]);
      expect(row!.roles.find((role) => role.value === 'Both')?.allowedMemberTypes).toEqual(['User', 'Application']);
    });

    it('removes every grant on a resource when the resource is removed', async () => {
      const resource = await resourceWithRoles('doomed');
      const other = await resourceWithRoles('kept');
      const { registration } = await h.clients.create({ displayName: 'grantee' }, actor);
      const clientId = registration.client.clientId;
      await h.clients.grantRole(clientId, resource.id, 'Files.Read.All', actor);
      await h.clients.grantScope(clientId, resource.id, 'user_impersonation', actor);
      await h.clients.grantRole(clientId, other.id, 'Files.Read.All', actor);

      await h.resources.remove(resource.id, actor);
      expect(await count('client_role_grant', 'resource_id = $1', [resource.id])).toBe(0);
      expect(await count('client_scope_grant', 'resource_id = $1', [resource.id])).toBe(0);
      expect(await count('client_role_grant', 'resource_id = $1', [other.id])).toBe(1);
      const cached = h.directory.client(clientId)!;
      expect(cached.roles.has(resource.id)).toBe(false);
      expect(cached.scopes.has(resource.id)).toBe(false);
      expect([...(cached.roles.get(other.id) ?? [])]).toEqual(['Files.Read.All']);
      expect((await h.clients.get(clientId)).roleGrants.map((g) => g.resourceId)).toEqual([other.id]);
    });
  });

  it('removes a client with its secrets, certificates and grants, and forgets it in the directory', async () => {
    const resource = await h.resources.create({ appIdUri: uniqueUri('api'), roles: [{ value: 'Files.Read.All' }], scopes: [{ value: 'read' }] }, actor);
    const { registration } = await h.clients.create({ displayName: 'leaving' }, actor);
    const clientId = registration.client.clientId;
    await h.clients.addSecret(clientId, {}, actor);
    await h.clients.addCertificate(clientId, openssl.selfSigned({ cn: 'leaving' }).certificatePem, actor);
    await h.clients.grantRole(clientId, resource.id, 'Files.Read.All', actor);
    await h.clients.grantScope(clientId, resource.id, 'read', actor);
    const owned = await h.resources.create({ appIdUri: uniqueUri('owned'), clientId }, actor);
    expect(h.directory.client(clientId)).toBeDefined();

    const removed = await h.clients.remove(clientId.toUpperCase(), actor);
    expect(removed.client.clientId).toBe(clientId);
    for (const table of ['client', 'client_secret', 'client_certificate', 'client_role_grant', 'client_scope_grant']) {
      expect({ table, rows: await count(table, 'client_id = $1', [clientId]) }).toEqual({ table, rows: 0 });
    }
    expect(h.directory.client(clientId)).toBeUndefined();
    // A resource that named the client as its own keeps existing, without the link.
    expect((await h.resources.get(owned.id)).clientId).toBeNull();
    const [event] = await events('client.remove', clientId);
    expect(event!.before).toMatchObject({ displayName: 'leaving' });
    await expectDomainError(() => h.clients.get(clientId), NotFoundError, 'not_found', `no client ${clientId}`);
  });

  it('the directory reflects each change as soon as the service call returns (no polling wait)', async () => {
    const resource = await h.resources.create({ appIdUri: uniqueUri('live'), roles: [{ value: 'Files.Read.All' }], scopes: [{ value: 'read' }] }, actor);
    expect(h.directory.resourceByAppIdUri(resource.appIdUri)?.id).toBe(resource.id);
    const { registration, issued } = await h.clients.create({ displayName: 'live' }, actor);
    const clientId = registration.client.clientId;
    expect(h.directory.client(clientId)?.client.enabled).toBe(true);

    await h.clients.update(clientId, { enabled: false }, actor);
    expect(h.directory.client(clientId)?.client.enabled).toBe(false);
    clock.advance(1000); // the audit log lists newest first
    await h.clients.update(clientId, { enabled: true, allowTokenEndpointAudience: true, actAsUsers: true }, actor);
    expect(h.directory.client(clientId)?.client).toMatchObject({ enabled: true, allowTokenEndpointAudience: true, actAsUsers: true });

    await h.clients.grantRole(clientId, resource.id, 'Files.Read.All', actor);
    expect(h.directory.client(clientId)?.roles.get(resource.id)?.has('Files.Read.All')).toBe(true);
    await h.clients.grantScope(clientId, resource.id, 'read', actor);
    expect(h.directory.client(clientId)?.scopes.get(resource.id)?.has('read')).toBe(true);

    await h.clients.removeSecret(clientId, issued!.secret.id, actor);
    expect(h.directory.client(clientId)?.secrets).toEqual([]);

    await h.clients.revokeScope(clientId, resource.id, 'read', actor);
    expect(h.directory.client(clientId)?.scopes.has(resource.id)).toBe(false);

    const [latest, first] = await events('client.update', clientId);
    expect(first).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    expect(latest).toMatchObject({ before: { enabled: false }, after: { enabled: true, allowTokenEndpointAudience: true, actAsUsers: true } });
  });

  it('keeps the newest state when two changes reload the directory concurrently and the older reload finishes last', async () => {
    const { registration } = await h.clients.create({ displayName: 'raced' }, actor);
    const clientId = registration.client.clientId;
    const repository = h.module.get(ClientRepository);
    const original = repository.listRegistrations;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    let firstReadDone!: () => void;
    const firstRead = new Promise<void>((resolve) => (firstReadDone = resolve));
    // The first reload reads the registry, then is slow to finish (a slow query, a busy event loop).
    repository.listRegistrations = async function (this: ClientRepository) {
      const result = await original.call(this);
      if (++calls === 1) {
        firstReadDone();
        await gate;
      }
      return result;
    };
    try {
      const rename = h.clients.update(clientId, { displayName: 'raced, renamed' }, actor);
      await firstRead;
      // A second change commits and reloads while the first reload is still under way.
      await h.clients.update(clientId, { enabled: false }, actor);
      expect(h.directory.client(clientId)?.client.enabled).toBe(false);
      release();
      await rename;
    } finally {
      release();
      repository.listRegistrations = original;
    }
    expect((await h.clients.get(clientId)).client.enabled).toBe(false);
    // Give the change feed's 1 s poll time to repair the cache, if it would.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(h.directory.client(clientId)?.client.enabled).toBe(false);
  });
});
