/** What the last metadata download of a trusted issuer said, and when (SPEC 5.5). */
export interface MetadataStatus {
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  /** A downloaded document whose issuer (or realm) changed: not applied until an admin re-creates the issuer. */
  reviewReason: string | null;
}

/** The status after a download that succeeded at `at`, or of a record never downloaded (`null`: pinned keys). */
export function downloadedMetadataStatus(at: Date | null): MetadataStatus {
  return { lastAttemptAt: at, lastSuccessAt: at, lastError: null, reviewReason: null };
}

/** The status after a download that failed at `at`: the last success (and its keys) stay. */
export function failedMetadataStatus(previous: MetadataStatus, at: Date, error: string): MetadataStatus {
  return { lastAttemptAt: at, lastSuccessAt: previous.lastSuccessAt, lastError: error, reviewReason: previous.reviewReason };
}

/** The status after a download naming another issuer: not applied; the reason is the error too. */
export function flaggedMetadataStatus(previous: MetadataStatus, at: Date, reviewReason: string): MetadataStatus {
  return { lastAttemptAt: at, lastSuccessAt: previous.lastSuccessAt, lastError: reviewReason, reviewReason };
}
