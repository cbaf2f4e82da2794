import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { MasterKey } from '@s2s/config';
import { type ChangeFeed, type ChangeListener, FrozenClock } from '@s2s/core';
import { OpenSslToolkit } from '@s2s/testing';
import type { CertificateRepository, TokenIssuerAssignmentRepository } from './certificate.repository.js';
import { PrivateKeyVault } from './private-key.vault.js';
import { type StoredCertificate, x5tOf } from './stored-certificate.js';
import { EMPTY_ASSIGNMENT, type TokenIssuerAssignment } from './token-issuer-assignment.js';
import { issuerKeyIdOf, TokenIssuerKeyRing } from './token-issuer.key-ring.js';

/** 2026-12-01T08:00:00Z, the instant the clock is frozen at. */
const LOADED_AT = new Date('2026-12-01T08:00:00.000Z');

describe('TokenIssuerKeyRing', () => {
  it('stamps each load with the injected clock, not the machine time', async () => {
    const clock = new FrozenClock(LOADED_AT);
    const listeners: ChangeListener[] = [];
    const changeFeed = { publish: async () => undefined, subscribe: (_topic: string, listener: ChangeListener) => listeners.push(listener) } as unknown as ChangeFeed;
    const assignments = { find: async () => EMPTY_ASSIGNMENT } as unknown as TokenIssuerAssignmentRepository;
    const certificates = { findMany: async () => [] } as unknown as CertificateRepository;
    const keyRing = new TokenIssuerKeyRing(assignments, certificates, new PrivateKeyVault(new MasterKey(randomBytes(32))), changeFeed, clock);

    expect(keyRing.loadedAt()).toEqual(new Date(0));
    await keyRing.onApplicationBootstrap();
    expect(keyRing.loadedAt()).toEqual(LOADED_AT);

    clock.advance(90_000);
    await listeners[0]!();
    expect(keyRing.loadedAt()).toEqual(new Date('2026-12-01T08:01:30.000Z'));
  });
});

/** 2026-12-06T08:00:00Z; the staged certificate becomes current one hour later. */
const NOW = new Date('2026-12-06T08:00:00Z');
const ROLL_AT = new Date('2026-12-06T09:00:00Z');

describe('issuerKeyIdOf', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['kid', { kid: 'k', x5t: 'x' }, 'k'],
    ['x5t when there is no kid', { x5t: 'x' }, 'x'],
    ['x5t when kid is not a string', { kid: 7, x5t: 'x' }, 'x'],
    ['nothing', { alg: 'RS256' }, ''],
    ['nothing when x5t is not a string', { x5t: ['x'] }, ''],
  ])('names the key by %s', (_name, header, id) => {
    expect(issuerKeyIdOf(header)).toBe(id);
  });
});

describe('TokenIssuerKeyRing.publishedKey', () => {
  const openssl = new OpenSslToolkit();
  let ring: TokenIssuerKeyRing;
  const certificates: Record<'current' | 'next' | 'previous' | 'unassigned', StoredCertificate & { keyPem: string }> = {} as never;

  beforeAll(async () => {
    for (const slot of ['current', 'next', 'previous', 'unassigned'] as const) {
      const made = openssl.selfSigned({ cn: `${slot}.contoso.com`, dnsNames: ['contoso.com'] });
      const x509 = new X509Certificate(made.certificatePem);
      certificates[slot] = {
        thumbprint: x509.fingerprint.replace(/:/g, ''),
        thumbprintSha256: x509.fingerprint256.replace(/:/g, ''),
        certificatePem: made.certificatePem,
        chainPems: [],
        subject: x509.subject,
        issuer: x509.issuer,
        serialNumber: x509.serialNumber,
        dnsNames: ['contoso.com'],
        notBefore: new Date(x509.validFrom),
        notAfter: new Date(x509.validTo),
        keyAlgorithm: 'RSA',
        keySizeBits: 2048,
        source: 'self-signed',
        sealedPrivateKey: 'sealed',
        createdAt: NOW,
        keyPem: made.privateKeyPem,
      };
    }
    const assignment: TokenIssuerAssignment = {
      current: certificates.current.thumbprint,
      next: certificates.next.thumbprint,
      nextEffectiveAt: ROLL_AT,
      previous: certificates.previous.thumbprint,
      roll: { publishedAt: NOW, activateWhenFetched: false, deadline: ROLL_AT, alertedAt: null, keepPrevious: false },
      previousRetiredAt: null,
      keepPrevious: false,
      updatedAt: NOW,
    };
    const assignments = { find: async () => assignment } as unknown as TokenIssuerAssignmentRepository;
    const store = { findMany: async (thumbprints: string[]) => Object.values(certificates).filter((c) => thumbprints.includes(c.thumbprint)) } as unknown as CertificateRepository;
    const vault = { open: () => createPrivateKey(certificates.current.keyPem) } as unknown as PrivateKeyVault;
    const feed = { subscribe: () => undefined, publish: async () => undefined } as unknown as ChangeFeed;
    ring = new TokenIssuerKeyRing(assignments, store, vault, feed, new FrozenClock(NOW));
    await ring.reload();
  });

  afterAll(() => openssl.dispose());

  it('finds current, next and previous by x5t, and the same key published() lists', () => {
    for (const slot of ['current', 'next', 'previous'] as const) {
      const key = ring.publishedKey(x5tOf(certificates[slot].thumbprint), NOW);
      expect(key?.thumbprint).toBe(certificates[slot].thumbprint);
      expect(ring.published(NOW)).toContain(key);
    }
  });

  it('finds no unassigned key, no hex thumbprint, no x5t#S256, and nothing for an empty id', () => {
    expect(ring.publishedKey(x5tOf(certificates.unassigned.thumbprint), NOW)).toBeUndefined();
    expect(ring.publishedKey(certificates.current.thumbprint, NOW)).toBeUndefined();
    expect(ring.publishedKey(x5tOf(certificates.current.thumbprintSha256), NOW)).toBeUndefined();
    expect(ring.publishedKey('', NOW)).toBeUndefined();
  });

  it('settles the slots at the instant given: after the roll the old previous is no longer published', () => {
    const after = new Date(ROLL_AT.getTime() + 1000);
    expect(ring.publishedKey(x5tOf(certificates.previous.thumbprint), after)).toBeUndefined();
    expect(ring.publishedKey(x5tOf(certificates.current.thumbprint), after)?.thumbprint).toBe(certificates.current.thumbprint);
    expect(ring.publishedKey(x5tOf(certificates.next.thumbprint), after)?.thumbprint).toBe(certificates.next.thumbprint);
    expect(ring.published(after).map((key) => key.thumbprint)).toEqual([certificates.next.thumbprint, certificates.current.thumbprint]);
  });
});
