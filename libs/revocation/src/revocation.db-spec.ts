import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { AuditLogService, AuditModule } from '@s2s/audit';
import { ClientService, credentialIdOf } from '@s2s/clients';
import { AppConfig, AppConfigModule, MasterKey } from '@s2s/config';
import { type AdminActor, CoreModule, FrozenClock } from '@s2s/core';
import { OAuthConfigurationModule, OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OperationsModule } from '@s2s/operations';
import { PersistenceModule } from '@s2s/persistence';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '@s2s/testing';
import { DataSource } from 'typeorm';
import { RevocationModule } from './revocation.module.js';
import { RevocationState } from './revocation.state.js';
import { TokenRevocationService } from './token-revocation.service.js';
import { TokenStanding } from './token.standing.js';

const REALM = 'contoso.com';
const ISSUER = 'https://s2s.contoso.com';
const MINUTE = 60_000;

/**
 * Revocation over the real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): what
 * {@link TokenStanding} decides for each reason, from the in-memory state the writes refresh, and
 * the purge that keeps the revoked ids bounded by the tokens alive.
 */
describe.each(testDatabaseKinds())('revocation on %s', (kind) => {
  const actor: AdminActor = { keyId: null, name: 'tester', requestId: 'req-1' };
  let database: TestDatabase;
  let clock: FrozenClock;
  let module: TestingModule;
  let clients: ClientService;
  let revocations: TokenRevocationService;
  let state: RevocationState;
  let standing: TokenStanding;
  let dataSource: DataSource;

  const seconds = (): number => Math.floor(clock.now().getTime() / 1000);
  /** The claims of one of our tokens, issued now to `clientId` with credential `cred`. */
  const claims = (clientId: string, cred: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: ISSUER,
    client_id: clientId,
    cred,
    jti: randomUUID(),
    iat: seconds(),
    nbf: seconds(),
    exp: seconds() + 3600,
    ...extra,
  });
  const reason = (kind: 'self' | 'partner' | 'oauth-server', id: string, token: Record<string, unknown>): string =>
    standing.refusal(kind, id, token, clock.now())?.reason ?? 'stands';

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    clock = new FrozenClock(new Date('2026-12-06T10:00:00.250Z'));
    const config = Object.assign(new AppConfig(), { publicUrl: ISSUER, authBackoff: { clientFailures: 5, addressFailures: 20 } });
    module = await Test.createTestingModule({
      imports: [
        CoreModule.forRoot(clock),
        AppConfigModule.forRoot(config, new MasterKey(randomBytes(32))),
        PersistenceModule.forRoot(database.url ? { kind: 'postgres', url: database.url } : { kind: 'pglite', directory: null }),
        OperationsModule,
        AuditModule,
        OAuthConfigurationModule,
        RevocationModule,
      ],
    }).compile();
    module.useLogger(false);
    const configuration = module.get(OAuthConfigurationService);
    await configuration.ensureInitialized();
    await module.init();
    await configuration.update({ realm: REALM }, { force: false }, actor);
    clients = module.get(ClientService);
    revocations = module.get(TokenRevocationService);
    state = module.get(RevocationState);
    standing = module.get(TokenStanding);
    dataSource = module.get(DataSource);
  });

  afterAll(async () => {
    await module?.close();
    await database?.drop();
  });

  it('a token follows its client and the credential that obtained it', async () => {
    const { registration, issued } = await clients.create({ displayName: 'daemon', withSecret: true }, actor);
    const clientId = registration.client.clientId;
    const first = credentialIdOf('secret', issued!.secret.id);
    const second = await clients.addSecret(clientId, { expiresAt: new Date(clock.now().getTime() + 10 * MINUTE) }, actor);
    const secondCred = credentialIdOf('secret', second.secret.id);
    const fromFirst = claims(clientId, first);
    const fromSecond = claims(clientId, secondCred);
    expect([reason('self', ISSUER, fromFirst), reason('self', ISSUER, fromSecond)]).toEqual(['stands', 'stands']);

    await clients.update(clientId, { enabled: false }, actor);
    expect(reason('self', ISSUER, fromFirst)).toBe('client_disabled');
    await clients.update(clientId, { enabled: true }, actor);
    expect(reason('self', ISSUER, fromFirst)).toBe('stands');

    await clients.removeSecret(clientId, issued!.secret.id, actor);
    expect([reason('self', ISSUER, fromFirst), reason('self', ISSUER, fromSecond)]).toEqual(['credential_revoked', 'stands']);
    // A credential id that never existed is refused the same way; a token without cred follows its client only.
    expect(reason('self', ISSUER, claims(clientId, 'AAAAAAAAAAAAAAAA'))).toBe('credential_revoked');
    expect(reason('self', ISSUER, claims(clientId, secondCred, { cred: undefined }))).toBe('stands');

    clock.advance(10 * MINUTE);
    expect(reason('self', ISSUER, fromSecond)).toBe('credential_expired');

    await clients.remove(clientId, actor);
    expect(reason('self', ISSUER, fromSecond)).toBe('client_removed');
  });

  it('revokes a jti everywhere this state is loaded, keeps it until the token expires, then purges it from memory and table', async () => {
    const { registration, issued } = await clients.create({ displayName: 'revoked', withSecret: true }, actor);
    const token = claims(registration.client.clientId, credentialIdOf('secret', issued!.secret.id), { exp: seconds() + 60 });
    const expiresAt = new Date((token.exp as number) * 1000);
    const first = await revocations.revokeToken(token.jti as string, expiresAt, actor);
    expect(first).toEqual({ jti: token.jti, expiresAt, revoked: true });
    expect(reason('self', ISSUER, token)).toBe('token_revoked');
    // Again: nothing changes, nothing audited twice.
    expect((await revocations.revokeToken(token.jti as string, expiresAt, actor)).revoked).toBe(false);
    const events = (await module.get(AuditLogService).list({ action: 'token.revoke', targetId: token.jti as string })).items;
    expect(events).toHaveLength(1);

    // A fresh state (another instance) loads it from the table.
    await state.reload();
    expect(state.isRevoked(token.jti as string)).toBe(true);
    const before = state.revokedCount();

    clock.advance(30_000);
    expect(await state.purge()).toBe(0);
    expect(state.isRevoked(token.jti as string)).toBe(true);
    clock.advance(31_000);
    expect(await state.purge()).toBe(1);
    expect(state.isRevoked(token.jti as string)).toBe(false);
    expect(state.revokedCount()).toBe(before - 1);
    const rows = (await dataSource.query('SELECT count(*)::int AS n FROM revoked_token WHERE jti = $1', [token.jti])) as { n: number }[];
    expect(rows[0]!.n).toBe(0);
    await state.reload();
    expect(state.isRevoked(token.jti as string)).toBe(false);
  });

  it('not-before marks refuse earlier tokens of a client, partner or OAuth server (iat, else nbf), rounded up to the second', async () => {
    const { registration, issued } = await clients.create({ displayName: 'marked', withSecret: true }, actor);
    const clientId = registration.client.clientId;
    const cred = credentialIdOf('secret', issued!.secret.id);
    const earlier = claims(clientId, cred);
    const partnerToken = { iss: 'conf@contoso.com', nbf: String(seconds()), exp: String(seconds() + 3600) };
    const serverToken = { iss: 'https://idp.contoso.com', iat: seconds(), exp: seconds() + 3600 };
    clock.advance(1000);
    const mark = await revocations.revokeTokensBefore('client', clientId, actor);
    await revocations.revokeTokensBefore('partner', 'conferencing', actor);
    await revocations.revokeTokensBefore('oauth-server', 'entra', actor);
    expect(mark).toEqual({ subjectType: 'client', subjectId: clientId, notBefore: clock.now() });
    expect(reason('self', ISSUER, earlier)).toBe('revoked_by_not_before');
    expect(reason('partner', 'conferencing', partnerToken)).toBe('revoked_by_not_before');
    expect(reason('oauth-server', 'entra', serverToken)).toBe('revoked_by_not_before');
    // Others are untouched.
    expect(reason('partner', 'exchange', partnerToken)).toBe('stands');
    // The clock is at .250 s: a token issued in this same second is refused too, one from the next second stands.
    expect(reason('self', ISSUER, claims(clientId, cred))).toBe('revoked_by_not_before');
    clock.advance(750);
    expect(reason('self', ISSUER, claims(clientId, cred))).toBe('stands');
    expect(reason('partner', 'conferencing', { ...partnerToken, nbf: String(seconds()) })).toBe('stands');
    const audited = (await module.get(AuditLogService).list({ action: 'client.revoke-tokens', targetId: clientId })).items;
    expect(audited).toHaveLength(1);
    expect(audited[0]!.after).toEqual({ notBefore: mark.notBefore.toISOString() });
  });
});
