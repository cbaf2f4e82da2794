import type { PartnerApplication, PartnerApplicationService } from '@s2s/partners';
import type { MetadataDownloadLog } from './metadata-download.log.js';
import type { MetadataDownloadRepository, MetadataDownloadSummary } from './metadata-download.js';
import { RolloverEvidenceService } from './rollover-evidence.service.js';

const SINCE = new Date('2026-12-01T10:30:00.000Z');
const LATER = new Date('2026-12-01T11:05:00.000Z');

function partner(identity: string, metadataUrl: string | null, sourceAddresses: string[], enabled = true): PartnerApplication {
  return { identity, metadataUrl, sourceAddresses, enabled } as PartnerApplication;
}

function summary(sourceAddress: string, count = 1): MetadataDownloadSummary {
  return { sourceAddress, userAgent: 'agent', count, firstAt: SINCE, lastAt: LATER, documents: ['metadata'] };
}

describe('RolloverEvidenceService', () => {
  it('matches downloads to enabled partners by resolved host and source addresses, and lists the rest as unknown fetchers', async () => {
    let flushed = 0;
    let askedSince: Date | null = null;
    const partners = [
      partner('exchange', 'https://localhost:8443/autodiscover/metadata/json/1', ['10.0.0.7']),
      partner('sharepoint', 'https://sp.does-not-exist.invalid/_layouts/15/metadata/json/1', []),
      partner('pinned', null, []),
      partner('retired', null, ['10.0.0.8'], false),
    ];
    const service = new RolloverEvidenceService(
      { list: async () => partners } as unknown as PartnerApplicationService,
      {
        since: async (since: Date) => {
          askedSince = since;
          return [summary('127.0.0.1', 2), summary('10.0.0.7', 3), summary('10.0.0.8'), summary('10.9.9.9')];
        },
      } as unknown as MetadataDownloadRepository,
      { flush: async () => void flushed++ } as unknown as MetadataDownloadLog,
    );

    const evidence = await service.since(SINCE);
    expect(flushed).toBe(1);
    expect(askedSince).toBe(SINCE);
    expect(evidence.partners).toEqual([
      { identity: 'exchange', addresses: expect.arrayContaining(['10.0.0.7', '127.0.0.1']), addressProblem: null, fetched: true, lastFetchAt: LATER, downloads: 5, userAgents: ['agent'] },
      {
        identity: 'sharepoint',
        addresses: [],
        addressProblem: expect.stringMatching(/^the metadata host sp\.does-not-exist\.invalid did not resolve \(ENOTFOUND\)$/),
        fetched: false,
        lastFetchAt: null,
        downloads: 0,
        userAgents: [],
      },
      expect.objectContaining({ identity: 'pinned', fetched: false, addressProblem: 'no metadata URL and no source address: add one with s2sctl partner-application set --source-address' }),
    ]);
    // A disabled partner is not listed, and its downloads are not unknown either.
    expect(evidence.unknownFetchers.map((fetcher) => fetcher.sourceAddress)).toEqual(['10.9.9.9']);
    expect(evidence.allPartnersFetched).toBe(false);
  });

  it('is satisfied when there is no enabled partner', async () => {
    const service = new RolloverEvidenceService(
      { list: async () => [partner('retired', null, ['10.0.0.8'], false)] } as unknown as PartnerApplicationService,
      { since: async () => [] } as unknown as MetadataDownloadRepository,
      { flush: async () => undefined } as unknown as MetadataDownloadLog,
    );
    expect(await service.since(SINCE)).toEqual({ since: SINCE, partners: [], unknownFetchers: [], allPartnersFetched: true });
  });
});
