import { EventEmitter } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';

type Release = (error?: unknown) => void;
type ConnectCallback = (error: Error | null, client: PGliteClient | null, release: Release) => void;

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string | undefined;
  fields: unknown[];
}

/**
 * The "connection" handed to TypeORM: queries go straight to the one PGlite instance. Results are
 * reshaped like node-postgres results (`rowCount`, `command`) so that TypeORM reports affected
 * rows the same on both databases.
 */
class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, parameters?: unknown[]): Promise<PgLikeResult> {
    if (parameters && parameters.length > 0) {
      const result = await this.db.query(sql, parameters);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command: commandOf(sql), fields: result.fields };
    }
    // Parameterless statements may be several (migrations); TypeORM expects the last result.
    const results = await this.db.exec(sql);
    const last = results.at(-1);
    return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0, command: commandOf(sql), fields: last?.fields ?? [] };
  }
}

function commandOf(sql: string): string | undefined {
  return /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
}

/**
 * A node-postgres-compatible pool of exactly one connection over an embedded PGlite database.
 *
 * PGlite is a single session: if two TypeORM query runners shared it, one request's statements
 * would run inside another request's open transaction (and be rolled back with it). So a query
 * runner holds the connection from `connect` until it releases it, and the others wait in line:
 * the same isolation a pool of size one gives on PostgreSQL.
 */
export class PGliteSerialPool extends EventEmitter {
  private readonly client: PGliteClient;
  private busy = false;
  private readonly waiting: (() => void)[] = [];
  private ended = false;

  constructor(private readonly db: PGlite) {
    super();
    this.client = new PGliteClient(db);
  }

  connect(callback?: ConnectCallback): Promise<PGliteClient> | void {
    const acquired = this.acquire();
    if (!callback) return acquired.then(() => this.client);
    acquired.then(
      () => callback(null, this.client, this.releaser()),
      (error: Error) => callback(error, null, () => undefined),
    );
  }

  async query(sql: string, parameters?: unknown[]): Promise<PgLikeResult> {
    await this.acquire();
    try {
      return await this.client.query(sql, parameters);
    } finally {
      this.release();
    }
  }

  end(callback?: (error?: Error) => void): void {
    this.ended = true;
    this.db.close().then(
      () => callback?.(),
      (error: Error) => callback?.(error),
    );
  }

  private acquire(): Promise<void> {
    if (this.ended) return Promise.reject(new Error('the embedded database has been closed'));
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

/** The `driver` option TypeORM's postgres driver accepts in place of the `pg` module. */
export function pgliteDriver(db: PGlite): { Pool: new () => PGliteSerialPool } {
  return {
    Pool: class extends PGliteSerialPool {
      constructor() {
        super(db);
      }
    },
  };
}
