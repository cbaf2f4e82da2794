import { buildActorTokenClaims, buildOuterTokenClaims, MAX_ACTOR_TOKEN_SECONDS, s2sAudience } from './s2s-token.claims.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const NBF = Math.floor(NOW.getTime() / 1000);
const EXCHANGE = { principalId: '00000002-0000-0FF1-CE00-000000000000', hostAuthority: 'Mail.Contoso.com', realm: 'Contoso.com' };

describe('S2S actor and outer token claims (SPEC 4.1)', () => {
  it('builds an app-only actor token, all lowercase, without trustedfordelegation', () => {
    expect(
      buildActorTokenClaims({ serviceName: 'a1b2c3d4-0000-0000-0000-000000000001', clientPrincipalId: 'C0FFEE00-0000-0000-0000-000000000002', audience: EXCHANGE, now: NOW, lifetimeSeconds: 3600, delegation: false }),
    ).toEqual({
      aud: '00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@contoso.com',
      iss: 'a1b2c3d4-0000-0000-0000-000000000001@contoso.com',
      nameid: 'c0ffee00-0000-0000-0000-000000000002@contoso.com',
      nbf: NBF,
      exp: NBF + 3600,
    });
  });

  it('marks delegation and caps the lifetime at 24 h', () => {
    const claims = buildActorTokenClaims({ serviceName: 's', clientPrincipalId: 'c', audience: EXCHANGE, now: NOW, lifetimeSeconds: 10 * 86_400, delegation: true });
    expect(claims.trustedfordelegation).toBe('true');
    expect(claims.exp).toBe(NBF + MAX_ACTOR_TOKEN_SECONDS);
  });

  it('wraps the actor token in an outer token whose iss is the actor nameid and aud the actor aud', () => {
    const actorClaims = buildActorTokenClaims({ serviceName: 's', clientPrincipalId: 'c', audience: EXCHANGE, now: NOW, lifetimeSeconds: 3600, delegation: true });
    const outer = buildOuterTokenClaims({
      actorToken: 'header.payload.signature',
      actorClaims,
      user: { nameid: 's-1-5-21-1-2-3-1001', nii: 'urn:office:idp:activedirectory', upn: 'alice@contoso.com', smtp: 'alice@contoso.com' },
      now: NOW,
      lifetimeSeconds: 300,
    });
    expect(outer).toEqual({
      aud: actorClaims.aud,
      iss: 'c@contoso.com',
      nbf: NBF,
      exp: NBF + 300,
      actortoken: 'header.payload.signature',
      nameid: 's-1-5-21-1-2-3-1001',
      nii: 'urn:office:idp:activedirectory',
      upn: 'alice@contoso.com',
      smtp: 'alice@contoso.com',
    });
  });

  it('never lets the outer token outlive its actor token, whose exp may be a decimal string (a broker\'s token)', () => {
    const user = { nameid: 'alice@contoso.com', nii: 'urn:federation:microsoftonline', upn: 'alice@contoso.com' };
    const wrap = (actorClaims: Record<string, unknown>) => buildOuterTokenClaims({ actorToken: 'h.p.s', actorClaims, user, now: NOW, lifetimeSeconds: 300 }).exp;
    expect(wrap({ aud: 'a', nameid: 'n', exp: NBF + 120 })).toBe(NBF + 120);
    expect(wrap({ aud: 'a', nameid: 'n', exp: String(NBF + 90) })).toBe(NBF + 90);
    expect(wrap({ aud: 'a', nameid: 'n', exp: NBF + 3600 })).toBe(NBF + 300);
    expect(wrap({ aud: 'a', nameid: 'n', exp: 'soon' })).toBe(NBF + 300);
  });

  it('formats the audience as <principal>/<host>@<realm>', () => {
    expect(s2sAudience({ principalId: 'P', hostAuthority: 'H:443', realm: 'R' })).toBe('p/h:443@r');
  });
});
