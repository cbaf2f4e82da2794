import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AssertionReplayStore } from '@s2s/clients';
import { Clock } from '@s2s/core';

const PURGE_INTERVAL_MS = 10 * 60_000;

/** Deletes expired client-assertion `jti`s every 10 minutes (they can no longer be replayed anyway). */
@Injectable()
export class ReplayStorePurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReplayStorePurger');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: AssertionReplayStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.store.purgeExpired(this.clock.now()).catch((error: Error) => this.logger.warn({ err: error.message }, 'purging expired assertion ids failed; retried later'));
    }, PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
