import { Injectable } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { MAX_TOKEN_BYTES } from '@s2s/jwt';
import { CacheFreshness, cachesTooStale, Clock } from '@s2s/core';
import { type CachedOAuthServer, OAuthServerDirectory } from '@s2s/oauth-servers';
import { TokenStanding } from '@s2s/revocation';
import { AcsTokenVerifier } from './acs-token.verifier.js';
import { OAuthServerTokenVerifier } from './oauth-server-token.verifier.js';
import { PartnerTokenVerifier } from './partner-token.verifier.js';
import { selfIssuer, SelfTokenVerifier } from './self-token.verifier.js';
import { TokenRejectedError, type ValidatedToken, type ValidationOutcome, type ValidationTrace } from './token-validation.js';
import { type Attempt, AttemptCarry, holdUntil, KeyRefreshNeeded, preParse, SignatureCheckNeeded } from './validation.attempt.js';
import { ValidationChecklist } from './validation.checklist.js';
import { ValidationMetrics } from './validation.metrics.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

export { MAX_ACTOR_LIFETIME_SECONDS } from './partner-token.verifier.js';

const DEFAULT_OPTIONS: ValidateOptions = Object.freeze({});
const describeServer = (registered: CachedOAuthServer): string => `OAuth server ${registered.server.identity}`;

export interface ValidateOptions {
  /** For this service's own tokens: the audience the caller expects (else any registered resource). */
  audience?: string;
  /** Record every passed check in the trace (explain mode); otherwise only the failing one. */
  explain?: boolean;
}

/**
 * One validator, three issuer classes (SPEC 5.6), one entry point: this service (its own published
 * certificates, {@link SelfTokenVerifier}), registered OAuth servers (by exact issuer,
 * {@link OAuthServerTokenVerifier}), partners (MS S2S actor tokens and actor + outer pairs,
 * {@link PartnerTokenVerifier}). The strict pre-parser runs first and its one parse is shared by
 * routing and verification; keys come only from our registry, chosen by issuer first, then
 * `x5t`/`kid`; the algorithm is pinned per issuer; the claims are decided by the one claims policy
 * (libs/jwt) with each issuer kind's options; each failed rule has its own reason code; explain
 * mode returns every check. Reads nothing from the database.
 */
