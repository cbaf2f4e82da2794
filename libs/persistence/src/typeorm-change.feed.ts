import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CacheFreshness, ChangeFeed, type ChangeListener, Clock } from '@s2s/core';
import { CHANGE_CHANNEL, ChangeNotificationListener } from './change-notification.listener.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

/** How often other instances' changes are picked up by the poll (the fallback where notifications are off or lost). */
export const CHANGE_POLL_INTERVAL_MS = 1000;

/** Injection token: the PostgreSQL URL to LISTEN on, or null (PGlite, or `CHANGE_NOTIFY=off`). */
export const CHANGE_NOTIFY_URL = Symbol('CHANGE_NOTIFY_URL');

/**
 * {@link ChangeFeed} over the `change_counter` table: publishing bumps the topic's version in the
 * same transaction as the change. On PostgreSQL the same transaction sends `NOTIFY` (delivered at
 * commit) and every instance LISTENs ({@link ChangeNotificationListener}), so the others reload
 * within milliseconds; every instance also polls the (tiny) table once a second and calls the
 * listeners of topics whose version moved: the fallback, and the only path on PGlite. A failed poll
 * (database down) is retried on the next tick while the caches keep serving.
 */
@Injectable()
export class TypeOrmChangeFeed extends ChangeFeed implements CacheFreshness, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeFeed');
  private readonly listeners = new Map<string, ChangeListener[]>();
  private readonly afterListeners: ((topic: string) => void)[] = [];
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollFailing = false;
  private failingSince: Date | null = null;
  private readonly notifications: ChangeNotificationListener | null;

  constructor(
    private readonly unitOfWork: TypeOrmUnitOfWork,
    private readonly clock: Clock,
    @Inject(CHANGE_NOTIFY_URL) notifyUrl: string | null,
  ) {
    super();
    this.notifications = notifyUrl
      ? new ChangeNotificationListener(notifyUrl, { changed: (topic, version) => this.changed(topic, version), subscribed: () => void this.poll(true) })
      : null;
  }

  /** The heartbeat behind {@link CacheFreshness}: when the poll started failing, or null. */
  unreachableSince(): Date | null {
    return this.failingSince;
  }

  async publish(topic: string): Promise<void> {
    const rows = (await this.unitOfWork
      .manager()
      .query(
        `INSERT INTO change_counter (topic, version) VALUES ($1, 1)
         ON CONFLICT (topic) DO UPDATE SET version = change_counter.version + 1
         RETURNING version`,
        [topic],
      )) as { version: string | number }[];
    const version = Number(rows[0]!.version);
    // Delivered by PostgreSQL at commit, never if the transaction rolls back.
    if (this.notifications) await this.unitOfWork.manager().query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, `${version} ${topic}`]);
    this.unitOfWork.afterCommit(async () => {
      this.seen.set(topic, Math.max(version, this.seen.get(topic) ?? 0));
      await this.notify(topic);
    });
  }

  subscribe(topic: string, listener: ChangeListener): void {
    this.listeners.set(topic, [...(this.listeners.get(topic) ?? []), listener]);
  }

  afterAnyChange(listener: (topic: string) => void): void {
    this.afterListeners.push(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.poll(false);
    this.timer = setInterval(() => void this.poll(true), CHANGE_POLL_INTERVAL_MS);
    this.timer.unref();
    await this.notifications?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.notifications?.stop();
  }

  /** A notification: reload the topic unless this version was already seen (by the poll, or published here). */
  private changed(topic: string, version: number): void {
    const known = this.seen.get(topic);
    if (known !== undefined && version <= known) return;
    this.seen.set(topic, version);
    void this.notify(topic);
  }

  /** Reads every topic's version; with `announce`, calls the listeners of those that moved. */
  async poll(announce: boolean): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const rows = (await this.unitOfWork.manager().query('SELECT topic, version FROM change_counter')) as { topic: string; version: string | number }[];
      if (this.pollFailing) this.logger.log('change poll recovered');
      this.pollFailing = false;
      this.failingSince = null;
      for (const row of rows) {
        const version = Number(row.version);
        const known = this.seen.get(row.topic);
        if (known !== undefined && version <= known) continue;
        this.seen.set(row.topic, version);
        if (announce) void this.notify(row.topic);
      }
    } catch (error) {
      if (!this.pollFailing) {
        this.logger.warn({ err: (error as Error).message }, 'change poll failed; caches keep serving and the poll is retried');
        this.failingSince = this.clock.now();
      }
      this.pollFailing = true;
    } finally {
      this.polling = false;
    }
  }

  private async notify(topic: string): Promise<void> {
    await Promise.all(
      (this.listeners.get(topic) ?? []).map((listener) =>
        Promise.resolve()
          .then(listener)
          .catch((error: unknown) => this.logger.error({ topic, err: (error as Error).message }, 'change listener failed')),
      ),
    );
    for (const listener of this.afterListeners) listener(topic);
  }
}
