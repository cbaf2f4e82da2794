import type { AdminApiKey } from './admin-api-key.js';

/** The fields the admin guard attaches to a request. */
export interface AdminRequestContext {
  id: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  adminKey?: AdminApiKey;
}
