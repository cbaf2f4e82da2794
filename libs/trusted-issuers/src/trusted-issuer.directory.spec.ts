import { Logger } from '@nestjs/common';
import { type ChangeFeed, type ChangeListener, FrozenClock } from '@s2s/core';
import type { OAuthConfigurationService } from '@s2s/oauth-configuration';
import { downloadedMetadataStatus } from './metadata-status.js';
import type { TrustedIssuer } from './trusted-issuer.js';
import { TrustedIssuerDirectory, type TrustedIssuerSource, UNKNOWN_KEY_REFRESH_COOLDOWN_MS } from './trusted-issuer.directory.js';

/**
 * The in-memory directory both trusted-issuer kinds specialise, with a frozen clock: lookups by
 * issuer and identity, unreadable keys skipped, reload on the change feed, and the two refresh
 * triggers (the schedule, and an unknown key: coalesced, at most once per cooldown, SPEC 5.5).
 */

const T0 = new Date('2026-03-01T10:00:00.000Z');
const INTERVAL_SECONDS = 3_600;

interface Issuer extends TrustedIssuer<string> {
  issuer: string;
}

interface Cached {
  issuer: Issuer;
  keys: string[];
}

class TestDirectory extends TrustedIssuerDirectory<string, Issuer, Cached> {
  constructor(source: TrustedIssuerSource<Issuer>, changeFeed: ChangeFeed, configuration: OAuthConfigurationService, clock: FrozenClock) {
    super(source, changeFeed, configuration, clock, 'test-issuers');
  }
  protected issuerOf(issuer: Issuer): string {
    return issuer.issuer;
  }
  protected toCached(issuer: Issuer): Cached {
    return {
      issuer,
      keys: this.loadKeys(issuer, (key) => {
        if (key === 'garbage') throw new Error('not a key');
        return key.toUpperCase();
      }),
    };
  }
}

function record(identity: string, lastAttemptAt: Date | null, metadataUrl: string | null = `https://${identity}/metadata`): Issuer {
  return {
    identity,
    issuer: `https://${identity}`,
    metadataUrl,
    enabled: true,
    metadataCaBundle: null,
    metadataHostAllowList: [identity],
    allowHttpMetadata: false,
    keys: ['k1', 'garbage'],
    metadataStatus: { ...downloadedMetadataStatus(lastAttemptAt) },
    createdAt: T0,
    updatedAt: T0,
  };
}

describe('TrustedIssuerDirectory', () => {
  // The warnings and errors logged on the way are expected here.
  beforeAll(() => Logger.overrideLogger(false));

  let records: Issuer[];
  let refreshed: string[];
  let release: () => void;
  let gate: Promise<void>;
  let failRefresh: boolean;
  let listeners: Map<string, ChangeListener>;
  let configured: boolean;
  let clock: FrozenClock;
  let directory: TestDirectory;

  beforeEach(async () => {
    records = [record('fresh.idp', T0), record('stale.idp', new Date(T0.getTime() - INTERVAL_SECONDS * 1000)), record('pinned.app', null, null)];
    refreshed = [];
    gate = Promise.resolve();
    failRefresh = false;
    listeners = new Map();
    configured = true;
    clock = new FrozenClock(T0);
    const source: TrustedIssuerSource<Issuer> = {
      list: async () => records,
      refresh: async (identity) => {
        refreshed.push(identity);
        await gate;
        if (failRefresh) throw new Error('the metadata URL could not be reached');
      },
    };
    const changeFeed = { publish: async () => undefined, subscribe: (topic: string, listener: ChangeListener) => listeners.set(topic, listener) } as unknown as ChangeFeed;
    const configuration = {
      cached: () => {
        if (!configured) throw new Error('the OAuth configuration has not been loaded yet');
        return { metadataRefreshIntervalSeconds: INTERVAL_SECONDS };
      },
    } as unknown as OAuthConfigurationService;
    directory = new TestDirectory(source, changeFeed, configuration, clock);
    await directory.onApplicationBootstrap();
  });

  afterEach(() => directory.onApplicationShutdown());

  it('finds issuers by exact issuer and by identity, with their readable keys only', () => {
    expect(directory.byIssuer('https://fresh.idp')?.issuer.identity).toBe('fresh.idp');
    expect(directory.byIssuer('https://FRESH.idp')).toBeUndefined();
    expect(directory.byIdentity('stale.idp')?.keys).toEqual(['K1']);
    expect(directory.all().map((cached) => cached.issuer.identity)).toEqual(['fresh.idp', 'stale.idp', 'pinned.app']);
  });

  it('reloads when its change-feed topic announces a change', async () => {
    records = [record('new.idp', T0)];
    await listeners.get('test-issuers')!();
    expect(directory.byIssuer('https://fresh.idp')).toBeUndefined();
    expect(directory.byIssuer('https://new.idp')?.issuer.identity).toBe('new.idp');
  });

  it('refetches for an unknown key once per cooldown, joining concurrent callers', async () => {
    gate = new Promise((resolve) => (release = resolve));
    const first = directory.refreshForUnknownKey('fresh.idp');
    const second = directory.refreshForUnknownKey('fresh.idp');
    release();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(refreshed).toEqual(['fresh.idp']);

    clock.advance(UNKNOWN_KEY_REFRESH_COOLDOWN_MS - 1);
    expect(await directory.refreshForUnknownKey('fresh.idp')).toBe(false);
    clock.advance(1);
    expect(await directory.refreshForUnknownKey('fresh.idp')).toBe(true);
    expect(refreshed).toEqual(['fresh.idp', 'fresh.idp']);
  });

  it('counts a failed refetch as attempted (the last known good keys stay) and does not throw', async () => {
    failRefresh = true;
    await expect(directory.refreshForUnknownKey('fresh.idp')).resolves.toBe(true);
    expect(directory.byIdentity('fresh.idp')?.keys).toEqual(['K1']);
  });

  it('never refetches for an issuer with pinned keys or one it does not know', async () => {
    expect(await directory.refreshForUnknownKey('pinned.app')).toBe(false);
    expect(await directory.refreshForUnknownKey('nobody')).toBe(false);
    expect(refreshed).toEqual([]);
  });

  it('refreshes on schedule only the issuers whose last attempt is older than the interval', async () => {
    await directory.refreshDue();
    expect(refreshed).toEqual(['stale.idp']);
    clock.advance(INTERVAL_SECONDS * 1000);
    refreshed.length = 0;
    await directory.refreshDue();
    expect(refreshed).toEqual(['fresh.idp', 'stale.idp']);
  });

  it('keeps refreshing the others when one scheduled refresh fails', async () => {
    failRefresh = true;
    clock.advance(INTERVAL_SECONDS * 1000);
    await expect(directory.refreshDue()).resolves.toBeUndefined();
    expect(refreshed).toEqual(['fresh.idp', 'stale.idp']);
  });

  it('does not refresh on schedule before the OAuth configuration is loaded', async () => {
    configured = false;
    await directory.refreshDue();
    expect(refreshed).toEqual([]);
  });
});
