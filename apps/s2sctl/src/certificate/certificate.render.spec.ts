import { OutputFormatter } from '../common/output.formatter.js';
import type { AssignedCertificate, Certificate, CertificateAssignment, RolloverStatus } from './certificate.dto.js';
import { assignmentWarnings, expiryWarnings, formatDaysLeft, renderAssignment, renderCertificate, renderCertificateList, renderCertificateRequest, renderRolloverStatus } from './certificate.render.js';

const formatter = new OutputFormatter();

const CERTIFICATE: Certificate = {
  thumbprint: '9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01',
  thumbprintSha256: '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0',
  x5t: 'mj9cfhstT2qMDpo_XH4bLU9qjAE',
  subject: 'CN=contoso.com',
  issuer: 'CN=Contoso Issuing CA',
  serialNumber: '01AB',
  dnsNames: ['contoso.com', 's2s.contoso.com'],
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2026-01-01T00:00:00.000Z',
  daysToExpiry: 300,
  expiresSoon: false,
  keyAlgorithm: 'RSA',
  keySizeBits: 2048,
  hasPrivateKey: true,
  source: 'request',
  chainLength: 2,
  assignment: 'current',
  createdAt: '2025-01-01T00:05:00.000Z',
};

const slot = (certificate: Certificate): AssignedCertificate => ({
  thumbprint: certificate.thumbprint,
  thumbprintSha256: certificate.thumbprintSha256,
  x5t: certificate.x5t,
  subject: certificate.subject,
  dnsNames: certificate.dnsNames,
  notBefore: certificate.notBefore,
  notAfter: certificate.notAfter,
  daysToExpiry: certificate.daysToExpiry,
  expiresSoon: certificate.expiresSoon,
});

describe('formatDaysLeft', () => {
  it.each([
    [300, false, '300'],
    [45, true, '45 (expires soon)'],
    [0, true, '0 (expires soon)'],
    [-1, true, 'expired'],
    [-400, false, 'expired'],
  ])('%d days, expiresSoon=%s -> %j', (daysToExpiry, expiresSoon, expected) => {
    expect(formatDaysLeft({ daysToExpiry, expiresSoon })).toBe(expected);
  });
});

describe('expiryWarnings', () => {
  it('counts expiring and expired certificates separately, in singular and plural', () => {
    expect(expiryWarnings([{ daysToExpiry: 300, expiresSoon: false }])).toEqual([]);
    expect(expiryWarnings([{ daysToExpiry: 45, expiresSoon: true }])).toEqual(['! 1 certificate expires within 60 days']);
    expect(
      expiryWarnings([
        { daysToExpiry: 45, expiresSoon: true },
        { daysToExpiry: 3, expiresSoon: true },
        { daysToExpiry: -2, expiresSoon: true },
      ]),
    ).toEqual(['! 2 certificates expire within 60 days', '! 1 certificate has expired']);
  });
});

describe('renderCertificateList', () => {
  it('prints the table with the expiring-soon mark and a warning line under it', () => {
    const text = renderCertificateList(formatter, {
      items: [
        CERTIFICATE,
        { ...CERTIFICATE, thumbprint: 'B'.repeat(40), subject: 'CN=old', dnsNames: ['contoso.com'], notAfter: '2025-03-01T00:00:00.000Z', daysToExpiry: 45, expiresSoon: true, assignment: 'previous' },
        { ...CERTIFICATE, thumbprint: 'C'.repeat(40), subject: 'CN=lab', dnsNames: [], notAfter: '2024-12-01T00:00:00.000Z', daysToExpiry: -31, expiresSoon: true, assignment: null },
      ],
    });
    expect(text.split('\n')).toEqual([
      'THUMBPRINT                                SUBJECT         DNS NAMES                    NOT AFTER                 DAYS LEFT          SLOT',
      '9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01  CN=contoso.com  contoso.com,s2s.contoso.com  2026-01-01T00:00:00.000Z  300                current',
      'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB  CN=old          contoso.com                  2025-03-01T00:00:00.000Z  45 (expires soon)  previous',
      'CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC  CN=lab          -                            2024-12-01T00:00:00.000Z  expired            -',
      '! 1 certificate expires within 60 days',
      '! 1 certificate has expired',
      '',
    ]);
  });

  it('prints only the header for an empty store', () => {
    expect(renderCertificateList(formatter, { items: [] })).toBe('THUMBPRINT  SUBJECT  DNS NAMES  NOT AFTER  DAYS LEFT  SLOT\n');
  });
});

