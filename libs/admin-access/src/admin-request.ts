import type { AdminApiKey } from './admin-api-key.js';

/** The fields the admin guard attaches to a request. */
export interface AdminRequestContext {
  id: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The connection: its peer address keys the back-off (never a forwarded header). */
  socket?: { remoteAddress?: string };
  adminKey?: AdminApiKey;
}
