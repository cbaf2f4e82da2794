import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@s2s/core';
import { type CompactJws, JwtFormatError, parseCompactJwt } from '@s2s/jwt';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { type CachedOAuthServer, OAuthServerDirectory } from '@s2s/oauth-servers';
import { OAuthError, ServerError, TemporarilyUnavailableError } from '@s2s/oauth-wire';
import type { PartnerApplication } from '@s2s/partners';
import { TokenSigner } from './token.signer.js';

/** The grant type of the trust-broker request ([MS-XOAUTH] 3.2.5.2, TokenHelper `OAuth2S2SClient`). */
export const JWT_BEARER_1_0 = 'http://oauth.net/grant_type/jwt/1.0/bearer';
/** Lifetime of our self-issued assertion to the broker. */
const ASSERTION_LIFETIME_SECONDS = 600;
/** A cached broker token is handed out until this long before it expires. */
export const BROKER_TOKEN_RENEW_BEFORE_SECONDS = 120;
const TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Passed through as they are; any other (invalid_client included: our own client authenticated with us, the broker refused this service) becomes invalid_grant. */
const RFC6749_ERRORS = ['invalid_request', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_target'];

/** A refusal of the broker, passed through as the RFC 6749 error it answered (else `invalid_grant`) with its description. */
export class BrokerRefusedError extends OAuthError {
  readonly status = 400;
  constructor(
    readonly error: string,
    description: string,
    reason: string,
  ) {
    super(description, reason);
  }
}

/** The actor token a broker issued for us, and how long it is valid. */
export interface BrokerActorToken {
  readonly accessToken: CompactJws;
  /** Seconds from now. */
  readonly expiresIn: number;
  /**
   * Its claims (read, not verified: the partner verifies the broker's signature), for wrapping a
   * user around it; null for an app-only token, which is relayed as it came.
   */
  readonly claims: Record<string, unknown> | null;
}

interface CachedBrokerToken {
  readonly accessToken: CompactJws;
  readonly expiresAtMs: number;
  readonly claims: Record<string, unknown> | null;
}

/**
 * Obtains the token for a partner that uses an ACS OAuth server from that server's issuance
 * endpoint (issue 21; [MS-XOAUTH] 3.2.5.2, as TokenHelper's ACS path does): a self-issued
 * assertion signed with our token-issuer certificate (`iss` = `nameid` = `<our service
 * name>@<tenant>`, `aud` = `<broker principal>/<issuance host>@<tenant>`, and
 * `trustedfordelegation: "true"` when a user will be wrapped around the answer), posted with
 * `grant_type=http://oauth.net/grant_type/jwt/1.0/bearer` and `resource` = `<partner
 * principal>/<partner host>@<tenant>`. Answers are cached per server, resource and kind (app-only
 * or delegation: never one for the other) until {@link BROKER_TOKEN_RENEW_BEFORE_SECONDS} before
 * they expire; the broker's errors are passed through with its description. A delegation answer
 * must be an actor token that says `trustedfordelegation: "true"`. The request goes over verified
 * TLS (the system store plus the server's metadata CA bundle) to a host on the server's metadata
 * host allow-list only.
 */
@Injectable()
export class TrustBrokerClient {
  private readonly logger = new Logger(TrustBrokerClient.name);
  private readonly cache = new Map<string, CachedBrokerToken>();

  constructor(
    private readonly oauthServers: OAuthServerDirectory,
    private readonly signer: TokenSigner,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {}

  /** @param delegation true when a user will be wrapped around the token (the broker must issue it trusted for delegation). */
  async obtain(partner: PartnerApplication, delegation: boolean): Promise<BrokerActorToken> {
    const registered = partner.useOAuthServer === null ? undefined : this.oauthServers.byIdentity(partner.useOAuthServer);
    if (registered === undefined) throw new ServerError(`the OAuth server of partner ${partner.identity} is not registered`, 'broker_missing');
    const { server } = registered;
    if (!server.enabled) throw new TemporarilyUnavailableError(`OAuth server ${server.identity} is disabled`, 'broker_disabled');
    const endpoint = server.issuanceEndpoint;
    if (endpoint === null) throw new ServerError(`OAuth server ${server.identity} publishes no issuance endpoint in its metadata`, 'broker_no_issuance_endpoint');
    const tenant = server.issuer.slice(server.issuer.lastIndexOf('@') + 1);
    const resource = `${partner.applicationIdentifier}/${partner.hostAuthority!}@${tenant}`;
    const cacheKey = `${server.identity}\n${resource}\n${delegation ? 'delegation' : 'app'}`;
    const nowMs = this.clock.now().getTime();
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined && cached.expiresAtMs - BROKER_TOKEN_RENEW_BEFORE_SECONDS * 1000 > nowMs) {
      return { accessToken: cached.accessToken, expiresIn: Math.floor((cached.expiresAtMs - nowMs) / 1000), claims: cached.claims };
    }
    const answer = await this.request(registered, endpoint, tenant, resource, delegation);
    const claims = delegation ? delegationClaims(server.identity, answer.accessToken) : null;
    const expiresAtMs = this.clock.now().getTime() + answer.expiresIn * 1000;
    this.cache.set(cacheKey, { accessToken: answer.accessToken, expiresAtMs, claims });
    return { accessToken: answer.accessToken, expiresIn: answer.expiresIn, claims };
  }

  private async request(registered: CachedOAuthServer, endpoint: string, tenant: string, resource: string, delegation: boolean): Promise<{ accessToken: CompactJws; expiresIn: number }> {
    const { server } = registered;
    const url = new URL(endpoint);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (url.protocol !== 'https:' || !server.metadataHostAllowList.includes(host)) {
      throw new ServerError(`the issuance endpoint of OAuth server ${server.identity} is not an https URL on its host allow-list`, 'broker_endpoint_not_allowed');
    }
    const configuration = this.oauthConfiguration.cached();
    const key = this.signer.keyFor(configuration.realm ?? '');
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const principal = `${configuration.serviceName}@${tenant}`;
    const brokerPrincipal = server.issuer.slice(0, server.issuer.lastIndexOf('@'));
    const assertion = await this.signer.sign(key, 'JWT', {
      aud: `${brokerPrincipal}/${url.host}@${tenant}`,
      iss: principal,
      nbf: now,
      exp: now + ASSERTION_LIFETIME_SECONDS,
      nameid: principal,
      ...(delegation ? { trustedfordelegation: 'true' } : {}),
    });
    const body = new URLSearchParams({ grant_type: JWT_BEARER_1_0, client_id: principal, assertion, resource }).toString();
    let status: number;
    let text: string;
    try {
      ({ status, text } = await post(url, body, server.metadataCaBundle));
    } catch (error) {
      this.logger.warn({ server: server.identity, error: (error as Error).message }, 'trust-broker request failed');
      throw new TemporarilyUnavailableError(`OAuth server ${server.identity} could not be reached`, 'broker_unreachable');
    }
    let answer: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) answer = parsed as Record<string, unknown>;
    } catch {
      answer = null;
    }
    if (status === 200 && answer !== null && typeof answer.access_token === 'string') {
      const expiresIn = Number(answer.expires_in);
      if (!Number.isInteger(expiresIn) || expiresIn <= 0) throw new ServerError(`OAuth server ${server.identity} answered without a valid expires_in`, 'broker_answer_invalid');
      // The broker's signed token, handed on as it came (the partner verifies it; we only relay it).
      return { accessToken: answer.access_token as CompactJws, expiresIn };
    }
    if (answer !== null && typeof answer.error === 'string') {
      const error = RFC6749_ERRORS.includes(answer.error) ? answer.error : 'invalid_grant';
      const description = typeof answer.error_description === 'string' ? answer.error_description.slice(0, 500) : `OAuth server ${server.identity} refused the request (${answer.error})`;
      this.logger.warn({ server: server.identity, status, error: answer.error, description }, 'trust broker refused the token request');
      throw new BrokerRefusedError(error, description, `broker_${error}`);
    }
    throw new ServerError(`OAuth server ${server.identity} answered ${status} without a token or an OAuth error`, 'broker_answer_invalid');
  }
}

