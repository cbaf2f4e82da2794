import type { AdminApiKey } from './admin-api-key.js';

/** Storage port of admin API keys (implemented by the persistence library). */
export abstract class AdminApiKeyRepository {
  abstract insert(key: AdminApiKey): Promise<void>;
  abstract findById(id: string): Promise<AdminApiKey | null>;
  /** All keys, oldest first, revoked ones included. */
  abstract list(): Promise<AdminApiKey[]>;
  abstract count(): Promise<number>;
  abstract markRevoked(id: string, at: Date): Promise<void>;
  abstract markUsed(id: string, at: Date): Promise<void>;
}
