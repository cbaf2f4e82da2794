import { AppConfig } from '@s2s/config';
import { FrozenClock } from '@s2s/core';
import { MetricsRegistry, ReadinessRegistry } from '@s2s/operations';
import { expiryTier, type ExpiringCredential } from './credential.js';
import { CredentialExpiryMonitor } from './credential-expiry.monitor.js';
import type { CredentialInventory } from './credential-inventory.js';

const DAY = 86_400_000;
const T0 = new Date('2026-12-06T09:00:00.000Z');
const TIERS = [120, 60, 30, 7];

describe('credential expiry tiers', () => {
  it.each([
    [200, null],
    [121, null],
    [120.5, null],
    [119.5, 120],
    [100, 120],
    [59.9, 60],
    [30, 60],
    [29.5, 30],
    [7.5, 30],
    [6.9, 7],
    [0.01, 7],
  ])('%d days left → tier %p', (days, tier) => {
    const result = expiryTier(new Date(T0.getTime() + days * DAY), T0, TIERS);
    expect(result?.tier ?? null).toBe(tier);
    if (result) expect(result.daysLeft).toBe(Math.floor(days));
  });

  it('is tier 0 (expired) at and after the expiry instant, with negative days', () => {
    expect(expiryTier(T0, T0, TIERS)).toEqual({ daysLeft: 0, tier: 0 });
    expect(expiryTier(new Date(T0.getTime() - 3 * DAY), T0, TIERS)).toEqual({ daysLeft: -3, tier: 0 });
  });
});

describe('CredentialExpiryMonitor', () => {
  const credentials: ExpiringCredential[] = [
    { kind: 'client-secret', id: 'c1', thumbprint: 's1', expiresAt: new Date(T0.getTime() + 8.5 * DAY) },
    { kind: 'https-certificate', id: 'https', thumbprint: 'AB', expiresAt: new Date(T0.getTime() + 400 * DAY) },
    { kind: 'admin-key', id: 'k1', thumbprint: 'ops', expiresAt: new Date(T0.getTime() - DAY) },
  ];
  const inventory = { list: async () => credentials } as unknown as CredentialInventory;
  let clock: FrozenClock;
  let metrics: MetricsRegistry;
  let readiness: ReadinessRegistry;
  let monitor: CredentialExpiryMonitor;

  beforeEach(() => {
    clock = new FrozenClock(T0);
    metrics = new MetricsRegistry();
    readiness = new ReadinessRegistry();
    monitor = new CredentialExpiryMonitor(inventory, clock, Object.assign(new AppConfig(), { credentialExpiryWarningDays: TIERS }), metrics, readiness);
  });

  it('lists the credentials inside a warning tier, soonest first', async () => {
    expect((await monitor.warnings()).map((warning) => `${warning.kind}:${warning.tier}:${warning.daysLeft}`)).toEqual(['admin-key:0:-1', 'client-secret:30:8']);
  });

  it('logs each credential once per tier per day, again the next day, and at once when it enters the next tier', async () => {
    expect(await monitor.logWarnings()).toBe(2);
    expect(await monitor.logWarnings()).toBe(0);
    clock.advance(10 * 3_600_000); // still the same UTC day
    expect(await monitor.logWarnings()).toBe(0);
    clock.set(new Date('2026-12-07T00:00:01.000Z')); // the next day: both again
    expect(await monitor.logWarnings()).toBe(2);
    clock.set(new Date(T0.getTime() + 1.6 * DAY)); // the secret now has 6 days left: tier 7, a new line the same day
    expect(await monitor.logWarnings()).toBe(1);
    expect((await monitor.warnings()).find((warning) => warning.kind === 'client-secret')?.tier).toBe(7);
  });

  it('exports every credential as s2s_credential_expiry_timestamp_seconds{kind,id,thumbprint}', async () => {
    const text = await metrics.registry.metrics();
    for (const credential of credentials) {
      expect(text).toContain(`s2s_credential_expiry_timestamp_seconds{kind="${credential.kind}",id="${credential.id}",thumbprint="${credential.thumbprint}"} ${Math.floor(credential.expiresAt.getTime() / 1000)}\n`);
    }
  });

  it('reports warnings in readiness without making the instance unready', async () => {
    const [name, check] = readiness.entries().find(([entry]) => entry === 'credentialExpiry')!;
    expect(name).toBe('credentialExpiry');
    const report = await check();
    expect(report.ready).toBe(true);
    expect(report.warningDays).toEqual(TIERS);
    expect((report.warnings as { kind: string; tier: number }[]).map((warning) => [warning.kind, warning.tier])).toEqual([['admin-key', 0], ['client-secret', 30]]);
  });
});
