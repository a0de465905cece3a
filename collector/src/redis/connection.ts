/**
 * The collector's Redis connections, to one Redis (`redis://`, `rediss://`) or to a Redis
 * Cluster (`redis+cluster://`, `rediss+cluster://`). A URL keeps its credentials, database and
 * TLS; the blocking slow-log reader gets its own connection so a BLOCK never stalls a cycle.
 */
import { createRedisClient } from '@gravito/quasar';
import type { RedisClient } from '@gravito/quasar';

/** Reconnect back-off: 100 ms doubling to 5 s, with jitter. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(5000, 100 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * Commands issued while Redis is away wait in the offline queue, but only one cycle's worth
 * can be waiting (cycles never overlap), so memory stays bounded; each command is retried at
 * most once after a reconnect. On a cluster the same options reach every node's connection,
 * and the back-off paces the cluster's reconnects.
 */
export function openRedis(url: string, role: string): RedisClient {
  return createRedisClient(url, {
    lazyConnect: true,
    connectionName: `quasar-collector:${role}`,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: reconnectDelay,
  });
}

/** QUIT when connected, otherwise drop the socket(s) without waiting. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}
