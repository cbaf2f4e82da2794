/** What one step of a connectivity test found. */
export type StepStatus = 'pass' | 'fail' | 'skip';

/** The steps of `partner-application test` / `oauth-server test`, in order. */
export const CONNECTIVITY_STEPS = ['dns', 'tls', 'download', 'parse', 'issuer', 'keys', 'clock', 'actor-token', 'outer-token', 'probe'] as const;
export type ConnectivityStepName = (typeof CONNECTIVITY_STEPS)[number];

export interface ConnectivityStep {
  step: ConnectivityStepName;
  status: StepStatus;
  /** Stable reason code for a failed or skipped step; null when it passed. */
  reason: string | null;
  /** One line: what was found. */
  detail: string;
  /** One line: what to do about a failure; null when it passed. */
  hint: string | null;
}

/** What the partner answered at the probe URL (its verdict on our token). */
export interface ProbeResult {
  url: string;
  status: number;
  wwwAuthenticate: string | null;
  diagnostics: string | null;
  /** The start of the answer (at most 2 KiB), for a partner that explains itself in the body. */
  body: string;
}

/** A whole connectivity test. `passed` is true only when no step failed. */
export interface ConnectivityReport {
  kind: 'partner-application' | 'oauth-server';
  identity: string;
  testedAt: Date;
  passed: boolean;
  /** The first failed step, or null. */
  failedStep: ConnectivityStepName | null;
  steps: ConnectivityStep[];
  /** Whole days until the earliest valid key expires, when keys were looked at. */
  daysToEarliestKeyExpiry: number | null;
  /** Partner clock minus ours, in whole seconds (from its HTTP Date), when known. */
  clockDifferenceSeconds: number | null;
  probe: ProbeResult | null;
}

/** The one-line hint for each reason code (the README's "What each status and test failure means" lists the same). */
export const REASON_HINTS: Readonly<Record<string, string>> = {
  no_metadata_url: 'the partner has pinned certificates: nothing to download; its keys are checked as pinned',
  url_refused: 'the URL is not https, carries credentials, or its host is not on the host allow-list (--metadata-host)',
  address_refused: 'the host resolves to a loopback, link-local, multicast or unspecified address; allow that exact IP with --metadata-host if it is intended',
  dns_failed: 'the host name does not resolve from this server: check DNS (or /etc/hosts) for the host of the URL',
  connection_refused: 'nothing listens at that address and port: is the partner running, and is a firewall in the way?',
  connection_failed: 'the connection could not be made (network unreachable, reset): check routing and firewalls',
  timeout: 'no complete answer within 5 s: check the partner is up and reachable, and proxies or firewalls on the way',
  tls_untrusted: "the partner's TLS certificate does not chain to a trusted CA: add its CA with --metadata-ca-file",
  tls_name_mismatch: "the partner's TLS certificate does not name the host of the URL: use a URL with a name the certificate covers",
  tls_certificate_expired: "the partner's TLS certificate has expired (or is not yet valid): the partner must renew it",
  tls_failed: 'the TLS handshake failed: check the partner serves TLS on that port with a usable protocol and certificate',
  redirect_refused: 'the URL redirects to another origin (not followed): register the final URL instead',
  http_status: 'the metadata URL did not answer 200: check the path (e.g. /metadata/json/1) on the partner',
  too_large: 'the document is larger than 256 KiB: this is not a metadata document',
  not_json: 'the URL did not answer JSON: check the path; a login page or proxy error page is not metadata',
  metadata_invalid: 'the document is not a usable metadata document (no issuer/realm, no usable RSA ≥ 2048 signing certificate)',
  issuer_changed: 'the document names another issuer (application identifier or realm) than the one registered: re-create the partner or OAuth server if the change is intended',
  review_pending: 'a refresh flagged the metadata for review: re-create the partner or OAuth server (remove, new) to accept the new issuer',
  no_keys: 'no signing key is trusted for it: refresh it or pin its certificate',
  no_valid_key: 'every key is outside its validity period: the partner must publish (or you must pin) a current certificate',
  keys_pending_review: 'the partner publishes keys held for review: check them, then s2sctl partner-application approve-keys',
  date_missing: 'the partner sent no HTTP Date header: its clock could not be compared',
  clock_skew: "the partner's clock differs from ours by more than the allowed clock skew: synchronise NTP on both servers",
  partner_disabled: 'the partner is disabled: enable it with partner-application set --enabled true',
  partner_host_missing: 'the partner has no host authority, so no audience can be built: partner-application set --host <host>',
  partner_refuses_users: 'the trust level does not allow users: partner-application set --trust-level Full (or User)',
  no_signing_certificate: 'this server has no usable token-issuer certificate: certificate assign',
  realm_not_covered: "our token-issuer certificate does not name the partner's realm: assign one whose SANs include it",
  mint_failed: 'the token could not be minted: see the detail',
  no_probe_url: 'no probe URL: give --probe-url (a partner endpoint that accepts our tokens); s2s-trust partners are probed at /s2s/whoami by themselves',
  probe_url_refused: 'the probe URL must be https (http only when the partner allows http metadata) on the metadata host allow-list or the host authority',
  probe_unreachable: 'the probe URL could not be reached: see the detail',
  probe_refused: "the partner refused our token: its X-S2S-Diagnostics / WWW-Authenticate say why (often it has not registered us, or has not read our current metadata: ask it to refresh)",
  previous_step_failed: 'not run: an earlier step it depends on failed',
  not_requested: 'not run: only with --user',
  not_applicable: 'not run for this kind of issuer',
};

/** The step, with the hint of its reason. */
export function step(name: ConnectivityStepName, status: StepStatus, detail: string, reason: string | null = null): ConnectivityStep {
  return { step: name, status, reason: status === 'pass' ? null : reason, detail, hint: status === 'pass' || reason === null ? null : (REASON_HINTS[reason] ?? null) };
}
