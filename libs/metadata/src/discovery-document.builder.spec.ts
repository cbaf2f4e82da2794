import { buildDiscoveryDocument, CLIENT_ASSERTION_ALGORITHMS, CLIENT_AUTH_METHODS } from './discovery-document.builder.js';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const ASSERTION_ALGORITHMS = ['RS256', 'PS256', 'ES256'];

describe('buildDiscoveryDocument', () => {
  it('builds the RFC 8414 document under PUBLIC_URL', () => {
    expect(buildDiscoveryDocument('https://s2s.contoso.com')).toEqual({
      issuer: 'https://s2s.contoso.com',
      token_endpoint: 'https://s2s.contoso.com/oauth2/token',
      jwks_uri: 'https://s2s.contoso.com/.well-known/jwks.json',
      introspection_endpoint: 'https://s2s.contoso.com/oauth2/introspect',
      grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: AUTH_METHODS,
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      introspection_endpoint_auth_methods_supported: AUTH_METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      revocation_endpoint: 'https://s2s.contoso.com/oauth2/revoke',
      revocation_endpoint_auth_methods_supported: AUTH_METHODS,
      revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      service_documentation: 'https://s2s.contoso.com/docs',
    });
  });

  it.each(['https://s2s.contoso.com:8443/', 'https://s2s.contoso.com:8443//'])('drops the trailing slashes of %s from the issuer and every URL', (publicUrl) => {
    const document = buildDiscoveryDocument(publicUrl);
    expect(document.issuer).toBe('https://s2s.contoso.com:8443');
    expect(document.token_endpoint).toBe('https://s2s.contoso.com:8443/oauth2/token');
    expect(document.jwks_uri).toBe('https://s2s.contoso.com:8443/.well-known/jwks.json');
    expect(document.introspection_endpoint).toBe('https://s2s.contoso.com:8443/oauth2/introspect');
    expect(document.revocation_endpoint).toBe('https://s2s.contoso.com:8443/oauth2/revoke');
  });

  it('keeps a base path', () => {
    const document = buildDiscoveryDocument('https://contoso.com/s2s/');
    expect(document.issuer).toBe('https://contoso.com/s2s');
    expect(document.jwks_uri).toBe('https://contoso.com/s2s/.well-known/jwks.json');
  });

  it('returns fresh arrays, so one response cannot alter the constants', () => {
    const first = buildDiscoveryDocument('https://s2s.contoso.com');
    (first.token_endpoint_auth_methods_supported as string[]).push('none');
    (first.token_endpoint_auth_signing_alg_values_supported as string[]).push('none');
    expect([...CLIENT_AUTH_METHODS]).toEqual(AUTH_METHODS);
    expect([...CLIENT_ASSERTION_ALGORITHMS]).toEqual(ASSERTION_ALGORITHMS);
    expect(buildDiscoveryDocument('https://s2s.contoso.com').token_endpoint_auth_methods_supported).toEqual(AUTH_METHODS);
  });
});
