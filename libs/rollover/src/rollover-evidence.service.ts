import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { type PartnerApplication, PartnerApplicationService } from '@s2s/partners';
import { metadataUrlHost } from '@s2s/trusted-issuers';
import { MetadataDownloadLog } from './metadata-download.log.js';
import { MetadataDownloadRepository, type MetadataDownloadSummary, normaliseAddress } from './metadata-download.js';

/** Whether one enabled partner downloaded our metadata since an instant. */
export interface PartnerFetchEvidence {
  identity: string;
  /** Addresses counted as the partner's: its metadata host name resolved now, plus its extra source addresses. */
  addresses: string[];
  /** Why some addresses may be missing (the host name did not resolve; no metadata URL and no source address). */
  addressProblem: string | null;
  fetched: boolean;
  /** Its most recent download since the instant, or null. */
  lastFetchAt: Date | null;
  downloads: number;
  userAgents: string[];
}

/** Rollover evidence: who fetched our metadata since `since` (the publication of the next key). */
export interface RolloverEvidence {
  since: Date;
  partners: PartnerFetchEvidence[];
  /** Downloads from addresses that belong to no partner. */
  unknownFetchers: MetadataDownloadSummary[];
  /** Every enabled partner fetched (true when there is none). */
  allPartnersFetched: boolean;
}

/**
 * Tells, from the recorded downloads, whether each enabled partner has fetched our metadata
 * (metadata document, discovery or JWKS) since an instant: the one rule the `certificate status`
 * evidence and the activation gate share.
 */
@Injectable()
export class RolloverEvidenceService {
  constructor(
    private readonly partners: PartnerApplicationService,
    private readonly downloads: MetadataDownloadRepository,
    private readonly log: MetadataDownloadLog,
  ) {}

  async since(since: Date): Promise<RolloverEvidence> {
    // This instance's latest downloads count at once; other instances' within their flush interval.
    await this.log.flush();
    const [partners, summaries] = await Promise.all([this.partners.list(), this.downloads.since(since)]);
    const known = new Set<string>();
    const evidence: PartnerFetchEvidence[] = [];
    for (const partner of partners) {
      const { addresses, problem } = await partnerAddresses(partner);
      for (const address of addresses) known.add(address);
      if (!partner.enabled) continue;
      const mine = summaries.filter((summary) => addresses.includes(summary.sourceAddress));
      const lastFetchAt = mine.reduce<Date | null>((latest, summary) => (latest === null || summary.lastAt > latest ? summary.lastAt : latest), null);
      evidence.push({
        identity: partner.identity,
        addresses,
        addressProblem: problem,
        fetched: mine.length > 0,
        lastFetchAt,
        downloads: mine.reduce((sum, summary) => sum + summary.count, 0),
        userAgents: [...new Set(mine.map((summary) => summary.userAgent))],
      });
    }
    return {
      since,
      partners: evidence,
      unknownFetchers: summaries.filter((summary) => !known.has(summary.sourceAddress)),
      allPartnersFetched: evidence.every((partner) => partner.fetched),
    };
  }
}

/** The partner's addresses: what its metadata host name resolves to now, and its extra source addresses. */
async function partnerAddresses(partner: PartnerApplication): Promise<{ addresses: string[]; problem: string | null }> {
  const addresses = new Set(partner.sourceAddresses.map((address) => normaliseAddress(address)));
  let problem: string | null = null;
  if (partner.metadataUrl) {
    const host = metadataUrlHost(partner.metadataUrl);
    if (isIP(host)) {
      addresses.add(normaliseAddress(host));
    } else {
      try {
        for (const resolved of await lookup(host, { all: true })) addresses.add(normaliseAddress(resolved.address));
      } catch (error) {
        problem = `the metadata host ${host} did not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      }
    }
  } else if (addresses.size === 0) {
    problem = 'no metadata URL and no source address: add one with s2sctl partner-application set --source-address';
  }
  return { addresses: [...addresses], problem };
}
