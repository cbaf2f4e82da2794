import { OutputFormatter } from '../common/output.formatter.js';
import type { PartnerApplication } from './partner-application.dto.js';
import {
  formatLastSuccess,
  formatMetadataStatus,
  metadataStatusKind,
  refreshWarning,
  renderPartnerApplication,
  renderPartnerApplicationList,
  renderPartnerRefresh,
  renderPartnerRemoved,
} from './partner-application.render.js';

const formatter = new OutputFormatter();
const NOW = new Date('2025-06-01T00:00:00.000Z');
const APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const URL = 'https://mail.contoso.com/autodiscover/metadata/json/1';

const EXCHANGE: PartnerApplication = {
  identity: 'microsoft.exchange',
  applicationIdentifier: APP_ID,
  realm: 'contoso.com',
  metadataUrl: URL,
  hostAuthority: 'mail.contoso.com',
  trustLevel: 'Full',
  acceptSecurityIdentifierInformation: false,
  sourceAddresses: [],
  keyChangePolicy: 'accept',
  useOAuthServer: null,
  acceptedDomains: [],
  pendingKeys: [],
  enabled: true,
  hasMetadataCaBundle: false,
  metadataHostAllowList: ['mail.contoso.com'],
  allowHttpMetadata: false,
  keys: [
    { x5t: 'x5t-current', notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z' },
    { x5t: 'x5t-old', notBefore: '2023-01-01T00:00:00.000Z', notAfter: '2025-01-01T00:00:00.000Z' },
  ],
  metadataStatus: { lastAttemptAt: '2025-05-31T23:00:00.000Z', lastSuccessAt: '2025-05-31T23:00:00.000Z', lastError: null, reviewReason: null },
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-05-31T23:00:00.000Z',
};

const PINNED: PartnerApplication = {
  ...EXCHANGE,
  identity: 'fabrikam.app',
  applicationIdentifier: '2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f',
  realm: 'fabrikam.com',
  metadataUrl: null,
  hostAuthority: null,
  trustLevel: 'Application',
  metadataHostAllowList: [],
  keys: [EXCHANGE.keys[0]],
  metadataStatus: { lastAttemptAt: null, lastSuccessAt: null, lastError: null, reviewReason: null },
};

const FAILED: PartnerApplication = {
  ...EXCHANGE,
  metadataStatus: { ...EXCHANGE.metadataStatus, lastAttemptAt: '2025-06-01T00:00:00.000Z', lastError: 'connect ECONNREFUSED\n10.0.0.5:443' },
};

const REVIEW_REASON = 'the metadata now names 1@fabrikam.com instead of 00000002-0000-0ff1-ce00-000000000000@contoso.com; re-create the partner to accept it';
const REVIEW: PartnerApplication = {
  ...EXCHANGE,
  metadataStatus: { ...EXCHANGE.metadataStatus, lastError: REVIEW_REASON, reviewReason: REVIEW_REASON },
};

describe('partner application rendering', () => {
  it('status: review before error before ok; one line', () => {
    expect([EXCHANGE, FAILED, REVIEW].map(metadataStatusKind)).toEqual(['ok', 'error', 'review']);
    expect(formatMetadataStatus(EXCHANGE)).toBe('ok');
    expect(formatMetadataStatus(FAILED)).toBe('error: connect ECONNREFUSED 10.0.0.5:443');
    expect(formatMetadataStatus(REVIEW)).toBe(`review: ${REVIEW_REASON}`);
    expect(formatMetadataStatus({ metadataStatus: { ...FAILED.metadataStatus, lastError: 'bad \u001b[31m' } })).toBe('error: bad ?[31m');
  });

  it('last success: the time, never, or nothing for pinned certificates', () => {
    expect(formatLastSuccess(EXCHANGE)).toBe('2025-05-31T23:00:00.000Z');
    expect(formatLastSuccess({ metadataUrl: URL, metadataStatus: { ...EXCHANGE.metadataStatus, lastSuccessAt: null } })).toBe('never');
    expect(formatLastSuccess(PINNED)).toBeNull();
  });

  it('lists partners', () => {
    expect(renderPartnerApplicationList(formatter, { items: [EXCHANGE, PINNED, FAILED] }).split('\n')).toEqual([
      'IDENTITY            APPLICATION ID                        REALM         TRUST        ENABLED  KEYS  LAST SUCCESS              STATUS',
      `microsoft.exchange  ${APP_ID}  contoso.com   Full         yes      2     2025-05-31T23:00:00.000Z  ok`,
      'fabrikam.app        2e8fe2ca-8b21-4d1a-9c7e-7f2b3c4d5e6f  fabrikam.com  Application  yes      1     -                         ok',
      `microsoft.exchange  ${APP_ID}  contoso.com   Full         yes      2     2025-05-31T23:00:00.000Z  error: connect ECONNREFUSED 10.0.0.5:443`,
      '',
    ]);
  });

  it('shows a metadata partner with its keys (expired marked) and metadata state', () => {
    expect(renderPartnerApplication(formatter, EXCHANGE, NOW).split('\n')).toEqual([
      'identity        microsoft.exchange',
      `application-id  ${APP_ID}`,
      'realm           contoso.com',
      `metadata-url    ${URL}`,
      'host-authority  mail.contoso.com',
      'trust-level     Full',
      'accept-sid      no',
      'source-address  -',
      'key-changes     accept',
      'enabled         yes',
      'metadata-ca     system store',
      'metadata-hosts  mail.contoso.com',
      'allow-http      no',
      'created-at      2025-01-01T00:00:00.000Z',
      'updated-at      2025-05-31T23:00:00.000Z',
      '',
      'keys:',
      '  X5T          NOT BEFORE                NOT AFTER',
      '  x5t-current  2025-01-01T00:00:00.000Z  2027-01-01T00:00:00.000Z',
      '  x5t-old      2023-01-01T00:00:00.000Z  2025-01-01T00:00:00.000Z (expired)',
      '',
      'metadata:',
      '  status        ok',
      '  last-attempt  2025-05-31T23:00:00.000Z',
      '  last-success  2025-05-31T23:00:00.000Z',
      '  last-error    -',
      '  review        -',
      '',
    ]);
  });

  it('shows the key-change policy and the keys held for review', () => {
    const held = renderPartnerApplication(formatter, { ...EXCHANGE, keyChangePolicy: 'review', pendingKeys: [{ x5t: 'x5t-new', notBefore: '2025-05-01T00:00:00.000Z', notAfter: '2027-05-01T00:00:00.000Z' }] }, NOW);
    expect(held).toContain('key-changes     review\npending-keys    x5t-new (approve-keys to trust)\n');
  });

  it('shows a pinned partner without the metadata settings', () => {
    const text = renderPartnerApplication(formatter, { ...PINNED, keys: [] }, NOW);
    expect(text).toContain('metadata-url    -\nhost-authority  -\n');
    expect(text).not.toContain('metadata-hosts');
    expect(text).toContain('\nkeys: (none)\n\nmetadata: none (pinned certificates)\n');
  });

  it('refresh: the outcome, keys and status; the warning for stderr', () => {
    const failed = renderPartnerRefresh(formatter, FAILED, NOW);
    expect(failed.split('\n')[0]).toBe('refresh of microsoft.exchange: error (the last known good keys were kept)');
    expect(failed).toContain('  last-error    connect ECONNREFUSED 10.0.0.5:443\n');
    expect(renderPartnerRefresh(formatter, EXCHANGE, NOW)).toMatch(/^refresh of microsoft.exchange: ok\n\nkeys:\n {2}X5T/);
    expect(renderPartnerRefresh(formatter, REVIEW, NOW)).toMatch(/^refresh of microsoft.exchange: review needed \(the new document was not applied; /);
    expect(refreshWarning(EXCHANGE)).toBeUndefined();
    expect(refreshWarning(FAILED)).toBe('connect ECONNREFUSED 10.0.0.5:443');
    expect(refreshWarning(REVIEW)).toBe(REVIEW_REASON);
  });

  it('remove names the partner', () => {
    expect(renderPartnerRemoved(EXCHANGE)).toBe(`removed partner application microsoft.exchange (${APP_ID}@contoso.com)\n`);
  });
});
