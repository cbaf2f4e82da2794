import { httpRequest, type ServerProcess } from './server-process.js';

/** One admin API call (`path` below `/admin/v1`): the JSON answer; throws, naming the call, on a status of 300 or more. */
export type AdminApi = (method: string, path: string, body?: unknown) => Promise<any>;

/** A client as `POST /admin/v1/clients` creates it with a secret. */
export interface CreatedClient {
  clientId: string;
  clientSecret: string;
}

/** The admin API of `server` over HTTPS (trusting `ca`), authenticated with `adminKey`. */
export function adminApi(server: ServerProcess, ca: Buffer, adminKey: string): AdminApi {
  return async (method, path, body) => {
    const response = await httpRequest(`${server.url}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca,
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.json();
  };
}

/**
 * Makes the server able to issue tokens for `realm`: sets the realm, makes a self-signed token
 * signing certificate for it and assigns it to the OAuth token issuer. Returns that certificate.
 */
export async function configureTokenIssuer(admin: AdminApi, realm = 'contoso.com'): Promise<{ thumbprint: string }> {
  await admin('PUT', '/oauth-configuration', { realm });
  const certificate = await admin('POST', '/certificates/self-signed', { realms: [realm] });
  await admin('PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: certificate.thumbprint });
  return certificate;
}

/** A new client with a secret, granted the app role `role` of the resource `appIdUri`. */
export async function clientWithRole(admin: AdminApi, displayName: string, appIdUri: string, role: string): Promise<CreatedClient> {
  const client: CreatedClient = await admin('POST', '/clients', { displayName });
  await admin('POST', `/clients/${client.clientId}/role-grants`, { resource: appIdUri, role });
  return client;
}
