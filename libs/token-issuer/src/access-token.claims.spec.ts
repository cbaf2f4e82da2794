import { type AccessTokenInput, buildAccessTokenClaims } from './access-token.claims.js';

/** 2026-11-22T12:00:00.750Z: sub-second part on purpose, NumericDates are whole seconds. */
const NOW = new Date('2026-11-22T12:00:00.750Z');
const NOW_SECONDS = Date.UTC(2026, 10, 22, 12, 0, 0) / 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const CLIENT_ID = '0b0f1e2d-3c4b-4a59-8877-665544332211';
const BASE: AccessTokenInput = {
  issuer: 'https://s2s.contoso.com',
  audience: 'api://webapi',
  clientId: CLIENT_ID,
  credentialId: 'q0Zk8Cq3nDq9Xw1E',
  realm: 'contoso.com',
  now: NOW,
  lifetimeSeconds: 3600,
};

describe('buildAccessTokenClaims (RFC 9068, SPEC 4.2)', () => {
  it('builds exactly the claim set of an app token', () => {
    const claims = buildAccessTokenClaims({ ...BASE, roles: ['Files.Read.All', 'Mail.Send'] });
    expect(claims).toEqual({
      iss: 'https://s2s.contoso.com',
      aud: 'api://webapi',
      sub: CLIENT_ID,
      client_id: CLIENT_ID,
      azp: CLIENT_ID,
      appid: CLIENT_ID,
      tid: 'contoso.com',
      idtyp: 'app',
      iat: NOW_SECONDS,
      nbf: NOW_SECONDS,
      exp: NOW_SECONDS + 3600,
      jti: expect.stringMatching(UUID),
      cred: 'q0Zk8Cq3nDq9Xw1E',
      roles: ['Files.Read.All', 'Mail.Send'],
    });
    expect(Object.keys(claims).sort()).toEqual(['appid', 'aud', 'azp', 'client_id', 'cred', 'exp', 'iat', 'idtyp', 'iss', 'jti', 'nbf', 'roles', 'sub', 'tid']);
  });

  it('has no roles key at all when no role is granted (not an empty array)', () => {
    for (const roles of [[], undefined]) {
      const claims = buildAccessTokenClaims({ ...BASE, roles });
      expect('roles' in claims).toBe(false);
      expect('scp' in claims).toBe(false);
      expect(claims.idtyp).toBe('app');
    }
  });

  it('builds exactly the claim set of a user (delegated) token: user sub and identifiers, space-joined scp, act kept', () => {
    const act = { sub: CLIENT_ID, act: { sub: 'first-tier-client' } };
    const claims = buildAccessTokenClaims({
      ...BASE,
      scopes: ['Files.Read', 'user_impersonation'],
      user: { sub: 'ada@contoso.com', upn: 'ada@contoso.com', smtp: 'ada.lovelace@contoso.com', sip: 'sip:ada@contoso.com', sid: 'S-1-5-21-1-2-3-1001' },
      act,
    });
    expect(claims).toEqual({
      iss: 'https://s2s.contoso.com',
      aud: 'api://webapi',
      sub: 'ada@contoso.com',
      client_id: CLIENT_ID,
      azp: CLIENT_ID,
      appid: CLIENT_ID,
      tid: 'contoso.com',
      idtyp: 'user',
      iat: NOW_SECONDS,
      nbf: NOW_SECONDS,
      exp: NOW_SECONDS + 3600,
      jti: expect.stringMatching(UUID),
      cred: 'q0Zk8Cq3nDq9Xw1E',
      scp: 'Files.Read user_impersonation',
      upn: 'ada@contoso.com',
      smtp: 'ada.lovelace@contoso.com',
      sip: 'sip:ada@contoso.com',
      sid: 'S-1-5-21-1-2-3-1001',
      act: { sub: CLIENT_ID, act: { sub: 'first-tier-client' } },
    });
  });

  it('copies only the user identifiers that were given', () => {
    const claims = buildAccessTokenClaims({ ...BASE, scopes: ['Files.Read'], user: { sub: 'S-1-5-21-1-2-3-1001', sid: 'S-1-5-21-1-2-3-1001' }, act: { sub: CLIENT_ID } });
    expect(Object.keys(claims).sort()).toEqual(['act', 'appid', 'aud', 'azp', 'client_id', 'cred', 'exp', 'iat', 'idtyp', 'iss', 'jti', 'nbf', 'scp', 'sid', 'sub', 'tid']);
    expect(claims.sub).toBe('S-1-5-21-1-2-3-1001');
    expect(claims.scp).toBe('Files.Read');
  });

  it('has no scp key when no scope is given', () => {
    const claims = buildAccessTokenClaims({ ...BASE, scopes: [], user: { sub: 'ada@contoso.com', upn: 'ada@contoso.com' } });
    expect('scp' in claims).toBe(false);
    expect(claims.idtyp).toBe('user');
  });

  it('uses whole seconds and the configured lifetime', () => {
    const claims = buildAccessTokenClaims({ ...BASE, lifetimeSeconds: 300 });
    expect(claims.iat).toBe(NOW_SECONDS);
    expect(Number.isInteger(claims.iat)).toBe(true);
    expect(claims.exp).toBe(NOW_SECONDS + 300);
  });

  it('gives every token its own jti', () => {
    const ids = new Set(Array.from({ length: 50 }, () => buildAccessTokenClaims(BASE).jti));
    expect(ids.size).toBe(50);
  });

  it('does not let a user object override the token identity claims', () => {
    const user = { sub: 'ada@contoso.com', upn: 'ada@contoso.com', iss: 'https://evil.example', aud: 'api://other', tid: 'fabrikam.com' } as AccessTokenInput['user'];
    const claims = buildAccessTokenClaims({ ...BASE, scopes: ['Files.Read'], user });
    expect(claims).toMatchObject({ iss: 'https://s2s.contoso.com', aud: 'api://webapi', tid: 'contoso.com' });
  });
});
