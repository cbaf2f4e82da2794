/** RFC 7523 2.1 grant type URN, used for on-behalf-of. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';
export const GRANT_TYPES = [CLIENT_CREDENTIALS_GRANT, JWT_BEARER_GRANT] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** An application registered to obtain tokens (SPEC 1 "Client"). */
export interface Client {
  /** Lowercase GUID. */
  clientId: string;
  displayName: string;
  /** The realm of its tokens (`tid`); must be named by the token-issuer certificate. */
  realm: string;
  enabled: boolean;
  /** May assert users (upn/smtp/sip/sid parameters): the MS act-as right. */
  actAsUsers: boolean;
  grantTypes: GrantType[];
  /** Legacy: accept the token endpoint URL as a client assertion `aud` (rfc7523bis allows only the issuer). */
  allowTokenEndpointAudience: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A generated client secret, stored only as a keyed hash. */
export interface ClientSecret {
  id: string;
  clientId: string;
  /** base64url HMAC-SHA-256 of the secret under a key derived from the master key. */
  secretHash: string;
  /** The last characters, so admins can tell secrets apart. */
  hint: string;
  description: string | null;
  createdAt: Date;
  expiresAt: Date | null;
}

/** A certificate whose key signs the client's `private_key_jwt` assertions. */
export interface ClientCertificate {
  clientId: string;
  thumbprint: string;
  thumbprintSha256: string;
  certificatePem: string;
  subject: string;
  notAfter: Date;
  createdAt: Date;
}

/** Admin consent: an app role of a resource granted to a client. */
export interface RoleGrant {
  clientId: string;
  resourceId: string;
  role: string;
  createdAt: Date;
}

/** Admin consent for a delegated scope of a resource (used for user and on-behalf-of tokens). */
export interface ScopeGrant {
  clientId: string;
  resourceId: string;
  scope: string;
  createdAt: Date;
}

/** A client with everything hanging off it. */
export interface ClientRegistration {
  client: Client;
  secrets: ClientSecret[];
  certificates: ClientCertificate[];
  roleGrants: RoleGrant[];
  scopeGrants: ScopeGrant[];
}
