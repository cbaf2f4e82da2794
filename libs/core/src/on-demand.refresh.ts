import type { Clock } from './clock.js';

/**
 * Refetches triggered by traffic (a token naming an unknown key): at most one per `cooldownMs` per
 * subject, and callers arriving while one runs share it (security catalogue E11). Resolves true
 * when a refetch ran for this call (it has finished by then), false when the cooldown refused it.
 */
export class OnDemandRefresh {
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly cooldownMs: number,
    private readonly clock: Clock,
  ) {}

  run(subject: string, refresh: () => Promise<unknown>): Promise<boolean> {
    const running = this.inFlight.get(subject);
    if (running) return running;
    const now = this.clock.now().getTime();
    if (now - (this.lastRun.get(subject) ?? Number.NEGATIVE_INFINITY) < this.cooldownMs) return Promise.resolve(false);
    this.lastRun.set(subject, now);
    const attempt = refresh()
      .then(
        () => true,
        () => true,
      )
      .finally(() => this.inFlight.delete(subject));
    this.inFlight.set(subject, attempt);
    return attempt;
  }

  /** Whether a refetch for `subject` is running (scheduled refreshes skip it). */
  running(subject: string): boolean {
    return this.inFlight.has(subject);
  }
}
