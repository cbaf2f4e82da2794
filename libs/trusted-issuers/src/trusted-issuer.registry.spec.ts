import { Logger } from '@nestjs/common';
import type { AuditLogService, AuditRecord } from '@s2s/audit';
import { type AdminActor, type ChangeFeed, FrozenClock, NotFoundError, SYSTEM_ACTOR, type UnitOfWork } from '@s2s/core';
import { downloadedMetadataStatus } from './metadata-status.js';
import type { TrustedIssuer } from './trusted-issuer.js';
import { type MetadataRefetch, TrustedIssuerRegistry } from './trusted-issuer.registry.js';
import { TrustedIssuerRepository } from './trusted-issuer.repository.js';

/**
 * The registry side both trusted-issuer kinds share, over in-memory ports and a frozen clock:
 * refresh outcomes (new keys, last known good keys on failure, review flag for another issuer),
 * what is audited and announced, and the 404 of an unknown identity.
 */

const T0 = new Date('2026-03-01T10:00:00.000Z');
const LATER = new Date('2026-03-01T11:00:00.000Z');
const ADMIN: AdminActor = { keyId: 'key-1', name: 'ops' } as AdminActor;

interface Key {
  id: string;
}

interface Issuer extends TrustedIssuer<Key> {
  issuer: string;
}

interface Document {
  issuer: string;
  keys: Key[];
}

class MemoryRepository extends TrustedIssuerRepository<Issuer> {
  readonly rows = new Map<string, Issuer>();
  async list(): Promise<Issuer[]> {
    return [...this.rows.values()];
  }
  async find(identity: string): Promise<Issuer | null> {
    return this.rows.get(identity) ?? null;
  }
  async insert(record: Issuer): Promise<void> {
    this.rows.set(record.identity, record);
  }
  async update(record: Issuer): Promise<void> {
    this.rows.set(record.identity, record);
  }
  async delete(identity: string): Promise<void> {
    this.rows.delete(identity);
  }
}

class TestRegistry extends TrustedIssuerRegistry<Key, Issuer> {
  constructor(repository: MemoryRepository, unitOfWork: UnitOfWork, auditLog: AuditLogService, changeFeed: ChangeFeed, clock: FrozenClock) {
    super(repository, unitOfWork, auditLog, changeFeed, clock, { targetType: 'test-issuer', topic: 'test-issuers', noun: 'test issuer', audited: ['issuer'], keyId: (key) => key.id });
  }
  add(record: Issuer, actor: AdminActor): Promise<Issuer> {
    return this.insert(record, actor, (existing) => {
      if (existing.some((other) => other.identity === record.identity)) throw new Error('exists');
    });
  }
  refreshWith(identity: string, actor: AdminActor, download: () => Promise<Document>): Promise<Issuer> {
    const refetch: MetadataRefetch<Issuer, Document> = {
      download,
      reviewReason: (issuer, document) => (document.issuer === issuer.issuer ? null : `now ${document.issuer}`),
      apply: (issuer, document, metadataStatus) => ({ ...issuer, keys: document.keys, metadataStatus }),
    };
    return this.get(identity).then((issuer) => this.refetch(issuer, actor, refetch));
  }
}

function issuer(keys: Key[]): Issuer {
  return {
    identity: 'lab.idp',
    issuer: 'https://idp.lab',
    metadataUrl: 'https://idp.lab/metadata',
    enabled: true,
    metadataCaBundle: '-----BEGIN CERTIFICATE-----\nsecret-looking\n-----END CERTIFICATE-----\n',
    metadataHostAllowList: ['idp.lab'],
    allowHttpMetadata: false,
    keys,
    metadataStatus: downloadedMetadataStatus(T0),
    createdAt: T0,
    updatedAt: T0,
  };
}

