import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { UnitOfWork, type UnitOfWorkOptions } from '@s2s/core';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * {@link UnitOfWork} over one TypeORM transaction. The transaction's entity manager travels in an
 * AsyncLocalStorage, so repositories join it without domain code passing it around; a nested `run`
 * joins the outer transaction.
 */
@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /** The manager of the transaction in progress, or the data source's own manager. */
  manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }

  run<T>(fn: () => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    if (this.current.getStore()) return fn();
    return this.dataSource.transaction(async (manager) => {
      if (options.exclusiveLock) {
        // Transaction-scoped: released by commit or rollback, even if this process dies.
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [options.exclusiveLock]);
      }
      return this.current.run(manager, fn);
    });
  }
}
