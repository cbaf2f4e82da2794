import { Injectable } from '@nestjs/common';
import { MetricsRegistry, ReadinessRegistry } from '@s2s/operations';
import { OAuthServerDirectory } from '@s2s/oauth-servers';
import { PartnerDirectory } from '@s2s/partners';
import { Clock } from '@s2s/core';
import { Counter, Gauge } from 'prom-client';
import { VerifiedTokenCache } from './verified-token.cache.js';

/**
 * Validation metrics (SPEC 5.8): tokens validated by result, trust kind and reason (latency: the
 * HTTP histograms per route, and `npm run bench:validate` for the in-process cost), and the
 * age of every partner's and OAuth server's last good metadata (SPEC 8: last known good keys keep
 * working while a metadata URL is down; the staleness is reported here and in readiness details).
 */
@Injectable()
export class ValidationMetrics {
  readonly validated: Counter<'result' | 'trust' | 'reason'>;
  /** Valid tokens by trust kind not yet added to the counter: the hot path only bumps a number. */
  private readonly pendingValid = new Map<string, number>();

  constructor(metrics: MetricsRegistry, readiness: ReadinessRegistry, partners: PartnerDirectory, oauthServers: OAuthServerDirectory, clock: Clock, cache: VerifiedTokenCache) {
    this.validated = new Counter({
      name: 's2s_tokens_validated_total',
      help: 'Tokens validated (introspection, guard, explain), by result, trust kind and reason',
      labelNames: ['result', 'trust', 'reason'] as const,
      registers: [metrics.registry],
      collect: () => this.flushValid(),
    });
    const sources = (): { kind: string; identity: string; lastSuccessAt: Date | null; lastError: string | null; reviewReason: string | null }[] => [
      ...partners.all().map(({ partner }) => ({ kind: 'partner', identity: partner.identity, ...partner.metadataStatus })),
      ...oauthServers.all().map(({ server }) => ({ kind: 'oauth-server', identity: server.identity, ...server.metadataStatus })),
    ];
    const age: Gauge<'kind' | 'identity'> = new Gauge({
      name: 's2s_metadata_age_seconds',
      help: 'Seconds since the last successful metadata download of each partner / OAuth server with a metadata URL',
      labelNames: ['kind', 'identity'] as const,
      registers: [metrics.registry],
      collect: () => {
        age.reset();
        const now = clock.now().getTime();
        for (const source of sources()) if (source.lastSuccessAt) age.set({ kind: source.kind, identity: source.identity }, Math.round((now - source.lastSuccessAt.getTime()) / 1000));
      },
    });
    const failing: Gauge<'kind' | 'identity'> = new Gauge({
      name: 's2s_metadata_refresh_failing',
      help: '1 when the last metadata download of a partner / OAuth server failed (last known good keys in use) or awaits review',
      labelNames: ['kind', 'identity'] as const,
      registers: [metrics.registry],
      collect: () => {
        failing.reset();
        for (const source of sources()) failing.set({ kind: source.kind, identity: source.identity }, source.lastError || source.reviewReason ? 1 : 0);
      },
    });
    // The verified-token cache: the hot path bumps plain numbers, read here when scraped.
    const cacheLookups: Counter<'result'> = new Counter({
      name: 's2s_token_cache_lookups_total',
      help: 'Verified-token cache lookups by validation and introspection (explain never looks), by result: hit or miss',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
      collect: () => {
        cacheLookups.reset();
        cacheLookups.inc({ result: 'hit' }, cache.stats.hits);
        cacheLookups.inc({ result: 'miss' }, cache.stats.misses);
      },
    });
    const cacheDrops: Counter<'cause'> = new Counter({
      name: 's2s_token_cache_drops_total',
      help: 'Verified-token cache drops: evicted (one entry, to stay within the bounds) or invalidated (the whole cache, after a trust configuration change)',
      labelNames: ['cause'] as const,
      registers: [metrics.registry],
      collect: () => {
        cacheDrops.reset();
        cacheDrops.inc({ cause: 'evicted' }, cache.stats.evictions);
        cacheDrops.inc({ cause: 'invalidated' }, cache.stats.invalidations);
      },
    });
    const cacheEntries: Gauge = new Gauge({
      name: 's2s_token_cache_entries',
      help: 'Verdicts held in the verified-token cache',
      registers: [metrics.registry],
      collect: () => cacheEntries.set(cache.size),
    });
    const cacheFirstSightings: Counter = new Counter({
      name: 's2s_token_cache_first_sightings_total',
      help: 'Valid verdicts not held by the verified-token cache because their token had not been validated before (held from the second validation on)',
      registers: [metrics.registry],
      collect: () => {
        cacheFirstSightings.reset();
        cacheFirstSightings.inc(cache.stats.firstSightings);
      },
    });
    const cacheBytes: Gauge = new Gauge({
      name: 's2s_token_cache_bytes',
      help: 'Memory the verified-token cache reckons it holds (bounded by TOKEN_CACHE_MAX_BYTES)',
      registers: [metrics.registry],
      collect: () => cacheBytes.set(cache.reckonedBytes),
    });
    // Informational: a partner's metadata outage does not make this instance unready.
    readiness.register('trustedIssuerMetadata', async () => ({
      ready: true,
      sources: Object.fromEntries(
        sources().map((source) => [`${source.kind}:${source.identity}`, { lastSuccessAt: source.lastSuccessAt?.toISOString() ?? null, lastError: source.lastError, reviewReason: source.reviewReason }]),
      ),
    }));
  }

  countValid(trust: string): void {
    this.pendingValid.set(trust, (this.pendingValid.get(trust) ?? 0) + 1);
  }

  /** Adds the pending valid counts to the counter (whenever it is read). */
  private flushValid(): void {
    for (const [trust, count] of this.pendingValid) this.validated.inc({ result: 'valid', trust, reason: 'none' }, count);
    this.pendingValid.clear();
  }
}
