import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { UnitOfWork, type UnitOfWorkOptions } from '@s2s/core';
import { DataSource, type EntityManager } from 'typeorm';

type AfterCommit = () => void | Promise<void>;

interface Transaction {
  manager: EntityManager;
  afterCommit: AfterCommit[];
}

/**
 * {@link UnitOfWork} over one TypeORM transaction. The transaction's entity manager travels in an
 * AsyncLocalStorage, so repositories join it without domain code passing it around; a nested `run`
 * joins the outer transaction.
 *
 * The storage is enabled only while a transaction is open: an enabled AsyncLocalStorage makes
 * Node track every promise of the process (async hooks), which would tax the issuance and
 * validation hot paths that never open a transaction.
 */
@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  private readonly logger = new Logger('UnitOfWork');
  private readonly current = new AsyncLocalStorage<Transaction>();
  private open = 0;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** The manager of the transaction in progress, or the data source's own manager. */
  manager(): EntityManager {
    return this.current.getStore()?.manager ?? this.dataSource.manager;
  }

  async run<T>(fn: () => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    if (this.current.getStore()) return fn();
    const afterCommit: AfterCommit[] = [];
    this.open++;
    let result: T;
    try {
      result = await this.dataSource.transaction(async (manager) => {
        if (options.exclusiveLock) {
          // Transaction-scoped: released by commit or rollback, even if this process dies.
          await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [options.exclusiveLock]);
        }
        return this.current.run({ manager, afterCommit }, fn);
      });
    } finally {
      // The last open transaction closed: no store is needed until the next one (run re-enables it).
      if (--this.open === 0) this.current.disable();
    }
    // Awaited, so this instance's caches are fresh by the time the caller answers.
    for (const callback of afterCommit) await this.runCallback(callback);
    return result;
  }

  afterCommit(callback: AfterCommit): void {
    const transaction = this.current.getStore();
    if (transaction) transaction.afterCommit.push(callback);
    else void this.runCallback(callback);
  }

  private async runCallback(callback: AfterCommit): Promise<void> {
    try {
      await callback();
    } catch (error) {
      // The change is committed; a failing side effect must not turn it into an error response.
      this.logger.error({ err: (error as Error).message }, 'after-commit callback failed');
    }
  }
}
