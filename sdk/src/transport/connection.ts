/**
 * Opens the SDK's Redis connections, to one Redis or to a Redis Cluster. Every connection
 * built from a URL keeps the URL's credentials, database and TLS; `duplicateRedisClient()` of
 * it (e.g. for SUBSCRIBE) keeps them too.
 */
import type { RedisOptions } from 'ioredis';
import type { ResolvedConnection } from '../options/resolve';
import { createRedisClient } from '../redis/redis-client';
import type { RedisClient } from '../redis/redis-client';

/** Reconnect back-off: 100 ms doubling to 5 s, with jitter so a fleet does not reconnect in step. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(5000, 100 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** An open (or opening) connection, and whether the SDK owns it and must close it. */
export interface Connection {
  client: RedisClient;
  owned: boolean;
}

/**
 * No offline queue: while Redis is away, commands fail at once instead of piling up, since a
 * stale heartbeat is worthless and memory must stay bounded. No per-command timeout either:
 * each beat already has a deadline, and ioredis would arm a timer per command.
 */
export function connectionDefaults(role: string): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5000,
    connectionName: `quasar:${role}`,
    retryStrategy: reconnectDelay,
  };
}

/** Opens a connection from a resolved config, or wraps the application's client. */
export function openConnection(config: ResolvedConnection, role: string): Connection {
  if (config.client) return { client: config.client, owned: false };
  const options = { ...connectionDefaults(role), ...config.options };
  return { client: createRedisClient(config.url, options), owned: true };
}

/** Closes an owned connection: QUIT when it is up, otherwise drop it without waiting. */
export async function closeConnection(connection: Connection): Promise<void> {
  if (!connection.owned) return;
  const { client } = connection;
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
