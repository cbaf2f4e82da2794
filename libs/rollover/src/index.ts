export {
  type PublishedDocument,
  type MetadataDownloadBucket,
  type MetadataDownloadSummary,
  MetadataDownloadRepository,
  OTHER_SOURCES,
  hourOf,
  normaliseAddress,
  normaliseUserAgent,
} from './metadata-download.js';
export { MetadataDownloadLog, MAX_PENDING_BUCKETS, MAX_SOURCES_PER_HOUR, DOWNLOAD_RETENTION_DAYS, DOWNLOAD_FLUSH_INTERVAL_MS } from './metadata-download.log.js';
export { RolloverEvidenceService, type RolloverEvidence, type PartnerFetchEvidence } from './rollover-evidence.service.js';
export { SchedulerLease } from './scheduler-lease.js';
export { type TokenIssuerRenewal, TokenIssuerRenewalRepository } from './token-issuer-renewal.js';
export { TokenIssuerRenewalService } from './token-issuer-renewal.service.js';
export { RolloverScheduler, ROLLOVER_CHECK_INTERVAL_MS } from './rollover.scheduler.js';
export { RolloverModule } from './rollover.module.js';
