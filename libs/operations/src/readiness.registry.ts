import { Injectable } from '@nestjs/common';

/** One component's readiness: healthy or not, plus details for the operator. */
export interface ReadinessReport {
  ready: boolean;
  [detail: string]: unknown;
}

export type ReadinessCheck = () => Promise<ReadinessReport>;

/**
 * The checks behind `/health/ready`. The database check is built in; capabilities add theirs at
 * start (certificate state, partner metadata staleness).
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks];
  }
}
