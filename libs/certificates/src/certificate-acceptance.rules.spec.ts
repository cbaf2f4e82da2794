import { InvalidInputError } from '@s2s/core';
import type { CertificateDescription } from '@s2s/crypto';
import { checkCertificateUsable, checkRealmCovered, coversRealm, MIN_RSA_KEY_BITS, NOT_BEFORE_TOLERANCE_MS } from './certificate-acceptance.rules.js';
import { CertificateRejectedError, type CertificateRejection } from './certificate-rejected.error.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
const NOT_AFTER = new Date('2027-01-01T00:00:00Z');

function description(overrides: Partial<CertificateDescription> = {}): CertificateDescription {
  return {
    subject: 'CN=contoso.com',
    issuer: 'CN=contoso.com',
    serialNumberHex: '01',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    dnsNames: ['contoso.com'],
    ipAddresses: [],
    publicKeyAlgorithm: 'RSA',
    keySizeBits: 2048,
    rsaPublicExponent: 65537,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    keyUsage: null,
    ...overrides,
  };
}

function caught(fn: () => unknown): CertificateRejectedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateRejectedError);
    return error as CertificateRejectedError;
  }
  throw new Error('expected a CertificateRejectedError');
}

function expectRejected(fn: () => unknown, reason: CertificateRejection, message: string, field = 'certificate'): void {
  const error = caught(fn);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error.reason).toBe(reason);
  expect(error.code).toBe(reason);
  expect(error.message).toBe(message);
  expect(error.details).toEqual([{ field, message }]);
}

describe('checkCertificateUsable', () => {
  it('accepts a valid RSA 2048 certificate', () => {
    expect(MIN_RSA_KEY_BITS).toBe(2048);
    expect(() => checkCertificateUsable(description(), NOW)).not.toThrow();
    expect(() => checkCertificateUsable(description({ keySizeBits: 4096 }), NOW)).not.toThrow();
  });

  it('accepts a certificate from the very instant of notBefore', () => {
    expect(() => checkCertificateUsable(description({ notBefore: NOW }), NOW)).not.toThrow();
  });

  it('refuses a certificate whose notAfter has passed', () => {
    const notAfter = new Date('2026-11-01T00:00:00Z');
    expectRejected(() => checkCertificateUsable(description({ notAfter }), NOW), 'certificate_expired', 'the certificate expired on 2026-11-01T00:00:00.000Z');
  });

  it('refuses a certificate at exactly its notAfter instant', () => {
    expectRejected(
      () => checkCertificateUsable(description({ notAfter: new Date(NOW.getTime()) }), NOW),
      'certificate_expired',
      'the certificate expired on 2026-11-22T12:00:00.000Z',
    );
  });

  it('tolerates a notBefore up to 5 minutes ahead (CA clock skew), inclusive', () => {
    expect(NOT_BEFORE_TOLERANCE_MS).toBe(300_000);
    expect(() => checkCertificateUsable(description({ notBefore: new Date('2026-11-22T12:00:01Z') }), NOW)).not.toThrow();
    expect(() => checkCertificateUsable(description({ notBefore: new Date('2026-11-22T12:05:00Z') }), NOW)).not.toThrow();
  });

  it('refuses a certificate that is not valid yet, past the tolerance', () => {
    expectRejected(
      () => checkCertificateUsable(description({ notBefore: new Date('2026-11-22T12:05:00.001Z') }), NOW),
      'certificate_not_yet_valid',
      'the certificate is not valid before 2026-11-22T12:05:00.001Z',
    );
    expectRejected(
      () => checkCertificateUsable(description({ notBefore: new Date('2026-12-01T00:00:00Z') }), NOW),
      'certificate_not_yet_valid',
      'the certificate is not valid before 2026-12-01T00:00:00.000Z',
    );
  });

  it('names the given field', () => {
    expectRejected(
      () => checkCertificateUsable(description({ notAfter: NOW }), NOW, 'thumbprint'),
      'certificate_expired',
      'the certificate expired on 2026-11-22T12:00:00.000Z',
      'thumbprint',
    );
  });

  it.each(['EC', 'RSA-PSS', 'Ed25519'] as const)('refuses a %s key', (algorithm) => {
    expectRejected(
      () => checkCertificateUsable(description({ publicKeyAlgorithm: algorithm, keySizeBits: 256 }), NOW),
      'unsupported_key_type',
      `the certificate has a ${algorithm} key; S2S tokens are signed with RS256, which needs an RSA key`,
    );
  });

  it('refuses a 1024-bit RSA key', () => {
    expectRejected(
      () => checkCertificateUsable(description({ keySizeBits: 1024 }), NOW),
      'weak_key',
      "the certificate's RSA key has 1024 bits; at least 2048 are required",
    );
  });

  it('refuses an RSA key of unknown size', () => {
    expectRejected(
      () => checkCertificateUsable(description({ keySizeBits: null }), NOW),
      'weak_key',
      "the certificate's RSA key has unknown bits; at least 2048 are required",
    );
  });

  it('reports expiry before the key type (first broken rule)', () => {
    expectRejected(
      () => checkCertificateUsable(description({ notAfter: NOW, publicKeyAlgorithm: 'EC', keySizeBits: 256 }), NOW),
      'certificate_expired',
      'the certificate expired on 2026-11-22T12:00:00.000Z',
    );
  });
});

