import { UsageError } from '../common/cli-errors.js';
import { CLIENT_ASSERTION_TYPE_JWT_BEARER } from './token.dto.js';

/** Pure helpers of `token get`: which client authentication the options ask for, and the form body. */

/** Options of `token get`, keyed as nest-commander names them. */
export interface TokenGetOptions {
  readonly client: string;
  readonly resource?: string;
  readonly scope?: string;
  readonly secretFile?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly upn?: string;
  readonly smtp?: string;
  readonly sip?: string;
  readonly sid?: string;
}

/** User parameters of an act-as-user request (SPEC 5.4), form field = option name. */
export const USER_PARAMETERS = ['upn', 'smtp', 'sip', 'sid'] as const;

/**
 * `secret`: `client_secret_basic` with a secret from `--secret-file`, stdin or a prompt;
 * `certificate`: `private_key_jwt` signed with `--key`, naming `--cert`.
 *
 * @throws UsageError for a target or credential the options leave unclear.
 */
export function clientAuthenticationKind(options: TokenGetOptions): 'secret' | 'certificate' {
  if (options.resource === undefined && options.scope === undefined) {
    throw new UsageError('give --resource <app-id-uri> or --scope <scope>: what the token is for');
  }
  const certificate = options.cert !== undefined || options.key !== undefined;
  if (certificate && options.secretFile !== undefined) {
    throw new UsageError('use either a client secret (--secret-file, stdin or a prompt) or --cert with --key, not both');
  }
  if (options.cert !== undefined && options.key === undefined) throw new UsageError('--cert needs --key: the private key that signs the client assertion');
  if (options.key !== undefined && options.cert === undefined) throw new UsageError('--key needs --cert: the certificate registered on the client');
  return certificate ? 'certificate' : 'secret';
}

/**
 * The `application/x-www-form-urlencoded` body of POST /oauth2/token for the client credentials
 * grant: the target (`resource`, RFC 8707, and/or `scope`), the user parameters that were given,
 * and for `private_key_jwt` the client assertion (RFC 7523 section 2.2). A client secret is never
 * put here: it travels in the Authorization header (`client_secret_basic`).
 */
export function buildTokenRequestForm(options: TokenGetOptions, clientAssertion?: string): URLSearchParams {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (clientAssertion !== undefined) {
    form.set('client_id', options.client);
    form.set('client_assertion_type', CLIENT_ASSERTION_TYPE_JWT_BEARER);
    form.set('client_assertion', clientAssertion);
  }
  if (options.resource !== undefined) form.set('resource', options.resource);
  if (options.scope !== undefined) form.set('scope', options.scope);
  for (const name of USER_PARAMETERS) {
    const value = options[name];
    if (value !== undefined) form.set(name, value);
  }
  return form;
}
