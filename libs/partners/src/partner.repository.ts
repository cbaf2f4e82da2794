import type { PartnerApplication } from './partner-application.js';

/** Storage port of partner applications (implemented by the persistence library). */
export abstract class PartnerApplicationRepository {
  abstract list(): Promise<PartnerApplication[]>;
  /** By identity, case-insensitively. */
  abstract find(identity: string): Promise<PartnerApplication | null>;
  abstract insert(partner: PartnerApplication): Promise<void>;
  abstract update(partner: PartnerApplication): Promise<void>;
  abstract delete(identity: string): Promise<void>;
}
