import { Injectable } from '@nestjs/common';
import { DatabaseProbe, type DatabaseStatus } from '@s2s/core';
import { DataSource } from 'typeorm';
import { pendingMigrations } from './data-source.factory.js';

export type { DatabaseStatus };

/** {@link DatabaseProbe} over the data source: a migrations query with a timeout. */
@Injectable()
export class DatabaseHealth extends DatabaseProbe {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async status(timeoutMs = 2_000): Promise<DatabaseStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const pending = await Promise.race([pendingMigrations(this.dataSource), timeout]);
      return { reachable: true, pendingMigrations: pending };
    } catch (error) {
      return { reachable: false, pendingMigrations: [], error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
