import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@s2s/core';

/** One running instance as it records itself in the shared database. */
export interface InstanceRecord {
  instanceId: string;
  hostName: string;
  processId: number;
  startedAt: Date;
  lastSeenAt: Date;
}

/** Storage port of the heartbeats (implemented by the persistence library). */
export abstract class InstanceHeartbeatRepository {
  /** Inserts or updates the row of `record.instanceId`. */
  abstract beat(record: InstanceRecord): Promise<void>;
  abstract list(): Promise<InstanceRecord[]>;
  abstract remove(instanceId: string): Promise<void>;
  /** Removes rows last seen before `before` (instances that stopped without saying so). */
  abstract removeSeenBefore(before: Date): Promise<void>;
}

/** How often an instance records that it is alive. */
export const HEARTBEAT_INTERVAL_MS = 10_000;
/** An instance not seen for this long is shown as stale. */
export const HEARTBEAT_STALE_MS = 60_000;
/** Rows of instances not seen for this long are removed. */
const HEARTBEAT_FORGET_MS = 86_400_000;

/**
 * Every instance writes a heartbeat row to the shared database (at start, then every 10 s), so that
 * `status` lists the instances sharing it; its row is removed at a clean shutdown, and rows not seen
 * for a day are forgotten. A database outage only delays the next beat.
 */
@Injectable()
export class InstanceHeartbeat implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('InstanceHeartbeat');
  readonly instanceId = randomUUID();
  private readonly startedAt: Date;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly repository: InstanceHeartbeatRepository,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Before the database closes (its closer runs in the shutdown phase after this one). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.repository.remove(this.instanceId).catch(() => undefined);
  }

  async beat(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.repository.beat({ instanceId: this.instanceId, hostName: hostname(), processId: process.pid, startedAt: this.startedAt, lastSeenAt: now });
      await this.repository.removeSeenBefore(new Date(now.getTime() - HEARTBEAT_FORGET_MS));
      if (this.failing) this.logger.log('heartbeat recorded again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: (error as Error).message }, 'could not record the instance heartbeat; retrying');
      this.failing = true;
    }
  }
}
