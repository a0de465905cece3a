/**
 * The collector's Redis connections, to one Redis (`redis://`, `rediss://`) or to a Redis
 * Cluster (`redis+cluster://`, `rediss+cluster://`). A URL keeps its credentials, database and
 * TLS; the blocking slow-log reader gets its own connection so a BLOCK never stalls a cycle.
 */
import { createRedisClient, parseRedisUrl } from '@gravito/quasar';
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
    ...(parseRedisUrl(url).kind === 'cluster'
      ? { commandTimeout: CLUSTER_COMMAND_TIMEOUT_MS }
      : {}),
  });
}

/**
 * On a cluster, how long a command may wait for its node. While a primary fails over (the
 * cluster's node timeout, then a replica's election: seconds), commands for its slots would
 * otherwise wait in that node's queue, and the whole cycle with them; bounded, they fail alone,
 * and the nodes the other primaries serve are read and exported on time. A single Redis has no
 * such bound (it would cut the slow-log reader's BLOCK short; when it is away, everything is).
 */
const CLUSTER_COMMAND_TIMEOUT_MS = 1000;

/** QUIT when connected, otherwise drop the socket(s) without waiting. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}