describe('TrustedIssuerRegistry', () => {
  // The warnings and errors logged on the way are expected here.
  beforeAll(() => Logger.overrideLogger(false));

  let repository: MemoryRepository;
  let audited: AuditRecord[];
  let published: string[];
  let clock: FrozenClock;
  let registry: TestRegistry;

  beforeEach(async () => {
    repository = new MemoryRepository();
    audited = [];
    published = [];
    clock = new FrozenClock(T0);
    const unitOfWork = { run: <T>(fn: () => Promise<T>) => fn(), afterCommit: () => undefined } as unknown as UnitOfWork;
    const auditLog = { record: async (record: AuditRecord) => void audited.push(record) } as unknown as AuditLogService;
    const changeFeed = { publish: async (topic: string) => void published.push(topic), subscribe: () => undefined } as unknown as ChangeFeed;
    registry = new TestRegistry(repository, unitOfWork, auditLog, changeFeed, clock);
    await registry.add(issuer([{ id: 'k1' }]), ADMIN);
    audited.length = 0;
    published.length = 0;
    clock.set(LATER);
  });

  it('audits a creation with the public snapshot (never the CA bundle) and announces it', async () => {
    await registry.remove('lab.idp', ADMIN);
    audited.length = 0;
    published.length = 0;
    await registry.add(issuer([{ id: 'k1' }]), ADMIN);
    expect(audited).toEqual([
      {
        actor: ADMIN,
        action: 'test-issuer.create',
        targetType: 'test-issuer',
        targetId: 'lab.idp',
        after: { issuer: 'https://idp.lab', enabled: true, metadataHostAllowList: ['idp.lab'], allowHttpMetadata: false, keys: ['k1'] },
      },
    ]);
    expect(published).toEqual(['test-issuers']);
  });

  it('answers 404 with the kind name for an unknown identity', async () => {
    await expect(registry.get('nobody')).rejects.toThrow(new NotFoundError('no test issuer nobody'));
  });

  it('replaces the keys after a good download and records the success', async () => {
    const next = await registry.refreshWith('lab.idp', SYSTEM_ACTOR, async () => ({ issuer: 'https://idp.lab', keys: [{ id: 'k2' }] }));
    expect(next.keys).toEqual([{ id: 'k2' }]);
    expect(next.metadataStatus).toEqual({ lastAttemptAt: LATER, lastSuccessAt: LATER, lastError: null, reviewReason: null });
    expect(repository.rows.get('lab.idp')).toEqual(next);
    // New keys are audited even for the scheduler.
    expect(audited).toEqual([
      expect.objectContaining({ actor: SYSTEM_ACTOR, action: 'test-issuer.refresh', before: { keys: ['k1'], reviewReason: null }, after: { keys: ['k2'], lastError: null, reviewReason: null } }),
    ]);
    expect(published).toEqual(['test-issuers']);
  });

  it('keeps the last known good keys when the download fails, and records the error', async () => {
    const next = await registry.refreshWith('lab.idp', SYSTEM_ACTOR, async () => {
      throw new Error('the metadata URL answered HTTP 503');
    });
    expect(next.keys).toEqual([{ id: 'k1' }]);
    expect(next.metadataStatus).toEqual({ lastAttemptAt: LATER, lastSuccessAt: T0, lastError: 'the metadata URL answered HTTP 503', reviewReason: null });
    expect(repository.rows.get('lab.idp')?.metadataStatus.lastError).toBe('the metadata URL answered HTTP 503');
    // Nothing changed that an admin must see: a scheduled failure is not audited.
    expect(audited).toEqual([]);
  });

  it('does not apply a document naming another issuer: keys kept, flagged for review (audited)', async () => {
    const next = await registry.refreshWith('lab.idp', SYSTEM_ACTOR, async () => ({ issuer: 'https://evil.example', keys: [{ id: 'evil' }] }));
    expect(next.keys).toEqual([{ id: 'k1' }]);
    expect(next.metadataStatus).toEqual({ lastAttemptAt: LATER, lastSuccessAt: T0, lastError: 'now https://evil.example', reviewReason: 'now https://evil.example' });
    expect(audited.map((record) => [record.action, record.after])).toEqual([['test-issuer.refresh', { keys: ['k1'], lastError: 'now https://evil.example', reviewReason: 'now https://evil.example' }]]);
  });

  it('audits every refresh an admin asks for, even one that changes nothing', async () => {
    await registry.refreshWith('lab.idp', ADMIN, async () => ({ issuer: 'https://idp.lab', keys: [{ id: 'k1' }] }));
    expect(audited.map((record) => [record.actor, record.action])).toEqual([[ADMIN, 'test-issuer.refresh']]);
  });

  it('removes, audits the removed snapshot and announces it', async () => {
    const removed = await registry.remove('LAB.IDP', ADMIN);
    expect(removed.identity).toBe('lab.idp');
    expect(repository.rows.size).toBe(0);
    expect(audited).toEqual([expect.objectContaining({ action: 'test-issuer.remove', targetId: 'lab.idp', before: expect.objectContaining({ keys: ['k1'] }) })]);
    expect(audited[0]).not.toHaveProperty('after');
    expect(published).toEqual(['test-issuers']);
  });
});