/**
 * The claims of the actor token a broker answered a delegation request with: a well-formed signed
 * JWT (the strict pre-parser) with the `aud` and `nameid` the outer token copies, and
 * `trustedfordelegation: "true"`; the partner would refuse a user wrapped around anything else.
 *
 * @throws ServerError (`broker_answer_invalid`), BrokerRefusedError (`broker_delegation_not_granted`).
 */
function delegationClaims(server: string, token: CompactJws): Record<string, unknown> {
  let claims: Record<string, unknown>;
  try {
    claims = parseCompactJwt(token).payload;
  } catch (error) {
    if (error instanceof JwtFormatError) throw new ServerError(`OAuth server ${server} answered a token that is not a signed JWT (${error.reason})`, 'broker_answer_invalid');
    throw error;
  }
  if (typeof claims.aud !== 'string' || typeof claims.nameid !== 'string') throw new ServerError(`OAuth server ${server} answered an actor token without aud or nameid`, 'broker_answer_invalid');
  if (claims.trustedfordelegation !== 'true') {
    throw new BrokerRefusedError('invalid_grant', `OAuth server ${server} issued an actor token that is not trusted for delegation: the tenant does not let this service act for users`, 'broker_delegation_not_granted');
  }
  return claims;
}

/** One form POST over verified TLS; the answer's status and text (at most 64 KiB). */
function post(url: URL, body: string, caBundle: string | null): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
        ca: caBundle === null ? undefined : [...rootCertificates, caBundle],
        timeout: TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) outgoing.destroy(new Error('the answer is too large'));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
