import { Injectable } from '@nestjs/common';
import { ClientDirectory } from '@s2s/clients';
import type { NotBeforeSubjectType } from './revocation.repository.js';
import { RevocationState } from './revocation.state.js';

/** Why a token whose signature and claims are fine no longer stands. */
export type StandingReason =
  | 'token_revoked'
  | 'client_removed'
  | 'client_disabled'
  | 'credential_revoked'
  | 'credential_expired'
  | 'revoked_by_not_before';

export interface StandingRefusal {
  reason: StandingReason;
  message: string;
}

/** Who vouches for a token: this service (for one of its clients), a partner or a registered OAuth server. */
export type TokenSubjectKind = 'self' | 'partner' | 'oauth-server';

/**
 * The one rule for "does this token still stand?" (issue 17), applied after its signature and claims
 * passed, by the validator (introspection, the resource-server guard, `/s2s/whoami`) and by the
 * on-behalf-of grant to its assertion. Map lookups only, from memory kept current by the change feed:
 *
 * - this service's tokens: the `jti` is not revoked (`token_revoked`); the client (`client_id`)
 *   still exists (`client_removed`) and is enabled (`client_disabled`); the credential that obtained
 *   the token (`cred`) is still one of the client's (`credential_revoked`) and has not expired
 *   (`credential_expired`); the token was issued at or after the client's not-before mark
 *   (`revoked_by_not_before`, on `iat`);
 * - a partner's or OAuth server's tokens: issued at or after its not-before mark (`iat`, else `nbf`:
 *   Microsoft S2S actor tokens carry only `nbf`).
 *
 * A token of ours without `cred` (issued before tokens recorded it) follows its client only.
 */
@Injectable()
export class TokenStanding {
  constructor(
    private readonly revocations: RevocationState,
    private readonly clients: ClientDirectory,
  ) {}

  /** Null when the token stands; `subjectId`: the partner's or OAuth server's identity (unused for self). */
  refusal(kind: TokenSubjectKind, subjectId: string, claims: Record<string, unknown>, now: Date): StandingRefusal | null {
    if (kind !== 'self') return this.notBeforeRefusal(kind, subjectId, claims);
    const { jti, client_id: clientId, cred } = claims;
    if (typeof jti === 'string' && this.revocations.isRevoked(jti)) return { reason: 'token_revoked', message: 'the token has been revoked' };
    if (typeof clientId !== 'string') return null;
    const client = this.clients.client(clientId);
    if (!client) return { reason: 'client_removed', message: `client ${clientId} no longer exists` };
    if (!client.client.enabled) return { reason: 'client_disabled', message: `client ${clientId} is disabled` };
    if (typeof cred === 'string') {
      const credential = client.credentials.get(cred);
      if (!credential) return { reason: 'credential_revoked', message: `the credential that obtained the token was removed from client ${clientId}` };
      if (credential.expiresAt !== null && credential.expiresAt <= now) {
        return { reason: 'credential_expired', message: `the ${credential.kind} that obtained the token expired at ${credential.expiresAt.toISOString()}` };
      }
    }
    return this.notBeforeRefusal('client', client.client.clientId, claims);
  }

  /**
   * Until when a token that stands now keeps standing by the clock alone: the expiry of the
   * credential that obtained one of this service's tokens, or null (nothing ends it but a change,
   * which the change feed announces). The verified-token cache holds the verdict no longer.
   */
  standsUntil(kind: TokenSubjectKind, claims: Record<string, unknown>): Date | null {
    if (kind !== 'self') return null;
    const { client_id: clientId, cred } = claims;
    if (typeof clientId !== 'string' || typeof cred !== 'string') return null;
    return this.clients.client(clientId)?.credentials.get(cred)?.expiresAt ?? null;
  }

  private notBeforeRefusal(subjectType: NotBeforeSubjectType | 'partner' | 'oauth-server', subjectId: string, claims: Record<string, unknown>): StandingRefusal | null {
    const mark = this.revocations.notBefore(subjectType, subjectId);
    if (mark === undefined) return null;
    const issuedAt = numeric(claims.iat) ?? numeric(claims.nbf);
    if (issuedAt !== undefined && issuedAt >= mark) return null;
    return { reason: 'revoked_by_not_before', message: `tokens of ${subjectType} ${subjectId} issued before ${new Date(mark * 1000).toISOString()} are revoked` };
  }
}

/** A NumericDate as a number or (MS S2S) a digit string; the claims policy has already checked its form. */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[0-9]{1,12}$/.test(value)) return Number(value);
  return undefined;
}
