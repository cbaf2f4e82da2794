/**
 * Who made an admin change, as recorded in the audit log. `keyId` is null for changes the
 * service makes itself (first-start bootstrap).
 */
export interface AdminActor {
  keyId: string | null;
  name: string;
  requestId: string | null;
}

/** The actor recorded for changes the service makes on its own. */
export const SYSTEM_ACTOR: AdminActor = Object.freeze({ keyId: null, name: 'system', requestId: null });
