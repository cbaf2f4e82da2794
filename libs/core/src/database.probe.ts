/** The database part of readiness: reachable, and every migration of this build applied. */
export interface DatabaseStatus {
  reachable: boolean;
  pendingMigrations: string[];
  error?: string;
}

/** Asks the database whether it can serve (port; the persistence library implements it). */
export abstract class DatabaseProbe {
  abstract status(timeoutMs?: number): Promise<DatabaseStatus>;
}
