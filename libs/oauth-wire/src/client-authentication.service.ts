import { Injectable } from '@nestjs/common';
import type { CredentialEndpoint } from '@s2s/core';
import { AuthenticationBackoff, type BackoffSubject } from './authentication.backoff.js';
import type { AssertionAudience } from './client-assertion.verifier.js';
import { type AuthenticatedClient, ClientAuthenticator, type PresentedAuthorization } from './client.authenticator.js';
import { InvalidClientError, TemporarilyUnavailableError } from './oauth.errors.js';
import type { TokenRequestParameters } from './oauth-form.parser.js';

/**
 * Client authentication as every OAuth endpoint that takes client credentials must do it (RFC 6749
 * 2.3.1: "MUST protect against brute force"; security catalogue G01): the one place where the
 * back-off is checked and fed. Used by the token endpoint and by introspection, over the one
 * {@link AuthenticationBackoff} of {@link OAuthWireModule}, so guesses at one endpoint count at the
 * other and a caller backed off at one is backed off at both.
 *
 * In order: the caller's address must not be backing off (`backoff_address`), then the client id
 * the request claims (`backoff_client`), both before the (costlier) checks; then the credentials.
 * An `invalid_client` failure counts against the address and the claimed client id; a success
 * clears the client's record. Other refusals (a malformed request: `invalid_request`) count
 * against nobody, as a guess needs well-formed credentials.
 */
@Injectable()
export class ClientAuthenticationService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly backoff: AuthenticationBackoff,
  ) {}

  /**
   * Authenticates the client of a request from `remoteAddress`. Sets `authorization.claimedClientId`
   * once the address has passed its back-off check, so the caller can log who a refused request
   * claimed to be.
   *
   * @throws TemporarilyUnavailableError 429 with `retryAfterSeconds` while the address or the
   *   claimed client is backing off (reason `backoff_address` / `backoff_client`).
   * @throws InvalidClientError or InvalidRequestError as {@link ClientAuthenticator.authenticate}.
   */
  async authenticate(
    parameters: TokenRequestParameters,
    authorization: PresentedAuthorization,
    audience: AssertionAudience,
    remoteAddress: string,
    endpoint: CredentialEndpoint = 'token',
  ): Promise<AuthenticatedClient> {
    this.refuseWhileBackingOff({ kind: 'address', address: remoteAddress }, endpoint);
    const claimedClientId = this.authenticator.claimedClientId(parameters, authorization);
    authorization.claimedClientId = claimedClientId;
    if (claimedClientId) this.refuseWhileBackingOff({ kind: 'client', clientId: claimedClientId }, endpoint);
    try {
      const authenticated = await this.authenticator.authenticate(parameters, authorization, audience);
      this.backoff.recordSuccess({ kind: 'client', clientId: authenticated.cached.client.clientId });
      return authenticated;
    } catch (error) {
      if (error instanceof InvalidClientError) {
        const counted = [this.backoff.recordFailure({ kind: 'address', address: remoteAddress }, endpoint)];
        if (claimedClientId) counted.push(this.backoff.recordFailure({ kind: 'client', clientId: claimedClientId }, endpoint));
        // Counted in the shared record before the answer, so the next attempt anywhere sees it.
        await Promise.all(counted);
      }
      throw error;
    }
  }

  private refuseWhileBackingOff(subject: BackoffSubject, endpoint: CredentialEndpoint): void {
    const retryAfter = this.backoff.retryAfterSeconds(subject);
    if (retryAfter > 0) {
      this.backoff.recordRefusal(subject, endpoint);
      throw new TemporarilyUnavailableError(`too many failed authentications; retry after ${retryAfter} s`, subject.kind === 'client' ? 'backoff_client' : 'backoff_address', 429, retryAfter);
    }
  }
}
