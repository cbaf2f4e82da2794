// oidc-provider (npm, the `oidc-provider` dev dependency) as the peer of `npm run bench:compare`:
// one Node process, plain HTTP on 127.0.0.1, a client_credentials client with client_secret_basic,
// JWT access tokens for `urn:bench:jwt` (RS256, as s2s-trust signs) and opaque ones for
// `urn:bench:opaque` (what its introspection looks up), introspection enabled for that client.
// Prints one line `{"url": ...}` when listening. Run by bench/compare.bench.mjs, not by hand.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT ?? 0);
const clientId = process.env.OP_CLIENT_ID ?? 'bench';
const clientSecret = process.env.OP_CLIENT_SECRET ?? 'bench-secret';
const server = createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;
const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'bench-1', alg: 'RS256', use: 'sig' };
const provider = new Provider(url, {
  clients: [{ client_id: clientId, client_secret: clientSecret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_basic' }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async () => true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:bench:jwt',
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'api.read',
        audience: resource,
        accessTokenFormat: resource === 'urn:bench:opaque' ? 'opaque' : 'jwt',
        ...(resource === 'urn:bench:opaque' ? {} : { jwt: { sign: { alg: 'RS256' } } }),
      }),
    },
  },
  extraTokenClaims: async () => ({ roles: ['Bench.Read'] }),
});
// No per-request console output: the bench measures the provider, not its logging.
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider server_error: ${error.message}\n`));
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