describe('renderCertificate', () => {
  it('lists every field, with the slot or "(none)"', () => {
    expect(renderCertificate(formatter, { ...CERTIFICATE, certificatePem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' }).split('\n')).toEqual([
      'thumbprint         9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01',
      'thumbprint-sha256  0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0',
      'x5t                mj9cfhstT2qMDpo_XH4bLU9qjAE',
      'subject            CN=contoso.com',
      'issuer             CN=Contoso Issuing CA',
      'serial-number      01AB',
      'dns-names          contoso.com, s2s.contoso.com',
      'not-before         2025-01-01T00:00:00.000Z',
      'not-after          2026-01-01T00:00:00.000Z',
      'days-left          300',
      'key                RSA 2048 bits',
      'has-private-key    yes',
      'source             request',
      'chain-length       2',
      'slot               current',
      'created-at         2025-01-01T00:05:00.000Z',
      '',
    ]);
    expect(renderCertificate(formatter, { ...CERTIFICATE, assignment: null, hasPrivateKey: false })).toMatch(/has-private-key {4}no\n[\s\S]*slot {15}\(none\)\n/);
  });
});

describe('renderCertificateRequest', () => {
  const request = {
    id: '3f0c8a52-0000-4000-8000-000000000001',
    status: 'pending' as const,
    subject: 'CN=contoso.com',
    dnsNames: ['contoso.com'],
    keySizeBits: 2048,
    csr: '-----BEGIN CERTIFICATE REQUEST-----\nQ1NS\n-----END CERTIFICATE REQUEST-----',
    createdAt: '2025-01-01T00:00:00.000Z',
    completedAt: null,
    certificateThumbprint: null,
  };

  it('prints the summary, a blank line and the CSR with a final newline', () => {
    expect(renderCertificateRequest(formatter, request, { csr: true })).toBe(
      [
        'id          3f0c8a52-0000-4000-8000-000000000001',
        'status      pending',
        'subject     CN=contoso.com',
        'dns-names   contoso.com',
        'key         RSA 2048 bits',
        'created-at  2025-01-01T00:00:00.000Z',
        '',
        '-----BEGIN CERTIFICATE REQUEST-----',
        'Q1NS',
        '-----END CERTIFICATE REQUEST-----',
        '',
      ].join('\n'),
    );
    expect(renderCertificateRequest(formatter, request, { csr: false })).not.toContain('BEGIN');
  });
});

describe('renderRolloverStatus', () => {
  const next = {
    ...slot({ ...CERTIFICATE, thumbprint: 'D'.repeat(40), subject: 'CN=new' }),
    effectiveDate: '2025-03-01T08:00:00.000Z',
    publishedAt: '2025-02-20T08:00:00.000Z',
    activateWhenFetched: true,
    deadline: '2025-03-08T08:00:00.000Z',
    keepPrevious: false,
  };
  const status: RolloverStatus = {
    slots: { type: 'OAuthTokenIssuer', current: slot(CERTIFICATE), next, previous: null, previousRemovalAt: null },
    rollState: 'waiting-for-partners',
    evidence: {
      since: '2025-02-20T08:00:00.000Z',
      partners: [
        { identity: 'exchange', addresses: ['10.0.0.5'], addressProblem: null, fetched: true, lastFetchAt: '2025-02-20T09:00:00.000Z', downloads: 3, userAgents: ['Exchange'] },
        { identity: 'sharepoint', addresses: [], addressProblem: 'the metadata host sp.lab did not resolve (ENOTFOUND)', fetched: false, lastFetchAt: null, downloads: 0, userAgents: [] },
      ],
      unknownFetchers: [{ sourceAddress: '10.9.9.9', userAgent: 'curl/8', downloads: 1, documents: ['jwks'], firstAt: '2025-02-21T00:00:00.000Z', lastAt: '2025-02-21T00:00:00.000Z' }],
      allPartnersFetched: false,
    },
    renewal: null,
  };

  it('shows the gate, each partner with its evidence, the unknown fetchers and what is missing', () => {
    const text = renderRolloverStatus(formatter, status);
    expect(text).toContain('roll: waiting-for-partners');
    expect(text).toMatch(/deadline\s+2025-03-08T08:00:00.000Z/);
    expect(text).toMatch(/exchange\s+yes\s+2025-02-20T09:00:00.000Z\s+3\s+10.0.0.5\s+Exchange/);
    expect(text).toMatch(/sharepoint\s+NO\s+-\s+0\s+the metadata host sp.lab did not resolve/);
    expect(text).toMatch(/10.9.9.9\s+curl\/8\s+1\s+jwks/);
    expect(text).toContain('! not every enabled partner has fetched the metadata since the next key was published');
  });
});

describe('renderAssignment', () => {
  const current = slot(CERTIFICATE);
  const next = { ...slot({ ...CERTIFICATE, thumbprint: 'D'.repeat(40), subject: 'CN=new', notAfter: '2027-01-01T00:00:00.000Z', daysToExpiry: 700 }), effectiveDate: '2025-03-01T08:00:00.000Z', publishedAt: '2025-02-20T08:00:00.000Z', activateWhenFetched: false, deadline: null, keepPrevious: false };

  it('prints one row per slot, the effective date of next, and "(empty)" slots', () => {
    const assignment: CertificateAssignment = { type: 'OAuthTokenIssuer', current, next, previous: null, previousRemovalAt: null };
    expect(renderAssignment(formatter, assignment).split('\n')).toEqual([
      'SLOT      THUMBPRINT                                SUBJECT         NOT AFTER                 DAYS LEFT  EFFECTIVE',
      'current   9A3F5C7E1B2D4F6A8C0E9A3F5C7E1B2D4F6A8C01  CN=contoso.com  2026-01-01T00:00:00.000Z  300        -',
      'next      DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD  CN=new          2027-01-01T00:00:00.000Z  700        2025-03-01T08:00:00.000Z',
      'previous  (empty)                                   -               -                         -          -',
      '',
    ]);
  });

  it('warns when nothing can be signed, when current expires without a successor, and about an expiring next', () => {
    expect(assignmentWarnings({ type: 'OAuthTokenIssuer', current: null, next: null, previous: null, previousRemovalAt: null })).toEqual([
      '! no current certificate: nothing can be signed until one is assigned (s2sctl certificate assign --type OAuthTokenIssuer --thumbprint <T>)',
    ]);
    const expiring = { ...current, daysToExpiry: 1, expiresSoon: true };
    expect(assignmentWarnings({ type: 'OAuthTokenIssuer', current: expiring, next: null, previous: null, previousRemovalAt: null })).toEqual([
      '! the current certificate expires in 1 day: stage its successor with s2sctl certificate assign --type OAuthTokenIssuer --thumbprint <T> --roll --effective-date <time>',
    ]);
    // A successor is staged: nothing to say about current; but the successor itself expires soon.
    expect(assignmentWarnings({ type: 'OAuthTokenIssuer', current: expiring, next: { ...next, daysToExpiry: 20, expiresSoon: true }, previous: null, previousRemovalAt: null })).toEqual([
      '! the next certificate expires in 20 days',
    ]);
    expect(assignmentWarnings({ type: 'OAuthTokenIssuer', current: { ...current, daysToExpiry: -1, expiresSoon: true }, next: null, previous: null, previousRemovalAt: null })).toEqual([
      '! the current certificate has expired',
    ]);
    expect(renderAssignment(formatter, { type: 'OAuthTokenIssuer', current: expiring, next: null, previous: null, previousRemovalAt: null })).toMatch(/1 \(expires soon\)[\s\S]*\n! the current certificate expires in 1 day/);
  });
});
