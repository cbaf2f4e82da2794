import { Injectable } from '@nestjs/common';

/**
 * Something that depends on the current service name and realm (an assigned token-issuer
 * certificate, registered partners). It says why a change would break it, or null.
 */
export type IdentityDependentCheck = () => Promise<string | null>;

/**
 * Collects the checks other capabilities register at start. Changing the service name or realm
 * while any of them objects requires `force`, because partners must then re-register (SPEC 5.1).
 */
@Injectable()
export class IdentityChangeGuard {
  private readonly checks: IdentityDependentCheck[] = [];

  register(check: IdentityDependentCheck): void {
    this.checks.push(check);
  }

  /** The reasons a service-name or realm change needs `force`; empty when none. */
  async blockers(): Promise<string[]> {
    const reasons = await Promise.all(this.checks.map((check) => check()));
    return reasons.filter((reason): reason is string => reason !== null);
  }
}
