import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pendingMigrations } from './data-source.factory.js';

/** The database part of readiness: reachable, and every migration of this build applied. */
export interface DatabaseStatus {
  reachable: boolean;
  pendingMigrations: string[];
  error?: string;
}

@Injectable()
export class DatabaseHealth {
  constructor(private readonly dataSource: DataSource) {}

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