@Injectable()
export class TokenValidator {
  private readonly issuer: string;
  private readonly outageToleranceSeconds: number;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    private readonly oauthServers: OAuthServerDirectory,
    private readonly metrics: ValidationMetrics,
    private readonly freshness: CacheFreshness,
    private readonly selfTokens: SelfTokenVerifier,
    private readonly partnerTokens: PartnerTokenVerifier,
    private readonly oauthServerTokens: OAuthServerTokenVerifier,
    private readonly standing: TokenStanding,
    private readonly acsTokens: AcsTokenVerifier,
    private readonly cache: VerifiedTokenCache,
  ) {
    this.outageToleranceSeconds = config.databaseOutageToleranceSeconds;
    this.issuer = selfIssuer(config);
  }

  /**
   * Validates from memory in synchronous passes; a pass waits only for a signature verified on the
   * thread pool, or (once) for an on-demand metadata refresh when the token's issuer does not (yet)
   * publish its key, and the token is then validated again from the start ({@link settle}).
   * A valid verdict is held in the {@link VerifiedTokenCache} (not in explain mode, nor for an
   * expected audience) and served from there while it holds and the caches are fresh enough.
   */
  validate(token: unknown, options: ValidateOptions = DEFAULT_OPTIONS): Promise<ValidationOutcome> {
    let key: string | undefined;
    // A token longer than the parser accepts is refused unhashed (it could never be valid).
    if (typeof token === 'string' && token.length <= MAX_TOKEN_BYTES && options.explain !== true && options.audience === undefined && this.cache.enabled) {
      key = this.cache.keyOf(token);
      const now = this.clock.now();
      const held = this.cache.get(key, now.getTime());
      // Past the tolerated database outage the full path fails closed (database_unavailable).
      if (held !== undefined && !cachesTooStale(this.freshness, now, this.outageToleranceSeconds)) {
        this.metrics.countValid(held.token.trust.kind);
        return Promise.resolve(held);
      }
    }
    return this.settle(token, options, key, true, new AttemptCarry());
  }

  /**
   * Attempts until a verdict: an attempt is synchronous, and it stops with a signal when it needs
   * something only a wait can give. A signature not yet verified ({@link SignatureCheckNeeded}) is
   * verified on the thread pool and the token attempted again with the verdict; an unknown key
   * ({@link KeyRefreshNeeded}) is fetched once, and the token attempted again without refreshing.
   */
  private settle(token: unknown, options: ValidateOptions, cacheKey: string | undefined, mayRefresh: boolean, carry: AttemptCarry): Promise<ValidationOutcome> {
    try {
      return Promise.resolve(this.attempt(token, options, mayRefresh, cacheKey, carry));
    } catch (signal) {
      if (signal instanceof SignatureCheckNeeded) return signal.verify().then(() => this.settle(token, options, cacheKey, mayRefresh, carry));
      if (signal instanceof KeyRefreshNeeded) return signal.refresh().then(() => this.settle(token, options, cacheKey, false, carry));
      return Promise.reject(signal);
    }
  }

  /** One synchronous pass (nothing can change the in-memory state between its verdict and its caching). */
  private attempt(token: unknown, options: ValidateOptions, mayRefresh: boolean, cacheKey: string | undefined, carry: AttemptCarry): ValidationOutcome {
    const checklist = new ValidationChecklist(options.explain === true);
    const trace: ValidationTrace = { checks: checklist.checks, key: null, issuerMetadataFetchedAt: null, clockDifferenceSeconds: null, header: null, claims: null };
    const attempt: Attempt = { checklist, trace, now: this.clock.now(), mayRefresh, carry, holdUntilMs: Number.POSITIVE_INFINITY };
    try {
      const validated = this.run(token, options, attempt);
      this.checkStanding(validated, attempt);
      this.metrics.countValid(validated.trust.kind);
      const outcome = { valid: true as const, token: validated, trace };
      if (cacheKey !== undefined) {
        this.cache.set(cacheKey, outcome, attempt.now.getTime(), Math.min(validated.expiresAt.getTime(), attempt.holdUntilMs), (token as string).length);
      }
      return outcome;
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      this.metrics.validated.inc({ result: 'invalid', trust: 'none', reason: error.reason });
      return { valid: false, reason: error.reason, message: error.message, trace };
    }
  }

  /**
   * Last, a token whose signature and claims passed must still stand (issue 17: revoked `jti`,
   * client disabled or removed, credential removed or expired, not-before mark): {@link TokenStanding}, Map lookups only.
   */
  private checkStanding(validated: ValidatedToken, attempt: Attempt): void {
    const refusal = this.standing.refusal(validated.trust.kind, validated.trust.id, validated.claims, attempt.now);
    if (refusal) attempt.checklist.fail('standing', refusal.reason, refusal.message);
    attempt.checklist.pass('standing');
    // Revocations, client and credential changes reach the cache through the change feed; a credential's expiry does not.
    const credentialExpiry = this.standing.standsUntil(validated.trust.kind, validated.claims);
    if (credentialExpiry !== null) holdUntil(attempt, credentialExpiry.getTime());
  }

  /** Freshness, the strict parse, then routing by issuer kind. */
  private run(token: unknown, options: ValidateOptions, attempt: Attempt): ValidatedToken {
    const { checklist, trace } = attempt;
    // SPEC 8: keys, partners and servers come from memory; after the tolerated database outage, fail closed.
    if (cachesTooStale(this.freshness, attempt.now, this.outageToleranceSeconds)) {
      checklist.fail('cache-freshness', 'database_unavailable', 'the database has been unreachable for too long to trust the cached trust configuration');
    }
    const jwt = preParse(token, checklist, attempt.carry.parsed);
    attempt.carry.parsed = jwt;
    trace.header = jwt.header;
    trace.claims = jwt.payload;
    if (jwt.header.alg === 'none') return this.partnerTokens.outerPair(jwt, attempt, this.acsTokens);
    const iss = jwt.payload.iss;
    if (iss === this.issuer) {
      checklist.pass('issuer-class', 'this service');
      return this.selfTokens.verify(jwt, options.audience, attempt);
    }
    const server = typeof iss === 'string' ? this.oauthServers.byIssuerName(iss) : undefined;
    if (server) {
      checklist.passDescribed('issuer-class', describeServer, server);
      // An ACS / Entra trust broker issues Microsoft S2S actor tokens for partners that use it.
      if (server.server.type === 'acs') return this.acsTokens.appOnly(jwt, server, attempt);
      return this.oauthServerTokens.verify(jwt, server, attempt);
    }
    if (typeof iss === 'string' && iss.includes('@')) {
      checklist.pass('issuer-class', 'partner (S2S actor token)');
      return this.partnerTokens.appOnly(jwt, attempt);
    }
    return checklist.fail('issuer-class', 'issuer_untrusted', `no trusted issuer is registered for ${typeof iss === 'string' ? iss : 'this token'}`);
  }
}