describe('coversRealm', () => {
  it('matches a SAN exactly equal to the realm', () => {
    expect(coversRealm(['s2s.contoso.com', 'contoso.com'], 'contoso.com')).toBe(true);
  });

  it('compares the SAN side case-insensitively', () => {
    expect(coversRealm(['Contoso.COM'], 'contoso.com')).toBe(true);
  });

  it('does not let a wildcard cover its parent domain', () => {
    expect(coversRealm(['*.contoso.com'], 'contoso.com')).toBe(false);
  });

  it('does not match a different or suffix-sharing name', () => {
    expect(coversRealm(['notcontoso.com', 'contoso.com.evil.test'], 'contoso.com')).toBe(false);
    expect(coversRealm([], 'contoso.com')).toBe(false);
  });
});

describe('checkRealmCovered', () => {
  it('accepts a certificate naming the realm', () => {
    expect(() => checkRealmCovered(['s2s.contoso.com', 'CONTOSO.com'], 'contoso.com')).not.toThrow();
  });

  it('refuses a wildcard-only certificate with realm_not_covered and lists its names', () => {
    expectRejected(
      () => checkRealmCovered(['*.contoso.com', 's2s.contoso.com'], 'contoso.com', 'thumbprint'),
      'realm_not_covered',
      "the certificate's subject alternative names (*.contoso.com, s2s.contoso.com) do not include the configured realm contoso.com",
      'thumbprint',
    );
  });

  it('says "none" when the certificate has no DNS names', () => {
    expectRejected(
      () => checkRealmCovered([], 'contoso.com'),
      'realm_not_covered',
      "the certificate's subject alternative names (none) do not include the configured realm contoso.com",
    );
  });
});

describe('CertificateRejectedError', () => {
  it('has no details when no field is given', () => {
    const error = new CertificateRejectedError('invalid_pfx', 'bad file');
    expect(error.code).toBe('invalid_pfx');
    expect(error.details).toBeUndefined();
    expect(error.name).toBe('CertificateRejectedError');
  });
});

describe('checkCertificateUsable: weak or unsuitable certificates (security catalogue I08)', () => {
  it.each([
    ['an RSA exponent other than 65537', { rsaPublicExponent: 3 }, 'weak_key', 'the RSA public exponent is 3; 65537 is required'],
    ['a SHA-1 signature', { signatureAlgorithm: 'sha1WithRSAEncryption' }, 'weak_signature', 'the certificate is signed with sha1WithRSAEncryption; MD5 and SHA-1 signatures are refused'],
    ['an MD5 signature', { signatureAlgorithm: 'md5WithRSAEncryption' }, 'weak_signature', 'the certificate is signed with md5WithRSAEncryption; MD5 and SHA-1 signatures are refused'],
    [
      'a key usage without digitalSignature',
      { keyUsage: ['keyCertSign', 'cRLSign'] },
      'unsuitable_key_usage',
      'the certificate\'s key usage (keyCertSign, cRLSign) does not include digitalSignature, which signing tokens needs',
    ],
  ] as const)('refuses %s', (_name, overrides, reason, message) => {
    const error = caught(() => checkCertificateUsable(description(overrides as Partial<CertificateDescription>), NOW));
    expect(error.code).toBe(reason);
    expect(error.message).toBe(message);
  });

  it('accepts a key usage that includes digitalSignature', () => {
    expect(() => checkCertificateUsable(description({ keyUsage: ['digitalSignature', 'keyEncipherment'] }), NOW)).not.toThrow();
  });
});
