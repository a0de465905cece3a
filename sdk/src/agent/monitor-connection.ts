/**
 * The monitor connection: the application's Redis, where its queues live. Opened once a
 * Redis-backed queue is registered; without a `monitor` option the transport connection
 * serves both (one Redis for heartbeats and queues).
 */
import type { RedisClient } from '../redis/redis-client';
import type { ResolvedConnection } from '../options/resolve';
import type { QuasarLogger } from '../options/types';
import { closeConnection, openConnection } from '../transport/connection';
import type { Connection } from '../transport/connection';
import { OutageLog } from './logger';

export class MonitorConnection {
  private connection: Connection | undefined;
  private connecting: Promise<void> = Promise.resolve();
  private readonly outage: OutageLog;
  private readonly onError = (error: Error) => this.outage.failed(error);
  private readonly onReady = () => this.outage.succeeded();

  constructor(
    private readonly config: ResolvedConnection | undefined,
    logger: QuasarLogger,
  ) {
    this.outage = new OutageLog(logger, 'monitor Redis (queue probes)');
  }

  /** The client, once opened. */
  get client(): RedisClient | undefined {
    return this.connection?.client;
  }

  /**
   * Opens it (idempotent); `transport` serves when no monitor connection is configured.
   * Resolves once the first connection attempt has settled (never rejects), so the first beat
   * can wait for it.
   */
  open(transport: RedisClient): Promise<void> {
    if (this.connection) return this.connecting;
    if (!this.config) {
      this.connection = { client: transport, owned: false };
      return this.connecting;
    }
    const connection = openConnection(this.config, 'monitor');
    connection.client.on('error', this.onError);
    connection.client.on('ready', this.onReady);
    if (connection.owned && connection.client.status === 'wait') {
      this.connecting = connection.client.connect().catch(() => undefined);
    }
    this.connection = connection;
    return this.connecting;
  }

  /** Closes a connection the agent opened; an application's client stays open. */
  async close(): Promise<void> {
    const connection = this.connection;
    if (!connection?.owned) return;
    connection.client.off('error', this.onError);
    connection.client.off('ready', this.onReady);
    await closeConnection(connection);
  }
}
