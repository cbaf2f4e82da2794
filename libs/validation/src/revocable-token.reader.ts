import { Injectable } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import type { StandingReason } from '@s2s/revocation';
import { selfIssuer } from './self-token.verifier.js';
import { TokenValidator } from './token.validator.js';

/** What revoking one of our tokens needs. */
export interface RevocableToken {
  jti: string;
  clientId: string | null;
  expiresAt: Date;
}

/**
 * Refusals that come after the signature and claims passed: such a token is ours and can still be
 * revoked for good (an already revoked one is answered as such, changing nothing).
 */
const STANDING_REASONS: ReadonlySet<string> = new Set<StandingReason>(['token_revoked', 'client_removed', 'client_disabled', 'credential_revoked', 'credential_expired', 'revoked_by_not_before']);

/**
 * Reads a token to revoke (RFC 7009 and the admin route): one of this service's own access tokens,
 * signed by a published key, not expired, with a `jti`. Checked by the validator; a token refused
 * only because it no longer stands (client disabled, …) is still revocable, so that re-enabling the
 * client does not bring it back. Anything else (a partner's token, an expired or forged one) is null.
 */
@Injectable()
export class RevocableTokenReader {
  private readonly issuer: string;

  constructor(
    private readonly validator: TokenValidator,
    config: AppConfig,
  ) {
    this.issuer = selfIssuer(config);
  }

  async read(token: string): Promise<RevocableToken | null> {
    const outcome = await this.validator.validate(token);
    let claims: Record<string, unknown> | null;
    if (outcome.valid) claims = outcome.token.trust.kind === 'self' ? outcome.token.claims : null;
    else claims = STANDING_REASONS.has(outcome.reason) ? outcome.trace.claims : null;
    if (!claims || claims.iss !== this.issuer) return null;
    const { jti, exp, client_id: clientId } = claims;
    if (typeof jti !== 'string' || typeof exp !== 'number') return null;
    return { jti, clientId: typeof clientId === 'string' ? clientId : null, expiresAt: new Date(exp * 1000) };
  }
}
