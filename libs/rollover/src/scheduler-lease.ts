/**
 * Storage port of a named lease (one row): the instance holding it does the scheduled work, so
 * that on several instances each scheduled action happens once (issue 16).
 */
export abstract class SchedulerLease {
  /**
   * Takes or renews the lease `name` for `holder` until `expiresAt`, when it is free, expired at
   * `now`, or already held by `holder`. Returns whether `holder` holds it now.
   */
  abstract tryAcquire(name: string, holder: string, now: Date, expiresAt: Date): Promise<boolean>;
}
