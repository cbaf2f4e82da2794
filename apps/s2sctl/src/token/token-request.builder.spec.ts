import { UsageError } from '../common/cli-errors.js';
import { buildTokenRequestForm, clientAuthenticationKind, type TokenGetOptions } from './token-request.builder.js';

const CLIENT = '6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('clientAuthenticationKind', () => {
  it('is a secret unless --cert/--key are given', () => {
    expect(clientAuthenticationKind({ client: CLIENT, resource: 'api://webapi' })).toBe('secret');
    expect(clientAuthenticationKind({ client: CLIENT, scope: 'api://webapi/.default', secretFile: 's' })).toBe('secret');
    expect(clientAuthenticationKind({ client: CLIENT, resource: 'api://webapi', cert: 'c.pem', key: 'k.pem' })).toBe('certificate');
  });

  it.each<[Omit<TokenGetOptions, 'client'>, string]>([
    [{}, 'give --resource <app-id-uri> or --scope <scope>: what the token is for'],
    [{ resource: 'r', secretFile: 's', cert: 'c', key: 'k' }, 'use either a client secret (--secret-file, stdin or a prompt) or --cert with --key, not both'],
    [{ resource: 'r', secretFile: 's', key: 'k' }, 'use either a client secret (--secret-file, stdin or a prompt) or --cert with --key, not both'],
    [{ resource: 'r', cert: 'c' }, '--cert needs --key: the private key that signs the client assertion'],
    [{ resource: 'r', key: 'k' }, '--key needs --cert: the certificate registered on the client'],
  ])('refuses %j', (options, message) => {
    expect(() => clientAuthenticationKind({ client: CLIENT, ...options })).toThrow(new UsageError(message));
  });
});

describe('buildTokenRequestForm', () => {
  it('client credentials for a resource, with no client id or secret in the body (they go in the Basic header)', () => {
    expect(buildTokenRequestForm({ client: CLIENT, resource: 'api://webapi', secretFile: 'x' }).toString()).toBe('grant_type=client_credentials&resource=api%3A%2F%2Fwebapi');
  });

  it('scope instead of resource, and both when both are given', () => {
    expect([...buildTokenRequestForm({ client: CLIENT, scope: 'api://webapi/.default' })]).toEqual([
      ['grant_type', 'client_credentials'],
      ['scope', 'api://webapi/.default'],
    ]);
    expect([...buildTokenRequestForm({ client: CLIENT, resource: 'r', scope: 's' })]).toEqual([
      ['grant_type', 'client_credentials'],
      ['resource', 'r'],
      ['scope', 's'],
    ]);
  });

  it('adds the user parameters that were given, by their own names', () => {
    const form = buildTokenRequestForm({ client: CLIENT, resource: 'r', upn: 'alice@contoso.com', sid: 'S-1-5-21-1-2-3-1001', smtp: 'alice@contoso.com', sip: 'sip:alice@contoso.com' });
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      resource: 'r',
      upn: 'alice@contoso.com',
      smtp: 'alice@contoso.com',
      sip: 'sip:alice@contoso.com',
      sid: 'S-1-5-21-1-2-3-1001',
    });
  });

  it('private_key_jwt: client_id, the RFC 7523 assertion type and the assertion', () => {
    expect(Object.fromEntries(buildTokenRequestForm({ client: CLIENT, resource: 'r', cert: 'c', key: 'k' }, 'h.p.s'))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'h.p.s',
      resource: 'r',
    });
  });
});
