/** Reloads the in-memory state of one topic. */
export type ChangeListener = () => Promise<void> | void;

/**
 * Keeps the in-memory caches of every instance in step with the database (SPEC 8: a change made
 * through one instance is applied by all within 2 s). A service publishes its topic inside the
 * unit of work that stores the change; subscribers on this instance are called once it commits,
 * those on other instances when they next poll.
 *
 * Domain code depends on this port only; the persistence library implements it.
 */
export abstract class ChangeFeed {
  /** Records a change of `topic` in the current unit of work (nothing is announced if it rolls back). */
  abstract publish(topic: string): Promise<void>;
  /** Calls `listener` after every committed change of `topic`, here or on another instance. */
  abstract subscribe(topic: string, listener: ChangeListener): void;
  /**
   * Calls `listener` after every committed change of any topic, once that topic's subscribers have
   * finished (their in-memory state is current): what derives from several caches (the
   * verified-token cache) drops itself here, never before the state it derives from has moved.
   */
  abstract afterAnyChange(listener: (topic: string) => void): void;
}
