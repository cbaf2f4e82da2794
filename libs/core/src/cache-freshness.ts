/**
 * Whether the in-memory caches can still be trusted (SPEC 8): when the database has been
 * unreachable for longer than the configured tolerance, issuance and validation fail closed
 * rather than keep serving from a snapshot that may hide a revoked client or partner.
 * Implemented by the persistence library from its change-feed heartbeat.
 */
export abstract class CacheFreshness {
  /** Since when the database has been unreachable, or null while it answers. */
  abstract unreachableSince(): Date | null;
}

/** True when the database has been unreachable for longer than `toleranceSeconds` at `now`. */
export function cachesTooStale(freshness: CacheFreshness, now: Date, toleranceSeconds: number): boolean {
  const since = freshness.unreachableSince();
  return since !== null && now.getTime() - since.getTime() > toleranceSeconds * 1000;
}
