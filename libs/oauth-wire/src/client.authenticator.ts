import { Injectable } from '@nestjs/common';
import { type CachedClient, ClientDirectory, ClientSecretHasher } from '@s2s/clients';
import { Clock } from '@s2s/core';
import { timingSafeEqualDigests } from '@s2s/crypto';
import { type AssertionAudience, ClientAssertionVerifier } from './client-assertion.verifier.js';
import { InvalidClientError, InvalidRequestError } from './oauth.errors.js';
import type { TokenRequestParameters } from './oauth-form.parser.js';

export type ClientAuthenticationMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

export interface AuthenticatedClient {
  cached: CachedClient;
  method: ClientAuthenticationMethod;
  /** The credential (secret or certificate) it authenticated with, as our tokens record it (`cred`, `credentialIdOf`). */
  credentialId: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Compared against when the client does not exist, so unknown and known ids take the same time. */
const DUMMY_HASH = 'x'.repeat(43);

/**
 * Client authentication at the token endpoint (RFC 6749 2.3, RFC 7523 2.2): exactly one method per
 * request; `client_secret_basic` decoded per RFC 6749 appendix B; secrets compared in constant time
 * as keyed hashes; unknown clients, wrong secrets and disabled clients fail the same way. The
 * credentials only: endpoints authenticate through `ClientAuthenticationService`, which wraps
 * this in the back-off.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly hasher: ClientSecretHasher,
    private readonly assertions: ClientAssertionVerifier,
    private readonly clock: Clock,
  ) {}

  /** The client id the request claims, for back-off before the (costlier) checks; null when none. */
  claimedClientId(parameters: TokenRequestParameters, authorization: PresentedAuthorization): string | null {
    if (authorization.isBasic) {
      try {
        return authorization.basicCredentials().clientId.toLowerCase();
      } catch {
        return null;
      }
    }
    return parameters.get('client_id')?.toLowerCase() ?? null;
  }

  async authenticate(parameters: TokenRequestParameters, authorization: PresentedAuthorization, audience: AssertionAudience): Promise<AuthenticatedClient> {
    if (authorization.header !== undefined && !authorization.isBasic) {
      throw new InvalidRequestError('the Authorization header must use the Basic scheme at the token endpoint', 'unsupported_authorization_scheme');
    }
    const methods: ClientAuthenticationMethod[] = [];
    if (authorization.header !== undefined) methods.push('client_secret_basic');
    if (parameters.has('client_secret')) methods.push('client_secret_post');
    if (parameters.has('client_assertion') || parameters.has('client_assertion_type')) methods.push('private_key_jwt');
    if (methods.length > 1) throw new InvalidRequestError('use exactly one client authentication method', 'multiple_authentication_methods');
    if (methods.length === 0) throw new InvalidClientError('no_client_authentication');
    const method = methods[0]!;

    if (method === 'private_key_jwt') {
      const { cached, credentialId } = await this.assertions.verify(parameters.get('client_assertion_type'), parameters.get('client_assertion'), parameters.get('client_id'), audience);
      return { cached, method, credentialId };
    }
    let clientId: string;
    let secret: string;
    if (method === 'client_secret_basic') {
      ({ clientId, secret } = authorization.basicCredentials());
      const bodyClientId = parameters.get('client_id');
      if (bodyClientId !== undefined && bodyClientId.toLowerCase() !== clientId.toLowerCase()) throw new InvalidRequestError('client_id differs from the Authorization header', 'client_id_mismatch');
    } else {
      const bodyClientId = parameters.get('client_id');
      if (bodyClientId === undefined) throw new InvalidClientError('client_id_missing');
      clientId = bodyClientId;
      secret = parameters.get('client_secret')!;
    }
    const { cached, credentialId } = this.checkSecret(clientId, secret);
    return { cached, method, credentialId };
  }

  private checkSecret(clientId: string, secret: string): { cached: CachedClient; credentialId: string } {
    const cached = this.directory.client(clientId);
    const presented = this.hasher.hash(secret);
    const now = this.clock.now();
    // Every candidate is compared (constant time over the list); the matching one is remembered.
    let matchedId: string | null = null;
    for (const candidate of cached?.secrets ?? []) {
      const current = candidate.expiresAt === null || candidate.expiresAt > now;
      if (timingSafeEqualDigests(presented, candidate.secretHash) && current) matchedId = candidate.credentialId;
    }
    const matched = matchedId !== null;
    if (!cached) {
      timingSafeEqualDigests(presented, DUMMY_HASH);
      throw new InvalidClientError('unknown_client');
    }
    if (!matched) throw new InvalidClientError(cached.secrets.length ? 'invalid_secret' : 'client_has_no_secret');
    if (!cached.client.enabled) throw new InvalidClientError('client_disabled');
    return { cached, credentialId: matchedId! };
  }
}

const BASIC_SCHEME = /^basic /i;

/**
 * A request's `Authorization` header, its Basic credentials decoded at most once: the back-off
 * (`ClientAuthenticationService`) needs the client id before authentication and the
 * authenticator the credentials.
 */
export class PresentedAuthorization {
  private decoded: { clientId: string; secret: string } | InvalidRequestError | undefined;
  /**
   * The client id the request claims (lower-cased), set by `ClientAuthenticationService` once
   * the caller's address has passed its back-off check; null before that or when the request names
   * none. For the refusal log of an unauthenticated request: who it said it was.
   */
  claimedClientId: string | null = null;

  constructor(readonly header: string | undefined) {}

  /** Whether the header uses the Basic scheme (RFC 7617: the scheme name is case-insensitive). */
  get isBasic(): boolean {
    return this.header !== undefined && BASIC_SCHEME.test(this.header);
  }

  /** @throws InvalidRequestError when the header is not well-formed Basic credentials. */
  basicCredentials(): { clientId: string; secret: string } {
    if (this.decoded === undefined) {
      try {
        this.decoded = decodeBasic(this.header ?? '');
      } catch (error) {
        if (!(error instanceof InvalidRequestError)) throw error;
        this.decoded = error;
      }
    }
    if (this.decoded instanceof InvalidRequestError) throw this.decoded;
    return this.decoded;
  }
}

/**
 * RFC 6749 2.3.1 + appendix B: `base64(urlencode(client_id) ":" urlencode(secret))`.
 *
 * @throws InvalidRequestError when the header cannot be decoded.
 */
export function decodeBasic(authorization: string): { clientId: string; secret: string } {
  const encoded = authorization.slice(authorization.indexOf(' ') + 1).trim();
  const malformed = (): InvalidRequestError => new InvalidRequestError('the Basic credentials are malformed', 'malformed_basic_credentials');
  if (!BASE64.test(encoded)) throw malformed();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw malformed();
  try {
    const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));
    const clientId = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    if (clientId === '' || secret === '') throw malformed();
    return { clientId, secret };
  } catch {
    throw malformed();
  }
}
