/** The published documents whose downloads are recorded (issue 16: rollover evidence). */
export type PublishedDocument = 'metadata' | 'discovery' | 'jwks';

/** Downloads of one document from one source address and user agent within one hour. */
export interface MetadataDownloadBucket {
  /** Start of the hour (UTC). */
  hour: Date;
  sourceAddress: string;
  userAgent: string;
  document: PublishedDocument;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/** Downloads from one source address and user agent since an instant, every document together. */
export interface MetadataDownloadSummary {
  sourceAddress: string;
  userAgent: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  documents: PublishedDocument[];
}

/** Stands for every source beyond the cap of one hour (the table stays bounded under a flood of addresses). */
export const OTHER_SOURCES = '(other)';

/** Storage port of the download evidence (implemented by the persistence library). */
export abstract class MetadataDownloadRepository {
  /**
   * Adds the buckets to the stored ones (counts summed, first/last widened). A bucket whose hour
   * already holds `maxRowsPerHour` rows and is not one of them is added to the hour's
   * {@link OTHER_SOURCES} row instead.
   */
  abstract add(buckets: MetadataDownloadBucket[], maxRowsPerHour: number): Promise<void>;
  /** Per source address and user agent, the downloads whose last one was at or after `since`. */
  abstract since(since: Date): Promise<MetadataDownloadSummary[]>;
  /** Deletes the hours before `before`; returns how many rows went. */
  abstract deleteBefore(before: Date): Promise<number>;
}

/** Start of the UTC hour of `at`. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}

/** The address as evidence keys it: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as IPv4, lowercase, no zone. */
export function normaliseAddress(address: string | undefined): string {
  if (!address) return '';
  const lower = address.toLowerCase().replace(/%.*$/, '');
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** Longest user agent kept. */
export const MAX_USER_AGENT = 200;

/** The user agent as stored: at most {@link MAX_USER_AGENT} characters, control characters as `?`. */
export function normaliseUserAgent(userAgent: string | string[] | undefined): string {
  const value = Array.isArray(userAgent) ? (userAgent[0] ?? '') : (userAgent ?? '');
  return value.slice(0, MAX_USER_AGENT).replace(/[\u0000-\u001f\u007f]/g, '?');
}
