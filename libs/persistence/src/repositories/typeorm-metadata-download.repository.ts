import { Injectable } from '@nestjs/common';
import { type MetadataDownloadBucket, MetadataDownloadRepository, type MetadataDownloadSummary, OTHER_SOURCES, type PublishedDocument } from '@s2s/rollover';
import { TypeOrmUnitOfWork } from '../typeorm-unit-of-work.js';

/** `metadata_download`: hourly download counts per source address, user agent and document. */
@Injectable()
export class TypeOrmMetadataDownloadRepository extends MetadataDownloadRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async add(buckets: MetadataDownloadBucket[], maxRowsPerHour: number): Promise<void> {
    await this.unitOfWork.run(async () => {
      const manager = this.unitOfWork.manager();
      const rowsPerHour = new Map<number, number>();
      for (const bucket of buckets) {
        const key = [bucket.hour, bucket.sourceAddress, bucket.userAgent, bucket.document];
        const updated = (await manager.query(
          `UPDATE metadata_download SET count = count + $5, first_at = LEAST(first_at, $6), last_at = GREATEST(last_at, $7)
           WHERE hour = $1 AND source_address = $2 AND user_agent = $3 AND document = $4 RETURNING 1`,
          [...key, bucket.count, bucket.firstAt, bucket.lastAt],
        )) as unknown[];
        if (rowsOf(updated) > 0) continue;
        const hour = bucket.hour.getTime();
        let rows = rowsPerHour.get(hour);
        if (rows === undefined) {
          const [counted] = (await manager.query('SELECT count(*)::int AS rows FROM metadata_download WHERE hour = $1', [bucket.hour])) as { rows: number }[];
          rows = Number(counted?.rows ?? 0);
        }
        const full = rows >= maxRowsPerHour;
        await manager.query(
          `INSERT INTO metadata_download (hour, source_address, user_agent, document, count, first_at, last_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (hour, source_address, user_agent, document)
           DO UPDATE SET count = metadata_download.count + excluded.count, first_at = LEAST(metadata_download.first_at, excluded.first_at), last_at = GREATEST(metadata_download.last_at, excluded.last_at)`,
          [bucket.hour, full ? OTHER_SOURCES : bucket.sourceAddress, full ? OTHER_SOURCES : bucket.userAgent, bucket.document, bucket.count, bucket.firstAt, bucket.lastAt],
        );
        rowsPerHour.set(hour, rows + 1);
      }
    });
  }

  async since(since: Date): Promise<MetadataDownloadSummary[]> {
    const rows = (await this.unitOfWork.manager().query(
      `SELECT source_address, user_agent, sum(count)::int AS count, min(first_at) AS first_at, max(last_at) AS last_at, array_agg(DISTINCT document) AS documents
       FROM metadata_download WHERE last_at >= $1 GROUP BY source_address, user_agent ORDER BY max(last_at) DESC`,
      [since],
    )) as { source_address: string; user_agent: string; count: number; first_at: Date | string; last_at: Date | string; documents: PublishedDocument[] | string }[];
    return rows.map((row) => ({
      sourceAddress: row.source_address,
      userAgent: row.user_agent,
      count: Number(row.count),
      // A row's first download may predate `since` (same hour): count from `since` then.
      firstAt: maxDate(new Date(row.first_at), since),
      lastAt: new Date(row.last_at),
      documents: (typeof row.documents === 'string' ? row.documents.replace(/[{}]/g, '').split(',') : row.documents).sort() as PublishedDocument[],
    }));
  }

  async deleteBefore(before: Date): Promise<number> {
    const deleted = (await this.unitOfWork.manager().query('DELETE FROM metadata_download WHERE hour < $1 RETURNING 1', [before])) as unknown[];
    return rowsOf(deleted);
  }
}

/** Rows returned by a RETURNING query (TypeORM's PostgreSQL driver answers [rows, count] for UPDATE/DELETE). */
function rowsOf(result: unknown[]): number {
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  return result.length;
}

function maxDate(a: Date, b: Date): Date {
  return a > b ? a : b;
}
