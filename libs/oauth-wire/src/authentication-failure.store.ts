/** A subject's failures as every instance counted them together. */
export interface SharedFailureRecord {
  key: string;
  failures: number;
  windowStart: Date;
  blockedUntil: Date;
}

/**
 * Where the back-off's failure counts are shared between instances (the database; implemented in
 * libs/persistence), so N instances do not give an attacker N times the attempts (issue 17).
 */
export abstract class AuthenticationFailureStore {
  /**
   * Counts one failure of `key` atomically: +1 within the window (a record whose window started
   * after `windowOpenSince`), else a new window of 1 starting `now`.
   */
  abstract increment(key: string, now: Date, windowOpenSince: Date): Promise<{ failures: number; windowStart: Date }>;
  /** Records that `key` waits until `blockedUntil` (never shortens a longer wait). */
  abstract block(key: string, blockedUntil: Date): Promise<void>;
  abstract clear(key: string): Promise<void>;
  /** Deletes records whose window opened before `windowOpenSince` and whose wait is over at `now`; returns how many. */
  abstract purgeStale(now: Date, windowOpenSince: Date): Promise<number>;
  /** Subjects waiting at `now` (at most `limit`, the longest waits first). */
  abstract listBlocked(now: Date, limit: number): Promise<SharedFailureRecord[]>;
}
