import { Injectable } from '@nestjs/common';
import { type CachedClient, type CachedClientCertificate, AssertionReplayStore, ClientDirectory } from '@s2s/clients';
import { Clock } from '@s2s/core';
import { JWS_ALGORITHMS, type JwsAlgorithm, keyFitsAlgorithm, verifyJws } from '@s2s/crypto';
import { checkJwtClaims, JwtClaimError, jwtClaimsPolicy, type JwtClaimsPolicy, JwtFormatError, parseCompactJwt, type ParsedJwt } from '@s2s/jwt';
import { InvalidClientError, TemporarilyUnavailableError } from './oauth.errors.js';

/** RFC 7523 2.2 `client_assertion_type`. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Longest accepted assertion lifetime `exp - iat` (issue 4: ≤ 10 min; also bounds the replay store). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 600;
/** How far in the future `iat`/`nbf` may be (security catalogue G09: ≤ 60 s). */
export const FUTURE_TOLERANCE_SECONDS = 60;
/** How long after `exp` an assertion is still accepted (clock difference). */
export const EXPIRY_TOLERANCE_SECONDS = 10;

/**
 * The claims policy of client assertions (RFC 7523 3, security catalogue G08-G10): JSON-number
 * dates; `exp` required, 10 s of tolerance after it; `nbf` and `iat` at most 60 s in the future;
 * `iat` required; `exp - iat` at most 10 min. The audience is added per {@link AssertionAudience}.
 */
const ASSERTION_TIMES = Object.freeze({
  numericDate: 'rfc7519',
  clockTolerance: EXPIRY_TOLERANCE_SECONDS,
  futureTolerance: FUTURE_TOLERANCE_SECONDS,
  requiredClaims: Object.freeze(['iat']),
  maxLifetime: MAX_ASSERTION_LIFETIME_SECONDS,
  lifetimeFrom: 'iat',
} as const);

/** The policy with `audience`: one string (our issuer; RFC 7523bis), never an array (G08). */
function assertionPolicy(audience: string | readonly string[]): JwtClaimsPolicy {
  const { numericDate, clockTolerance, futureTolerance, requiredClaims, maxLifetime, lifetimeFrom } = ASSERTION_TIMES;
  return jwtClaimsPolicy({ audience, numericDate, clockTolerance, futureTolerance, requiredClaims, maxLifetime, lifetimeFrom });
}

/** The reason codes this verifier has always given, for each refusal of the claims policy. */
function assertionReason(error: JwtClaimError): string {
  switch (error.code) {
    case 'audience_invalid':
      return 'assertion_audience_invalid';
    case 'claim_malformed':
      // A malformed date counts as that date missing or wrong, as before the shared policy.
      return error.claim === 'exp' ? 'assertion_exp_missing' : error.claim === 'iat' ? 'assertion_iat_missing' : 'assertion_not_yet_valid';
    case 'exp_missing':
      return 'assertion_exp_missing';
    case 'token_expired':
      return 'assertion_expired';
    case 'token_not_yet_valid':
      return 'assertion_not_yet_valid';
    case 'iat_missing':
      return 'assertion_iat_missing';
    case 'issued_in_future':
      return 'assertion_issued_in_future';
    case 'lifetime_too_long':
      return 'assertion_lifetime_too_long';
    default:
      return `assertion_${error.code}`;
  }
}

/** Where the assertion may point: our issuer, and the token endpoint for legacy clients. */
export interface AssertionAudience {
  issuer: string;
  tokenEndpoint: string;
}

/** A client authenticated by its assertion, and the credential (certificate) that signed it. */
export interface AssertedClient {
  cached: CachedClient;
  credentialId: string;
}

/**
 * Verifies a `private_key_jwt` client assertion (RFC 7523 3, draft-ietf-oauth-rfc7523bis) as an
 * ordered checklist, each failure with its own reason (STYLE habit 7; hydra's order): type, strict
 * parse, algorithm, issuer = subject = client, key among the client's own certificates only (and
 * not expired),
 * signature (OpenSSL), audience (our issuer as one string), expiry, not-before, issued-at, maximum
 * lifetime, `jti`, and only then single use of the `jti` (so an unsigned or badly signed assertion
 * can never burn a victim's `jti`, security catalogue G07).
 */
@Injectable()
export class ClientAssertionVerifier {
  /** The two policies for the audience they were built for (the token endpoint passes the same object every time). */
  private policies: { audience: AssertionAudience; issuerOnly: JwtClaimsPolicy; withTokenEndpoint: JwtClaimsPolicy } | null = null;

