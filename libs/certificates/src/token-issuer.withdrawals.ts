import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeed, ReloadSequencer } from '@s2s/core';
import { x5tOf } from './stored-certificate.js';
import { TOKEN_ISSUER_ASSIGNMENT_TOPIC } from './token-issuer-assignment.service.js';
import { EMERGENCY_NO_CACHE_SECONDS, type TokenIssuerWithdrawal, TokenIssuerWithdrawalRepository } from './token-issuer-withdrawal.js';

/**
 * Keys withdrawn by emergency rolls, in memory (reloaded with the slots, on every instance): the
 * validator names their tokens' refusal `key_withdrawn`, and the metadata documents are served with
 * `no-cache` for {@link EMERGENCY_NO_CACHE_SECONDS} after the last one, so partners refetch.
 */
@Injectable()
export class TokenIssuerWithdrawals implements OnApplicationBootstrap {
  private byX5t = new Map<string, TokenIssuerWithdrawal>();
  private noCache: Date | null = null;
  private readonly reloads = new ReloadSequencer();

  constructor(
    private readonly repository: TokenIssuerWithdrawalRepository,
    private readonly changeFeed: ChangeFeed,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.changeFeed.subscribe(TOKEN_ISSUER_ASSIGNMENT_TOPIC, () => this.reload());
    await this.reload();
  }

  async reload(): Promise<void> {
    await this.reloads.run(
      () => this.repository.list(),
      (withdrawals) => {
        this.byX5t = new Map(withdrawals.map((withdrawal) => [x5tOf(withdrawal.thumbprint), withdrawal]));
        const last = Math.max(0, ...withdrawals.map((withdrawal) => withdrawal.withdrawnAt.getTime()));
        this.noCache = last > 0 ? new Date(last + EMERGENCY_NO_CACHE_SECONDS * 1000) : null;
      },
    );
  }

  /** The withdrawal of the key a token names (its `kid`, else `x5t`), if that key was withdrawn. */
  withdrawn(keyId: string): TokenIssuerWithdrawal | undefined {
    return this.byX5t.size === 0 ? undefined : this.byX5t.get(keyId);
  }

  /** Whether the metadata documents must be served with `no-cache` at `now` (24 h after an emergency roll). */
  noCacheAt(now: Date): boolean {
    return this.noCache !== null && now < this.noCache;
  }
}
