/** Options of one unit of work. */
export interface UnitOfWorkOptions {
  /**
   * Serialises this unit of work against every other one that names the same lock, across all
   * instances sharing the database (a transaction-scoped advisory lock). Used for once-only
   * steps such as creating the bootstrap admin key.
   */
  exclusiveLock?: string;
}

/**
 * Runs a function inside one database transaction: every repository call made while `fn` runs
 * (directly or through services) joins it, so a change and its audit event commit together or not
 * at all (SPEC 6: a request that fails halfway leaves no partial state).
 *
 * Domain code depends on this port only; the persistence library implements it.
 */
export abstract class UnitOfWork {
  abstract run<T>(fn: () => Promise<T>, options?: UnitOfWorkOptions): Promise<T>;
  /**
   * Runs `callback` once the unit of work in progress has committed (never if it rolls back) and
   * before `run` returns; at once when none is in progress. For effects outside the database, such
   * as refreshing this instance's cache. A failing callback is logged, not thrown.
   */
  abstract afterCommit(callback: () => void | Promise<void>): void;
}
