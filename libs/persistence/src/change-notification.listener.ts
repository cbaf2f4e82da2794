import { Logger } from '@nestjs/common';
import pg from 'pg';

/** The PostgreSQL channel every instance listens on; a payload is `<version> <topic>`. */
export const CHANGE_CHANNEL = 's2s_trust_change';
/** Wait before re-subscribing after the listening connection was lost (or could not be opened). */
export const RESUBSCRIBE_DELAY_MS = 1000;

/** What the listener reports to the change feed. */
export interface ChangeNotificationHandler {
  /** A change committed on some instance (this one included). */
  changed(topic: string, version: number): void;
  /** Listening (again): whatever was missed meanwhile must be reloaded. */
  subscribed(): void;
}

/**
 * One dedicated PostgreSQL connection in `LISTEN` on {@link CHANGE_CHANNEL} (issue 17: a change on
 * one instance enforced on the others within 1 s at p99). A lost connection (server restart,
 * network, `pg_terminate_backend`) is reopened every {@link RESUBSCRIBE_DELAY_MS} until it works;
 * each successful subscription calls `subscribed()` so the feed reloads what moved meanwhile. The
 * counter poll keeps running beside it as the fallback.
 */
export class ChangeNotificationListener {
  private readonly logger = new Logger('ChangeNotifications');
  private client: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private everSubscribed = false;

  constructor(
    private readonly url: string,
    private readonly handler: ChangeNotificationHandler,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 's2s-trust-listen', keepAlive: true, connectionTimeoutMillis: 5000 });
    client.on('notification', (message) => this.received(message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.logger.warn({ err: (error as Error).message }, 'cannot listen for change notifications; the counter poll keeps instances in step, retrying');
      this.scheduleRetry();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.everSubscribed) this.logger.log('listening for change notifications again');
    this.everSubscribed = true;
    this.handler.subscribed();
  }

  private received(payload: string | undefined): void {
    const space = payload?.indexOf(' ') ?? -1;
    if (!payload || space < 1) return;
    const version = Number(payload.slice(0, space));
    if (Number.isSafeInteger(version)) this.handler.changed(payload.slice(space + 1), version);
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ err: error?.message ?? 'connection ended' }, 'change notification connection lost; re-subscribing (the counter poll covers the gap)');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), RESUBSCRIBE_DELAY_MS);
    this.retryTimer.unref();
  }
}
