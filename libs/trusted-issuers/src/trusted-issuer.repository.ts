/**
 * Storage port of one kind of trusted issuer (implemented by the persistence library). Each kind
 * declares its own port class extending this one, which is its injection token.
 */
export abstract class TrustedIssuerRepository<R> {
  abstract list(): Promise<R[]>;
  /** By identity (lowercase). */
  abstract find(identity: string): Promise<R | null>;
  abstract insert(record: R): Promise<void>;
  abstract update(record: R): Promise<void>;
  abstract delete(identity: string): Promise<void>;
}
