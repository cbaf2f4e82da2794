import { certificateFromFile, type InputFile } from '../certificate/certificate.input.js';
import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import {
  GRANT_TYPES,
  GRANT_TYPE_CLIENT_CREDENTIALS,
  GRANT_TYPE_JWT_BEARER,
  type CertificateRegistrationBody,
  type ClientChangeBody,
  type ClientCreateBody,
  type GrantType,
  type SecretCreateBody,
} from './client.dto.js';

/** Pure helpers of the client commands: option values to request bodies and paths. */

/** Short names accepted by `--grant-type`, besides the values themselves. */
export const GRANT_TYPE_SHORTHANDS: Readonly<Record<string, GrantType>> = {
  'jwt-bearer': GRANT_TYPE_JWT_BEARER,
};

const GRANT_TYPE_SYNTAX = `${GRANT_TYPE_CLIENT_CREDENTIALS} or jwt-bearer (short for ${GRANT_TYPE_JWT_BEARER})`;

/** One `--grant-type` value: `client_credentials`, `jwt-bearer` or the jwt-bearer URN itself. */
export function parseGrantType(value: string): GrantType {
  const trimmed = value.trim();
  const grantType = GRANT_TYPE_SHORTHANDS[trimmed] ?? GRANT_TYPES.find((candidate) => candidate === trimmed);
  if (grantType === undefined) throw new InvalidOptionArgumentError(`Allowed values are ${GRANT_TYPE_SYNTAX}.`);
  return grantType;
}

/** Repeatable `--grant-type`: the grant types in the order given, each once. */
export function grantTypeArgument(value: string, previous: readonly GrantType[] | undefined): GrantType[] {
  const grantType = parseGrantType(value);
  return previous?.includes(grantType) ? [...previous] : [...(previous ?? []), grantType];
}

/** Options of `client new`, keyed as nest-commander names them. */
export interface ClientNewOptions {
  readonly name: string;
  readonly realm?: string;
  readonly actAsUsers?: boolean;
  readonly grantType?: readonly GrantType[];
  readonly legacyTokenEndpointAudience?: boolean;
  /** `false` with `--no-secret`; commander's default for a negated flag is `true`. */
  readonly secret?: boolean;
  readonly secretExpires?: string;
}

/** Body of POST /clients: the name and only what the options changed from the server defaults. */
export function buildClientCreateBody(options: ClientNewOptions): ClientCreateBody {
  const withSecret = options.secret !== false;
  if (!withSecret && options.secretExpires !== undefined) {
    throw new UsageError('--secret-expires goes with a secret; leave out --no-secret, or add a secret later with s2sctl client add-secret --expires');
  }
  return {
    displayName: options.name,
    ...(options.realm === undefined ? {} : { realm: options.realm }),
    ...(options.actAsUsers ? { actAsUsers: true } : {}),
    ...(options.grantType === undefined ? {} : { grantTypes: options.grantType }),
    ...(options.legacyTokenEndpointAudience ? { allowTokenEndpointAudience: true } : {}),
    ...(withSecret ? {} : { withSecret: false }),
    ...(options.secretExpires === undefined ? {} : { secretExpiresAt: options.secretExpires }),
  };
}

/** Options of `client set`. */
export interface ClientSetOptions {
  readonly name?: string;
  readonly realm?: string;
  readonly enabled?: boolean;
  readonly actAsUsers?: boolean;
  readonly grantType?: readonly GrantType[];
  readonly legacyTokenEndpointAudience?: boolean;
}

/**
 * Body of PATCH /clients/{clientId}: exactly the fields whose options were given.
 *
 * @throws UsageError when no option was given.
 */
export function buildClientChangeBody(options: ClientSetOptions): ClientChangeBody {
  const body: ClientChangeBody = {
    ...(options.name === undefined ? {} : { displayName: options.name }),
    ...(options.realm === undefined ? {} : { realm: options.realm }),
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
    ...(options.actAsUsers === undefined ? {} : { actAsUsers: options.actAsUsers }),
    ...(options.grantType === undefined ? {} : { grantTypes: options.grantType }),
    ...(options.legacyTokenEndpointAudience === undefined ? {} : { allowTokenEndpointAudience: options.legacyTokenEndpointAudience }),
  };
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      'nothing to change: give --name, --realm, --enabled, --act-as-users, --grant-type or --legacy-token-endpoint-audience (see s2sctl client set --help)',
    );
  }
  return body;
}

/** Body of POST /clients/{clientId}/secrets. */
export function buildSecretBody(options: { readonly description?: string; readonly expires?: string }): SecretCreateBody {
  return {
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.expires === undefined ? {} : { expiresAt: options.expires }),
  };
}

/**
 * Body of POST /clients/{clientId}/certificates from a `--cert` file (PEM, DER or base64 DER).
 * Only the first certificate of a PEM file is registered: it is the one whose key signs the
 * assertions, and a private key in the same file is never picked up.
 */
export function buildCertificateRegistrationBody(file: InputFile): { readonly body: CertificateRegistrationBody; readonly ignoredChain: boolean } {
  const { certificate, chainInFile } = certificateFromFile(file);
  return { body: { certificate }, ignoredChain: chainInFile !== undefined };
}

/** `/clients/{clientId}[/suffix]` with the id as one encoded segment. */
export function clientPath(clientId: string, suffix = ''): string {
  const id = clientId.trim();
  if (id === '') throw new UsageError('give the client id (see s2sctl client list)');
  return `/clients/${encodeURIComponent(id)}${suffix}`;
}
