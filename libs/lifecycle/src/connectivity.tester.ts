import { Injectable } from '@nestjs/common';
import { Clock, InvalidInputError } from '@s2s/core';
import { METADATA_NAME } from '@s2s/metadata';
import { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { OAuthServerService } from '@s2s/oauth-servers';
import { OAuthError } from '@s2s/oauth-wire';
import { type PartnerApplication, PartnerApplicationService } from '@s2s/partners';
import { PartnerTokenMinter } from '@s2s/token-issuer';
import {
  type CertificateKey,
  describeOAuthServer,
  type DownloadedDocument,
  downloadMetadataDocument,
  fetchPolicyOf,
  guardedGet,
  MetadataFetchError,
  type MetadataFetchPolicy,
  parseJwks,
  parseMicrosoftMetadata,
  type PublicSigningKey,
  resolveMetadataHost,
  tlsHandshake,
} from '@s2s/trusted-issuers';
import { type ConnectivityReport, type ConnectivityStep, type ProbeResult, step } from './connectivity-report.js';

const MS_PER_DAY = 86_400_000;
const PROBE_BODY_LIMIT = 2048;

export interface PartnerTestOptions {
  /** Also mint an outer token for this user (UPN) and present it. */
  user?: string;
  /** Where to present the token; default: the partner's /s2s/whoami when it is an s2s-trust installation. */
  probeUrl?: string;
}

/** A key as the keys step looks at it: an id and its validity, when known. */
interface KeyValidity {
  id: string;
  notBefore: Date | null;
  notAfter: Date | null;
}

/**
 * Connectivity tests (issue 16; Exchange's `Test-OAuthConnectivity`, Skype's
 * `Test-CsExStorageConnectivity`): every step from name resolution to the partner's verdict on a
 * token we minted for it, each with pass/fail, a reason code and a one-line hint. Downloads go
 * through the trusted-issuer library's guarded fetcher and parsers (never from the cache) and
 * change nothing: a test stores no keys, status or audit event.
 */
@Injectable()
export class ConnectivityTester {
  constructor(
    private readonly partners: PartnerApplicationService,
    private readonly oauthServers: OAuthServerService,
    private readonly minter: PartnerTokenMinter,
    private readonly oauthConfiguration: OAuthConfigurationService,
    private readonly clock: Clock,
  ) {}

  /** @throws NotFoundError for an unknown partner; InvalidInputError for a `user` that is not an address. */
  async testPartner(identity: string, options: PartnerTestOptions = {}): Promise<ConnectivityReport> {
    if (options.user !== undefined && !/^[^@\s]+@[^@\s]+$/.test(options.user)) throw InvalidInputError.forField('user', 'must be a user principal name such as alice@contoso.com');
    const partner = await this.partners.get(identity);
    const steps: ConnectivityStep[] = [];
    const report = this.newReport('partner-application', partner.identity, steps);
    if (partner.useOAuthServer !== null) {
      // Its keys and tokens are its OAuth server's (issue 21): that server is what can be tested.
      const detail = `partner ${partner.identity} uses OAuth server ${partner.useOAuthServer}: test that server (s2sctl oauth-server test ${partner.useOAuthServer})`;
      for (const name of ['dns', 'tls', 'download', 'parse', 'issuer', 'keys', 'clock', 'actor-token', 'probe'] as const) steps.push(step(name, 'skip', detail, 'uses_oauth_server'));
      return this.finish(report);
    }
    let downloaded: DownloadedDocument | null = null;
    let keys: CertificateKey[] | null = null;
    if (partner.metadataUrl === null) {
      for (const name of ['dns', 'tls', 'download', 'parse', 'issuer'] as const) steps.push(step(name, 'skip', 'registered with pinned certificates', 'no_metadata_url'));
      keys = partner.keys;
    } else {
      downloaded = await this.fetchSteps(partner.metadataUrl, fetchPolicyOf(partner), steps);
      if (downloaded) {
        try {
          const metadata = parseMicrosoftMetadata(downloaded.document);
          steps.push(step('parse', 'pass', `${metadata.keys.length} usable signing key(s), issuer ${metadata.issuer}`));
          keys = metadata.keys;
          if (metadata.serviceName !== partner.applicationIdentifier || metadata.realm !== partner.realm) {
            steps.push(step('issuer', 'fail', `the metadata names ${metadata.serviceName}@${metadata.realm}, registered is ${partner.applicationIdentifier}@${partner.realm}`, 'issuer_changed'));
          } else if (partner.metadataStatus.reviewReason) {
            steps.push(step('issuer', 'fail', partner.metadataStatus.reviewReason, 'review_pending'));
          } else {
            steps.push(step('issuer', 'pass', `${metadata.serviceName}@${metadata.realm}, as registered`));
          }
        } catch (error) {
          steps.push(step('parse', 'fail', (error as Error).message, 'metadata_invalid'));
          steps.push(step('issuer', 'skip', 'nothing to compare', 'previous_step_failed'));
        }
      } else {
        steps.push(step('parse', 'skip', 'nothing downloaded', 'previous_step_failed'));
        steps.push(step('issuer', 'skip', 'nothing downloaded', 'previous_step_failed'));
      }
    }
    if (keys === null) steps.push(step('keys', 'skip', 'no document to read keys from', 'previous_step_failed'));
    else steps.push(this.partnerKeysStep(partner, keys, report));
    steps.push(this.clockStep(downloaded, partner.metadataUrl === null ? 'no_metadata_url' : 'previous_step_failed', report));
    const tokens = await this.tokenSteps(partner, options.user, steps);
    await this.probeStep(partner, options.probeUrl, downloaded, tokens, steps, report);
    return this.finish(report);
  }

  /** @throws NotFoundError for an unknown OAuth server. */
  async testOAuthServer(identity: string): Promise<ConnectivityReport> {
    const server = await this.oauthServers.get(identity);
    const steps: ConnectivityStep[] = [];
    const report = this.newReport('oauth-server', server.identity, steps);
    const policy = fetchPolicyOf(server);
    const downloaded = await this.fetchSteps(server.metadataUrl, policy, steps);
    let keys: PublicSigningKey[] | null = null;
    if (!downloaded) {
      steps.push(step('parse', 'skip', 'nothing downloaded', 'previous_step_failed'), step('issuer', 'skip', 'nothing downloaded', 'previous_step_failed'));
    } else {
      try {
        const description = describeOAuthServer(downloaded.document, server.metadataUrl, server.issuer);
        if (description.type === 'acs') {
          keys = description.keys;
          steps.push(step('parse', 'pass', `ACS metadata with ${keys.length} usable signing key(s)`));
        } else {
          // The JWKS is part of what the server publishes: downloaded now, through the same guards.
          keys = parseJwks((await downloadMetadataDocument(description.jwksUri, policy)).document);
          steps.push(step('parse', 'pass', `discovery document and JWKS (${description.jwksUri}) with ${keys.length} usable signing key(s)`));
        }
        steps.push(
          description.issuer === server.issuer
            ? server.metadataStatus.reviewReason
              ? step('issuer', 'fail', server.metadataStatus.reviewReason, 'review_pending')
              : step('issuer', 'pass', `${description.issuer}, as registered`)
            : step('issuer', 'fail', `the metadata names issuer ${description.issuer}, registered is ${server.issuer}`, 'issuer_changed'),
        );
      } catch (error) {
        steps.push(step('parse', 'fail', (error as Error).message, error instanceof MetadataFetchError ? fetchReason(error) : 'metadata_invalid'));
        steps.push(step('issuer', 'skip', 'nothing to compare', 'previous_step_failed'));
      }
    }
    if (keys === null) steps.push(step('keys', 'skip', 'no document to read keys from', 'previous_step_failed'));
    else steps.push(this.keysStep(keys.map((key) => ({ id: key.kid ?? key.x5t ?? '(no kid)', notBefore: null, notAfter: key.notAfter })), report, ''));
    steps.push(this.clockStep(downloaded, 'previous_step_failed', report));
    for (const name of ['actor-token', 'outer-token', 'probe'] as const) steps.push(step(name, 'skip', 'we validate its tokens; we send it none', 'not_applicable'));
    return this.finish(report);
  }

  private newReport(kind: ConnectivityReport['kind'], identity: string, steps: ConnectivityStep[]): ConnectivityReport {
    return { kind, identity, testedAt: this.clock.now(), passed: false, failedStep: null, steps, daysToEarliestKeyExpiry: null, clockDifferenceSeconds: null, probe: null };
  }

  private finish(report: ConnectivityReport): ConnectivityReport {
    const failed = report.steps.find((candidate) => candidate.status === 'fail');
    report.failedStep = failed?.step ?? null;
    report.passed = failed === undefined;
    return report;
  }

  /** `dns`, `tls` and `download` (now, not from the cache) of a metadata URL; the document when it came. */
  private async fetchSteps(url: string, policy: MetadataFetchPolicy, steps: ConnectivityStep[]): Promise<DownloadedDocument | null> {
    let addresses: string[];
    try {
      addresses = await resolveMetadataHost(url, policy);
      steps.push(step('dns', 'pass', `${new URL(url).hostname} → ${addresses.join(', ')}`));
    } catch (error) {
      steps.push(step('dns', 'fail', (error as Error).message, fetchReason(error)));
      steps.push(step('tls', 'skip', 'no address to connect to', 'previous_step_failed'), step('download', 'skip', 'no address to connect to', 'previous_step_failed'));
      return null;
    }
    try {
      const handshake = await tlsHandshake(url, addresses[0]!, policy);
      steps.push(
        step('tls', 'pass', handshake ? `${handshake.protocol ?? 'TLS'}, certificate verified for ${new URL(url).hostname}${handshake.certificateNotAfter ? `, valid until ${handshake.certificateNotAfter.toISOString()}` : ''}` : 'plain http (lab setting allowHttpMetadata): no TLS'),
      );
    } catch (error) {
      steps.push(step('tls', 'fail', (error as Error).message, fetchReason(error)));
    }
    // Downloaded even when the handshake failed: the download's own reason is evidence too.
    try {
      const downloaded = await downloadMetadataDocument(url, policy);
      steps.push(step('download', 'pass', `HTTP 200 from ${url}, downloaded now`));
      return downloaded;
    } catch (error) {
      steps.push(step('download', 'fail', (error as Error).message, fetchReason(error)));
      return null;
    }
  }

  /** The partner's keys: the downloaded (or pinned) ones within their validity, and what `review` would hold. */
  private partnerKeysStep(partner: PartnerApplication, keys: CertificateKey[], report: ConnectivityReport): ConnectivityStep {
    let note = '';
    if (partner.metadataUrl !== null && partner.keyChangePolicy === 'review') {
      const trusted = new Set(partner.keys.map((key) => key.x5t));
      const held = keys.filter((key) => !trusted.has(key.x5t));
      if (held.length > 0) {
        const now = this.clock.now();
        const trustedValid = keys.filter((key) => trusted.has(key.x5t) && key.notBefore <= now && now < key.notAfter);
        if (trustedValid.length === 0) return step('keys', 'fail', `every valid key it publishes is held for review (${held.map((key) => key.x5t).join(', ')})`, 'keys_pending_review');
        note = `; ${held.length} key(s) held for review (${held.map((key) => key.x5t).join(', ')})`;
      }
    }
    return this.keysStep(keys.map((key) => ({ id: key.x5t, notBefore: key.notBefore, notAfter: key.notAfter })), report, note);
  }

  /** Keys present and within their validity; days to the earliest expiry of a valid key. */
  private keysStep(keys: KeyValidity[], report: ConnectivityReport, note: string): ConnectivityStep {
    if (keys.length === 0) return step('keys', 'fail', 'no signing key', 'no_keys');
    const now = this.clock.now();
    const valid = keys.filter((key) => (key.notBefore === null || key.notBefore <= now) && (key.notAfter === null || now < key.notAfter));
    if (valid.length === 0) {
      const described = keys.map((key) => `${key.id} ${key.notAfter && key.notAfter <= now ? `expired ${key.notAfter.toISOString()}` : `not valid before ${key.notBefore?.toISOString()}`}`);
      return step('keys', 'fail', `no key is within its validity: ${described.join('; ')}`, 'no_valid_key');
    }
    const expiries = valid.map((key) => key.notAfter).filter((date): date is Date => date !== null);
    const outside = keys.length - valid.length;
    if (expiries.length === 0) return step('keys', 'pass', `${valid.length} valid key(s)${outside ? `, ${outside} outside validity` : ''} (no expiry published)${note}`);
    const earliest = new Date(Math.min(...expiries.map((date) => date.getTime())));
    report.daysToEarliestKeyExpiry = Math.floor((earliest.getTime() - now.getTime()) / MS_PER_DAY);
    return step('keys', 'pass', `${valid.length} valid key(s)${outside ? `, ${outside} outside validity` : ''}; earliest expiry ${earliest.toISOString()} (${report.daysToEarliestKeyExpiry} days)${note}`);
  }

  /** The partner's HTTP `Date` against our clock, within the configured clock skew. */
  private clockStep(downloaded: DownloadedDocument | null, skipReason: string, report: ConnectivityReport): ConnectivityStep {
    if (!downloaded) return step('clock', 'skip', 'no answer to read a Date from', skipReason);
    const theirs = downloaded.date ? Date.parse(downloaded.date) : Number.NaN;
    if (Number.isNaN(theirs)) return step('clock', 'fail', 'no usable HTTP Date header in the answer', 'date_missing');
    // HTTP dates have whole seconds: compare with ours rounded down the same way.
    const difference = Math.round((theirs - Math.floor(this.clock.now().getTime() / 1000) * 1000) / 1000);
    report.clockDifferenceSeconds = difference;
    const skew = this.oauthConfiguration.cached().clockSkewSeconds;
    const detail = `partner clock ${difference >= 0 ? '+' : ''}${difference} s from ours (allowed skew ${skew} s)`;
    return Math.abs(difference) > skew ? step('clock', 'fail', detail, 'clock_skew') : step('clock', 'pass', detail);
  }

  /** `actor-token`, and `outer-token` for `user`: minted as the token endpoint would, by this service itself. */
  private async tokenSteps(partner: PartnerApplication, user: string | undefined, steps: ConnectivityStep[]): Promise<{ actor: string | null; outer: string | null }> {
    const principal = this.oauthConfiguration.cached().serviceName;
    let actor: string | null = null;
    try {
      const minted = await this.minter.mint(partner, principal, null);
      actor = minted.actorToken;
      const claims = JSON.parse(Buffer.from(actor.split('.')[1]!, 'base64url').toString('utf8')) as { aud: string };
      steps.push(step('actor-token', 'pass', `minted for ${claims.aud}, valid ${minted.actorLifetimeSeconds} s`));
    } catch (error) {
      steps.push(step('actor-token', 'fail', (error as Error).message, error instanceof OAuthError ? error.reason : 'mint_failed'));
    }
    if (user === undefined) {
      steps.push(step('outer-token', 'skip', 'no --user given', 'not_requested'));
      return { actor, outer: null };
    }
    if (actor === null) {
      steps.push(step('outer-token', 'skip', 'no actor token', 'previous_step_failed'));
      return { actor, outer: null };
    }
    try {
      const minted = await this.minter.mint(partner, principal, { upn: user });
      steps.push(step('outer-token', 'pass', `minted for ${user} (trust level ${partner.trustLevel}), valid ${minted.outerLifetimeSeconds} s`));
      return { actor, outer: minted.outerToken };
    } catch (error) {
      steps.push(step('outer-token', 'fail', (error as Error).message, error instanceof OAuthError ? error.reason : 'mint_failed'));
      return { actor, outer: null };
    }
  }

  /**
   * Presents the token (the outer one with `--user`) at the probe URL and shows the partner's
   * verdict. The URL must be on the partner's metadata host allow-list or be its host authority:
   * a token minted for the partner goes only to the partner.
   */
  private async probeStep(
    partner: PartnerApplication,
    probeUrl: string | undefined,
    downloaded: DownloadedDocument | null,
    tokens: { actor: string | null; outer: string | null },
    steps: ConnectivityStep[],
    report: ConnectivityReport,
  ): Promise<void> {
    if (probeUrl === undefined && partner.metadataUrl !== null && downloaded === null) {
      return void steps.push(step('probe', 'skip', 'its metadata (which tells whether it is an s2s-trust installation with /s2s/whoami) was not downloaded', 'previous_step_failed'));
    }
    const isS2sTrust = (downloaded?.document as { name?: unknown } | null | undefined)?.name === METADATA_NAME;
    const url = probeUrl ?? (isS2sTrust && partner.metadataUrl ? new URL('/s2s/whoami', partner.metadataUrl).toString() : null);
    if (url === null) return void steps.push(step('probe', 'skip', 'no probe URL', 'no_probe_url'));
    const token = tokens.outer ?? tokens.actor;
    if (token === null || (tokens.outer === null && steps.some((candidate) => candidate.step === 'outer-token' && candidate.status === 'fail'))) {
      return void steps.push(step('probe', 'skip', 'no token to present', 'previous_step_failed'));
    }
    const policy = fetchPolicyOf(partner);
    const hostAuthority = partner.hostAuthority?.replace(/:\d+$/, '').toLowerCase();
    const allowed: MetadataFetchPolicy = { ...policy, hostAllowList: [...policy.hostAllowList, ...(hostAuthority ? [hostAuthority] : [])] };
    try {
      const answer = await guardedGet(url, allowed, { authorization: `Bearer ${token}`, accept: 'application/json' });
      const probe: ProbeResult = {
        url,
        status: answer.status,
        wwwAuthenticate: answer.headers['www-authenticate'] ?? null,
        diagnostics: answer.headers['x-s2s-diagnostics'] ?? null,
        body: answer.body.subarray(0, PROBE_BODY_LIMIT).toString('utf8'),
      };
      report.probe = probe;
      const as = tokens.outer ? `outer token for ${(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { nameid: string }).nameid}` : 'actor token';
      if (answer.status >= 200 && answer.status < 300) steps.push(step('probe', 'pass', `${url} accepted the ${as}: HTTP ${answer.status}`));
      else steps.push(step('probe', 'fail', `${url} answered HTTP ${answer.status} to the ${as}${probe.diagnostics ? `: ${probe.diagnostics}` : ''}`, 'probe_refused'));
    } catch (error) {
      const reason = error instanceof MetadataFetchError && (error.reason === 'url_refused' || error.reason === 'address_refused') ? 'probe_url_refused' : 'probe_unreachable';
      steps.push(step('probe', 'fail', `${url}: ${(error as Error).message}`, reason));
    }
  }
}

/** The reason code of a failed download or connection: the fetcher's own, or the system/TLS error class. */
export function fetchReason(error: unknown): string {
  if (!(error instanceof MetadataFetchError)) return 'connection_failed';
  if (error.reason !== 'network') return error.reason;
  const code = error.systemCode ?? '';
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL'].includes(code)) return 'dns_failed';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls_name_mismatch';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'tls_certificate_expired';
  if (['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE'].includes(code)) return 'tls_untrusted';
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT')) return 'tls_failed';
  return 'connection_failed';
}
