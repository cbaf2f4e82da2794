import { randomBytes } from 'node:crypto';
import { MasterKey } from '@s2s/config';
import { type ChangeFeed, type ChangeListener, FrozenClock } from '@s2s/core';
import type { CertificateRepository, TokenIssuerAssignmentRepository } from './certificate.repository.js';
import { PrivateKeyVault } from './private-key.vault.js';
import { EMPTY_ASSIGNMENT } from './token-issuer-assignment.js';
import { TokenIssuerKeyRing } from './token-issuer.key-ring.js';

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
