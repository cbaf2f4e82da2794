import { MetadataFetchError } from '@s2s/trusted-issuers';
import { REASON_HINTS, step } from './connectivity-report.js';
import { fetchReason } from './connectivity.tester.js';

describe('connectivity test reasons', () => {
  it.each([
    [new MetadataFetchError('network', 'x', 'ECONNREFUSED'), 'connection_refused'],
    [new MetadataFetchError('network', 'x', 'ENOTFOUND'), 'dns_failed'],
    [new MetadataFetchError('network', 'x', 'EAI_AGAIN'), 'dns_failed'],
    [new MetadataFetchError('network', 'x', 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls_untrusted'],
    [new MetadataFetchError('network', 'x', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls_untrusted'],
    [new MetadataFetchError('network', 'x', 'ERR_TLS_CERT_ALTNAME_INVALID'), 'tls_name_mismatch'],
    [new MetadataFetchError('network', 'x', 'CERT_HAS_EXPIRED'), 'tls_certificate_expired'],
    [new MetadataFetchError('network', 'x', 'ERR_SSL_WRONG_VERSION_NUMBER'), 'tls_failed'],
    [new MetadataFetchError('network', 'x', 'ECONNRESET'), 'connection_failed'],
    [new MetadataFetchError('network', 'x'), 'connection_failed'],
    [new MetadataFetchError('http_status', 'x'), 'http_status'],
    [new MetadataFetchError('timeout', 'x'), 'timeout'],
    [new MetadataFetchError('address_refused', 'x'), 'address_refused'],
    [new Error('other'), 'connection_failed'],
  ])('%s → %s', (error, reason) => {
    expect(fetchReason(error)).toBe(reason);
  });

  it('gives every reason it can produce a one-line hint', () => {
    for (const reason of ['connection_refused', 'dns_failed', 'tls_untrusted', 'tls_name_mismatch', 'tls_certificate_expired', 'tls_failed', 'connection_failed', 'http_status', 'timeout', 'address_refused', 'url_refused', 'redirect_refused', 'too_large', 'not_json']) {
      expect(REASON_HINTS[reason]).toMatch(/^[^\n]+$/);
    }
  });

  it('a passed step has no reason and no hint; a failed one the hint of its reason', () => {
    expect(step('dns', 'pass', 'ok', 'dns_failed')).toEqual({ step: 'dns', status: 'pass', reason: null, detail: 'ok', hint: null });
    expect(step('download', 'fail', 'refused', 'connection_refused')).toEqual({ step: 'download', status: 'fail', reason: 'connection_refused', detail: 'refused', hint: REASON_HINTS.connection_refused });
  });
});
