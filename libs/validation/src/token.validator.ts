import { Injectable } from '@nestjs/common';
import { AppConfig } from '@s2s/config';
import { CacheFreshness, cachesTooStale, Clock } from '@s2s/core';
import { type CachedOAuthServer, OAuthServerDirectory } from '@s2s/oauth-servers';
import { TokenStanding } from '@s2s/revocation';
import { AcsTokenVerifier } from './acs-token.verifier.js';
import { OAuthServerTokenVerifier } from './oauth-server-token.verifier.js';
import { PartnerTokenVerifier } from './partner-token.verifier.js';
import { selfIssuer, SelfTokenVerifier } from './self-token.verifier.js';
import { TokenRejectedError, type ValidatedToken, type ValidationOutcome, type ValidationTrace } from './token-validation.js';
import { type Attempt, KeyRefreshNeeded, preParse } from './validation.attempt.js';
import { ValidationChecklist } from './validation.checklist.js';
import { ValidationMetrics } from './validation.metrics.js';

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
  ) {
    this.outageToleranceSeconds = config.databaseOutageToleranceSeconds;
    this.issuer = selfIssuer(config);
  }

  /**
   * Validates synchronously from memory; only a token whose key its issuer does not (yet) publish
   * waits, once, for an on-demand metadata refresh, and is then validated again from the start.
   */
  validate(token: unknown, options: ValidateOptions = DEFAULT_OPTIONS): Promise<ValidationOutcome> {
    try {
      return Promise.resolve(this.attempt(token, options, true));
    } catch (signal) {
      if (!(signal instanceof KeyRefreshNeeded)) return Promise.reject(signal);
      return signal.refresh().then(() => this.attempt(token, options, false));
    }
  }

  private attempt(token: unknown, options: ValidateOptions, mayRefresh: boolean): ValidationOutcome {
    const checklist = new ValidationChecklist(options.explain === true);
    const trace: ValidationTrace = { checks: checklist.checks, key: null, issuerMetadataFetchedAt: null, clockDifferenceSeconds: null, header: null, claims: null };
    try {
      const attempt: Attempt = { checklist, trace, now: this.clock.now(), mayRefresh };
      const validated = this.run(token, options, attempt);
      this.checkStanding(validated, attempt);
      this.metrics.countValid(validated.trust.kind);
      return { valid: true, token: validated, trace };
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
  }

  /** Freshness, the strict parse, then routing by issuer kind. */
  private run(token: unknown, options: ValidateOptions, attempt: Attempt): ValidatedToken {
    const { checklist, trace } = attempt;
    // SPEC 8: keys, partners and servers come from memory; after the tolerated database outage, fail closed.
    if (cachesTooStale(this.freshness, attempt.now, this.outageToleranceSeconds)) {
      checklist.fail('cache-freshness', 'database_unavailable', 'the database has been unreachable for too long to trust the cached trust configuration');
    }
    const jwt = preParse(token, checklist);
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