  constructor(
    private readonly directory: ClientDirectory,
    private readonly replayStore: AssertionReplayStore,
    private readonly clock: Clock,
  ) {}

  /** @returns the client and the credential id ({@link credentialIdOf}) of the certificate whose key signed the assertion. */
  async verify(assertionType: string | undefined, assertion: string | undefined, bodyClientId: string | undefined, audience: AssertionAudience): Promise<AssertedClient> {
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) throw new InvalidClientError('assertion_type_invalid');
    let jwt: ParsedJwt;
    try {
      jwt = parseCompactJwt(assertion);
    } catch (error) {
      if (error instanceof JwtFormatError) throw new InvalidClientError(`assertion_${error.reason}`);
      throw error;
    }
    const algorithm = jwt.header.alg as JwsAlgorithm;
    if (!JWS_ALGORITHMS.includes(algorithm)) throw new InvalidClientError('assertion_alg_not_allowed');
    const { iss, sub } = jwt.payload;
    if (typeof iss !== 'string' || iss === '') throw new InvalidClientError('assertion_iss_missing');
    if (sub !== iss) throw new InvalidClientError('assertion_sub_mismatch');
    if (bodyClientId !== undefined && bodyClientId.toLowerCase() !== iss.toLowerCase()) throw new InvalidClientError('client_id_mismatch');
    const cached = this.directory.client(iss);
    if (!cached) throw new InvalidClientError('unknown_client');

    const certificate = selectCertificate(cached.certificates, jwt.header);
    if (certificate.notAfter <= this.clock.now()) throw new InvalidClientError('client_certificate_expired');
    if (!keyFitsAlgorithm(algorithm, certificate.publicKey)) throw new InvalidClientError('assertion_alg_key_mismatch');
    if (!verifyJws(algorithm, jwt.signingInput, jwt.signature, certificate.publicKey)) throw new InvalidClientError('assertion_signature_invalid');

    // Audience, expiry, not-before, issued-at, maximum lifetime: the shared claims policy (libs/jwt).
    const now = Math.floor(this.clock.now().getTime() / 1000);
    let exp: number;
    try {
      exp = checkJwtClaims(jwt.header, jwt.payload, this.policyFor(audience, cached.client.allowTokenEndpointAudience), now);
    } catch (error) {
      if (error instanceof JwtClaimError) throw new InvalidClientError(assertionReason(error));
      throw error;
    }
    const { jti } = jwt.payload;
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw new InvalidClientError('assertion_jti_missing');
    if (!cached.client.enabled) throw new InvalidClientError('client_disabled');

    let first: boolean;
    try {
      first = await this.replayStore.recordOnce(cached.client.clientId, jti, new Date((exp + EXPIRY_TOLERANCE_SECONDS + FUTURE_TOLERANCE_SECONDS) * 1000));
    } catch {
      // Never skip replay protection (SPEC 8): without the store, assertions cannot be accepted.
      throw new TemporarilyUnavailableError('the replay store is unavailable; retry later', 'replay_store_unavailable');
    }
    if (!first) throw new InvalidClientError('assertion_replayed');
    return { cached, credentialId: certificate.credentialId };
  }

  /** Our issuer only, or also the token endpoint for a client with the legacy flag (SPEC 5.9). */
  private policyFor(audience: AssertionAudience, allowTokenEndpoint: boolean): JwtClaimsPolicy {
    if (this.policies === null || this.policies.audience !== audience) {
      this.policies = { audience, issuerOnly: assertionPolicy(audience.issuer), withTokenEndpoint: assertionPolicy([audience.issuer, audience.tokenEndpoint]) };
    }
    return allowTokenEndpoint ? this.policies.withTokenEndpoint : this.policies.issuerOnly;
  }
}

/**
 * The client's certificate named by `kid`, `x5t` or `x5t#S256` (our `kid` is the `x5t`); with no
 * identifier, the client's only certificate. Keys never come from the token itself.
 */
function selectCertificate(certificates: CachedClientCertificate[], header: ParsedJwt['header']): CachedClientCertificate {
  const identifiers = [header.kid, header.x5t, header['x5t#S256']].filter((value): value is string => typeof value === 'string');
  if (identifiers.length === 0) {
    if (certificates.length === 1) return certificates[0]!;
    throw new InvalidClientError(certificates.length === 0 ? 'client_has_no_certificate' : 'assertion_key_not_identified');
  }
  const match = certificates.find((certificate) =>
    identifiers.every((id) => id === certificate.x5t || id === certificate.x5tS256 || id.toUpperCase() === certificate.thumbprint),
  );
  if (!match) throw new InvalidClientError('assertion_key_unknown');
  return match;
}
