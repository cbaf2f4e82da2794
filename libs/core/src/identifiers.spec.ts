import { hostAuthorityProblem, isRealm, realmProblem } from './identifiers.js';

describe('realm rules', () => {
  it.each(['contoso.com', 'a', 'sub.contoso-lab.net', '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f'])('accepts %s', (realm) => {
    expect(isRealm(realm)).toBe(true);
    expect(realmProblem(realm)).toBeNull();
  });
  it.each([
    ['Contoso.com', 'must be lowercase'],
    ['2E8FE2CA-8B21-4D1A-9C7E-7F2B3C4D5E6F', 'must be lowercase'],
    ['contoso..com', 'must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID'],
    ['-contoso.com', 'must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID'],
    ['contoso.com/x', 'must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID'],
    ['', 'must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID'],
    [`${'a'.repeat(64)}.com`, 'must be a lowercase DNS name (e.g. contoso.com) or a lowercase GUID'],
  ])('rejects %s: %s', (realm, problem) => {
    expect(realmProblem(realm)).toBe(problem);
  });
});

describe('host authority rules', () => {
  it.each(['s2s.contoso.com', 's2s.contoso.com:8443', '10.0.0.5:443', 'localhost'])('accepts %s', (host) => {
    expect(hostAuthorityProblem(host)).toBeNull();
  });
  it.each([
    ['S2S.contoso.com', 'must be lowercase'],
    ['s2s.contoso.com:99999', 'has a port outside 1-65535'],
    ['https://s2s.contoso.com', 'must be a host name with an optional :port'],
    ['a b', 'must be a host name with an optional :port'],
  ])('rejects %s', (host, problem) => {
    expect(hostAuthorityProblem(host)).toBe(problem);
  });
});
