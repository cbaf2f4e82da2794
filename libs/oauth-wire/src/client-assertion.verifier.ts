import { Injectable } from '@nestjs/common';
import { type CachedClient, type CachedClientCertificate, AssertionReplayStore, ClientDirectory } from '@s2s/clients';
import { Clock } from '@s2s/core';
import { JWS_ALGORITHMS, type JwsAlgorithm, keyFitsAlgorithm, verifyJws } from '@s2s/crypto';
import { JwtFormatError, parseCompactJwt, type ParsedJwt } from '@s2s/jwt';
import { InvalidClientError, TemporarilyUnavailableError } from './oauth.errors.js';

/** RFC 7523 2.2 `client_assertion_type`. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Longest accepted assertion lifetime `exp - iat` (issue 4: ≤ 10 min; also bounds the replay store). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 600;
/** How far in the future `iat`/`nbf` may be (security catalogue G09: ≤ 60 s). */
export const FUTURE_TOLERANCE_SECONDS = 60;
/** How long after `exp` an assertion is still accepted (clock difference). */
export const EXPIRY_TOLERANCE_SECONDS = 10;

/** Where the assertion may point: our issuer, and the token endpoint for legacy clients. */
export interface AssertionAudience {
  issuer: string;
  tokenEndpoint: string;
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
  constructor(
    private readonly directory: ClientDirectory,
    private readonly replayStore: AssertionReplayStore,
    private readonly clock: Clock,
  ) {}

  async verify(assertionType: string | undefined, assertion: string | undefined, bodyClientId: string | undefined, audience: AssertionAudience): Promise<CachedClient> {
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

    const { aud, exp, nbf, iat, jti } = jwt.payload;
    const audienceOk = typeof aud === 'string' && (aud === audience.issuer || (cached.client.allowTokenEndpointAudience && aud === audience.tokenEndpoint));
    if (!audienceOk) throw new InvalidClientError('assertion_audience_invalid');
    const now = Math.floor(this.clock.now().getTime() / 1000);
    if (!isNumericDate(exp)) throw new InvalidClientError('assertion_exp_missing');
    if (exp + EXPIRY_TOLERANCE_SECONDS <= now) throw new InvalidClientError('assertion_expired');
    if (nbf !== undefined && (!isNumericDate(nbf) || nbf > now + FUTURE_TOLERANCE_SECONDS)) throw new InvalidClientError('assertion_not_yet_valid');
    if (!isNumericDate(iat)) throw new InvalidClientError('assertion_iat_missing');
    if (iat > now + FUTURE_TOLERANCE_SECONDS) throw new InvalidClientError('assertion_issued_in_future');
    if (exp - iat > MAX_ASSERTION_LIFETIME_SECONDS) throw new InvalidClientError('assertion_lifetime_too_long');
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
    return cached;
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

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
